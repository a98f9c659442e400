/** The dev mailbox (GET /dev/mailbox for people): every code the server sent, newest first, `to` filters. */
import type { MailRecord } from '../mail/types.ts';
import { field, html, renderPage } from './layout.ts';

export function mailboxPage(appName: string, records: readonly MailRecord[], to: string | undefined): string {
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
  return renderPage({
    title: 'Dev mailbox',
    appName,
    locale: 'en',
    wide: true,
    body: html`<h1>Dev mailbox</h1>
      <p>Every email this identity server sent, newest first. Codes are also printed in its terminal.</p>
      <form method="get" action="/dev/mailbox">
        ${field({ id: 'to', label: 'Recipient', type: 'email', value: to ?? '', autocomplete: 'email', required: false })}
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
  });
}
