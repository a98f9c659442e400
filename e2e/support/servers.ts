/**
 * The servers of one end-to-end run, started in-process by global setup (the Playwright
 * runner), each on a free port:
 * - the production web build, served by a static server with SPA fallback (the app origin);
 * - the local identity server (dev-idp/factory.ts) with a data dir, so a restart on the same
 *   port keeps its signing keys, users, grants and pending authorization codes;
 * - the sample protected API (dev-idp/sample-api.ts);
 * - a control endpoint through which the tests (in the worker process) stop and restart the
 *   identity server.
 *
 * dev-idp is ESM TypeScript (dev-idp/package.json: "type": "module") with `import.meta`.
 * Playwright compiles this folder to CommonJS, and a static import from here would drag dev-idp
 * through that transform ("Cannot use 'import.meta' outside a module"); a dynamic import()
 * goes through Playwright's ESM loader and loads it as Node would.
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { IdpOptions, RunningIdp } from '../../dev-idp/factory.ts';
import type { Stack } from './stack';
import { startStaticServer } from './static-server';

export interface E2eServers {
  readonly stack: Stack;
  stop(): Promise<void>;
}

export async function startServers(options: { wwwDir: string; dataDir: string; log: (line: string) => void }): Promise<E2eServers> {
  const { wwwDir, dataDir, log } = options;
  const { startIdentityServer } = await import('../../dev-idp/factory.ts');
  const { startSampleApi } = await import('../../dev-idp/sample-api.ts');
  const { DevHostAllowList, refuseMisdirected } = await import('../../dev-idp/http/dev-hosts.ts');

  // `ng build --output-path <dir>` puts the browser files in <dir>/browser.
  const browserDir = join(wwwDir, 'browser');
  const app = await startStaticServer(() => (existsSync(join(browserDir, 'index.html')) ? browserDir : wwwDir));
  const appOrigin = `http://localhost:${app.port}`;

  const idpOptions: IdpOptions = {
    port: 0,
    dataDir,
    // The web build's redirect URIs on this run's app origin (the app keeps the configured
    // paths on the origin it is served from; exact match, as in real Logto).
    redirectUris: [`${appOrigin}/callback`],
    postLogoutRedirectUris: [`${appOrigin}/callback/sign-out`],
    appOrigins: [appOrigin],
    // The flows sign the same person in again within seconds (reload, sign out and back); the
    // per-address code limits have their own proof (dev-idp/sign-in/code-limits.spec.ts).
    codeLimits: { resendCooldownSeconds: 0, codesPerWindow: 100 },
    log,
  };
  let idp: RunningIdp | null = await startIdentityServer(idpOptions);
  const { port: idpPort, endpoint: idpEndpoint, issuer } = idp;

  const api = await startSampleApi({ port: 0, issuer, appOrigins: [appOrigin], log });

  async function stopIdp(): Promise<void> {
    const running = idp;
    idp = null;
    await running?.stop();
    if (running) log('[e2e] identity server stopped');
  }

  async function startIdp(): Promise<void> {
    if (idp) return;
    // Same port and data dir: the same issuer, signing keys, users and grants.
    idp = await startIdentityServer({ ...idpOptions, port: idpPort });
  }

  // Test controls are dev-only routes too: loopback names only, so a DNS-rebinding page cannot reach them.
  const controlHosts = new DevHostAllowList(['127.0.0.1', 'localhost']);
  const control = createServer((req, res) => {
    if (refuseMisdirected(req, res, controlHosts, log)) return;
    const action = req.method === 'POST' ? { '/idp/stop': stopIdp, '/idp/start': startIdp }[req.url ?? ''] : undefined;
    if (!action) {
      res.writeHead(404).end();
      return;
    }
    action().then(
      () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ running: idp !== null })),
      (error: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error)),
    );
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));

  return {
    stack: {
      appUrl: appOrigin,
      idpEndpoint,
      idpPort,
      apiUrl: `http://localhost:${api.port}/`,
      controlUrl: `http://127.0.0.1:${(control.address() as AddressInfo).port}`,
    },
    async stop() {
      control.closeAllConnections();
      control.close();
      await Promise.allSettled([stopIdp(), api.stop(), app.close()]);
    },
  };
}
