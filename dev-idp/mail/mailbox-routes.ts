import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendHtml, sendJson, wantsJson } from '../http/http-util.ts';
import { html, renderPage } from '../pages/layout.ts';
import type { Mailbox } from './dev-mailbox.ts';

/**
 * GET /dev/mailbox (the contract in docs/dev-idp.md): HTML for people; with `Accept: application/json`
 * a JSON array of `{to, usageType, subject, code, sentAt}`, newest first; `?to=` filters.
 */
export function serveMailbox(req: IncomingMessage, res: ServerResponse, url: URL, mailbox: Mailbox, appName: string): void {
  const to = url.searchParams.get('to') ?? undefined;
  const records = mailbox.all(to);
  if (wantsJson(req)) {
    sendJson(
      res,
      200,
      records.map(({ to: recipient, usageType, subject, code, sentAt }) => ({ to: recipient, usageType, subject, code, sentAt })),
      { Vary: 'Accept' },
    );
    return;
  }
  const rows = records.map(
    (record) =>
      html`<tr>
        <td><code class="big">${record.code}</code></td>
        <td>${record.to}</td>
        <td>${record.usageType}</td>
        <td>${record.subject}</td>
        <td><time datetime="${record.sentAt}">${record.sentAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}</time></td>
      </tr>`,
  );
  sendHtml(
    res,
    200,
    renderPage({
      title: 'Dev mailbox',
      appName,
      locale: 'en',
      wide: true,
      body: html`<h1>Dev mailbox</h1>
        <p>Every email this identity server sent, newest first. Codes are also printed in its terminal.</p>
        <form method="get" action="/dev/mailbox">
          <label for="to">Recipient</label>
          <input id="to" name="to" type="email" value="${to ?? ''}" autocomplete="email" />
          <button type="submit">Filter</button>
        </form>
        <p class="muted">
          <a href="/dev/mailbox${to ? `?to=${encodeURIComponent(to)}` : ''}">Refresh</a
          >${to ? html` · <a href="/dev/mailbox">Show all</a>` : ''}
        </p>
        ${
          records.length
            ? html`<table>
                <caption class="muted">
                  ${records.length} ${records.length === 1 ? 'message' : 'messages'}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Code</th>
                    <th scope="col">To</th>
                    <th scope="col">Usage</th>
                    <th scope="col">Subject</th>
                    <th scope="col">Sent (UTC)</th>
                  </tr>
                </thead>
                <tbody>
                  ${rows}
                </tbody>
              </table>`
            : html`<p role="status">No messages${to ? html` for ${to}` : ''} yet.</p>`
        }`,
    }),
    { Vary: 'Accept' },
  );
}
