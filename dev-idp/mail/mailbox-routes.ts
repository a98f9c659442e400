import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendHtml, sendJson, wantsJson } from '../http/http-util.ts';
import { mailboxPage } from '../pages/mailbox-page.ts';
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
  sendHtml(res, 200, mailboxPage(appName, records, to), { Vary: 'Accept' });
}
