/**
 * The identity server in a worker thread of its own, so that a bench measuring the app's heap
 * (leak-cycles.bench.ts) does not count the server's sessions, grants and mailbox: a worker has
 * its own V8 heap. Run by Node directly (type stripping), like `npm run start:idp`.
 */
import { parentPort, workerData } from 'node:worker_threads';

import { startIdentityServer, type IdpOptions } from '../../dev-idp/factory.ts';

const idp = await startIdentityServer({ ...(workerData as IdpOptions), port: 0, log: () => undefined });
parentPort?.postMessage({ endpoint: idp.endpoint, appId: idp.appId });
parentPort?.on('message', (message: unknown) => {
  if (message === 'stop') void idp.stop().then(() => parentPort?.close());
});
