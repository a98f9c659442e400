/**
 * The identity server, and the person in the system browser, in a worker thread of their own,
 * so that a bench measuring the app's heap (leak-cycles.bench.ts) counts neither the server's
 * sessions, grants and mailbox nor the browser's requests and cookies (on a phone the system
 * browser is another process too): a worker has its own V8 heap. Run by Node directly (type
 * stripping), like `npm run start:idp`.
 *
 * Messages: 'stop'; `{ id, url, email, stopAt? }` → `{ id, outcome }` (what the person did in
 * the browser: the redirect back to the app, or closing the browser).
 */
import { parentPort, workerData } from 'node:worker_threads';

import { startIdentityServer, type IdpOptions } from '../../dev-idp/factory.ts';
import { HttpBrowser, mailboxCodeReader } from '../../test/support/http-browser.ts';
import { httpPerson } from '../../test/native-shell/http-person.ts';

interface Visit {
  readonly id: number;
  readonly url: string;
  readonly email: string;
  readonly stopAt?: 'email' | 'code';
}

const idp = await startIdentityServer({ ...(workerData as IdpOptions), port: 0, log: () => undefined });
const browser = new HttpBrowser();
const readCode = mailboxCodeReader(idp.endpoint);
parentPort?.postMessage({ endpoint: idp.endpoint, appId: idp.appId });
parentPort?.on('message', (message: 'stop' | Visit) => {
  if (message === 'stop') {
    void idp.stop().then(() => parentPort?.close());
    return;
  }
  const { id, url, email, stopAt } = message;
  const person = httpPerson(browser, { email, readCode, ...(stopAt ? { stopAt, afterStop: 'dismiss' as const } : {}) });
  void Promise.resolve(person(url)).then(
    (outcome) => parentPort?.postMessage({ id, outcome }),
    (error: unknown) => parentPort?.postMessage({ id, error: error instanceof Error ? error.message : String(error) }),
  );
});
