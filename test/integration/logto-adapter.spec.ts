/**
 * The real @logto/capacitor SDK + our adapter + the simulated native shell against the real
 * local identity server (oidc-provider) over HTTP. Only the phone's shell is simulated; the
 * person in the browser is test/support's HttpBrowser reading codes from the dev mailbox.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { decodeJwt } from 'jose';

import { startIdentityServer, type IdpOptions, type RunningIdp } from '../../dev-idp/factory.ts';
import { startSampleApi, type RunningSampleApi } from '../../dev-idp/sample-api.ts';
import { HttpBrowser, mailboxCodeReader } from '../support/http-browser.ts';
import type { PlatformEvent } from '../../src/app/auth/core/port.ts';
import { createLogtoAuth, createMemoryStorage, type LogtoAuth, type LogtoAuthConfig } from '../../src/app/auth/logto/index.ts';
import { StorageKey } from '../../src/app/auth/logto/token-storage.ts';
import { httpPerson } from '../native-shell/http-person.ts';
import { nativeShell, settle } from '../native-shell/shell.ts';
import { BOOKS, RESOURCES } from '../support/constants.ts';

/** The phone's network: the adapter's fetch fails like an offline device while `online` is false. */
const network = { online: true };
const deviceFetch: typeof fetch = (input, init) => (network.online ? fetch(input, init) : Promise.reject(new TypeError('fetch failed')));

interface App {
  auth: LogtoAuth;
  readonly events: PlatformEvent[];
  readonly storage: ReturnType<typeof createMemoryStorage>;
  relaunch(): LogtoAuth;
}

function openApp(idp: RunningIdp, timers: LogtoAuthConfig['timers'] = {}, storage = createMemoryStorage()): App {
  const events: PlatformEvent[] = [];
  const make = () => {
    const auth = createLogtoAuth(
      {
        endpoint: idp.endpoint,
        appId: idp.appId,
        platform: 'native',
        redirectUri: 'com.example.app://callback',
        postSignOutRedirectUri: 'com.example.app://callback/sign-out',
        scopes: ['email', 'read:books'],
        resources: RESOURCES,
        storageNamespace: 'com.example.app',
        timers,
      },
      { storage, fetch: deviceFetch, log: () => undefined },
    );
    auth.port.subscribe((event) => events.push(event));
    return auth;
  };
  const app: App = {
    auth: make(),
    events,
    storage,
    relaunch() {
      app.auth.dispose();
      app.auth = make();
      return app.auth;
    },
  };
  return app;
}

async function waitFor<T>(probe: () => T | undefined | null | false, timeoutMs = 15_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error('waitFor: timed out');
    await settle(10);
  }
}

const callbacks = (events: PlatformEvent[]) => events.flatMap((event) => (event.type === 'CALLBACK_RECEIVED' ? [event.callback] : []));

/** Sign in through the shell: the person walks the identity server's pages. */
async function signIn(idp: RunningIdp, app: App, email: string) {
  nativeShell.use('android-url-first');
  nativeShell.person = httpPerson(new HttpBrowser(), { email, readCode: mailboxCodeReader(idp.endpoint) });
  const before = callbacks(app.events).length;
  await app.auth.port.startSignIn({ firstScreen: 'identifier:sign_in', identifiers: ['email'], loginHint: email });
  const ref = await waitFor(() => callbacks(app.events)[before]);
  return app.auth.port.completeSignIn(ref);
}

describe('adapter + real SDK + native shell + local identity server', () => {
  let idp: RunningIdp;
  let api: RunningSampleApi;
  let app: App;

  const start = async (options: IdpOptions = {}) => {
    // Same person signs in again within seconds: no per-address code limits in the way here.
    idp = await startIdentityServer({
      port: 0,
      log: () => undefined,
      codeLimits: { resendCooldownSeconds: 0, codesPerWindow: 100 },
      ...options,
    });
  };

  beforeEach(() => {
    nativeShell.reset();
    network.online = true;
  });

  afterEach(async () => {
    app?.auth.dispose();
    await api?.stop();
    await idp?.stop();
  });

  it('signs in with an email code, then serves user info, resource tokens and the sample API', async () => {
    await start();
    api = await startSampleApi({ port: 0, issuer: idp.issuer });
    app = openApp(idp);
    const claims = await signIn(idp, app, 'reader@example.com');
    expect(claims).toMatchObject({ email: 'reader@example.com', iss: idp.issuer, aud: idp.appId });
    expect(await app.auth.fetchUserInfo()).toMatchObject({ sub: claims.sub, email: 'reader@example.com' });
    const token = await app.auth.getAccessToken(BOOKS);
    expect(decodeJwt(token)).toMatchObject({ aud: BOOKS, sub: claims.sub });
    const shelf = await fetch(`${api.url}/bookshelf`, { headers: { authorization: `Bearer ${token}` } });
    expect(shelf.status).toBe(200);
    expect(await shelf.json()).toMatchObject({ owner: claims.sub });
  });

  it('rotates the refresh token on every refresh, and the spent one is refused', async () => {
    await start();
    app = openApp(idp);
    await signIn(idp, app, 'rotate@example.com');
    const first = await app.storage.getItem(StorageKey.refreshToken);
    await app.auth.refreshAccessToken(BOOKS);
    const second = await app.storage.getItem(StorageKey.refreshToken);
    await app.auth.refreshAccessToken(BOOKS);
    expect(new Set([first, second, await app.storage.getItem(StorageKey.refreshToken)]).size).toBe(3);
    expect(idp.counters.refreshGrants).toBe(2);
    // Past the 3 s reuse leeway (Logto's): within it the spent token would still be answered.
    await settle(3_500);
    const replay = await fetch(`${idp.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: idp.appId, refresh_token: first ?? '' }),
    });
    expect(replay.status).toBe(400);
  }, 20_000);

  it('serves 50 parallel calls across the 3 resources after expiry with one refresh grant at a time', async () => {
    await start({ ttl: { accessToken: 2 } });
    app = openApp(idp, { refreshMargin: 0 });
    await signIn(idp, app, 'parallel@example.com');
    for (const resource of RESOURCES) await app.auth.getAccessToken(resource);
    await settle(2600); // 2 s lifetime; expiresAt is rounded to the second
    idp.counters.reset();
    const asked = Array.from({ length: 50 }, (_, i) => RESOURCES[i % 3]);
    const started = Date.now();
    const tokens = await Promise.all(asked.map((resource) => app.auth.getAccessToken(resource)));
    const took = Date.now() - started;
    asked.forEach((resource, i) => expect(decodeJwt(tokens[i])).toMatchObject({ aud: resource }));
    // One grant per resource. Only when the 50 calls outlived the new 2 s tokens (a loaded
    // machine) may a resource need another grant; never one grant per call.
    const rounds = took < 1_500 ? 1 : Math.ceil(took / 1_000) + 1;
    expect(idp.counters.refreshGrants).toBeGreaterThanOrEqual(3);
    expect(idp.counters.refreshGrants).toBeLessThanOrEqual(3 * rounds);
    expect(idp.counters.maxConcurrentRefreshGrants).toBe(1);
    expect(app.events.filter((event) => event.type === 'SESSION_EXPIRED')).toHaveLength(0);
  });

  it('ends the session cleanly when the refresh token was revoked at the server', async () => {
    await start();
    app = openApp(idp);
    await signIn(idp, app, 'revoked@example.com');
    await idp.revokeAllGrants('revoked@example.com');
    await expect(app.auth.refreshAccessToken(BOOKS)).rejects.toMatchObject({ kind: 'session_expired', code: 'oidc.invalid_grant' });
    expect(app.events.filter((event) => event.type === 'SESSION_EXPIRED')).toHaveLength(1);
    expect(await app.storage.getItem(StorageKey.refreshToken)).toBeNull();
    expect((await app.auth.port.restore()).claims).toBeNull();
  });

  it('keeps the session through an offline refresh, a 500 and a hanging token endpoint', async () => {
    await start();
    // The caller gives up after 500 ms; the hanging grant itself ends at the network bound.
    app = openApp(idp, { requestTimeout: 500, tokenWaitTimeout: 500, refreshRequestTimeout: 700 });
    await signIn(idp, app, 'offline@example.com');
    const session = app.storage.snapshot();

    network.online = false;
    await expect(app.auth.refreshAccessToken(BOOKS)).rejects.toMatchObject({ kind: 'network', retry: 'newRedirect' });
    network.online = true;
    idp.faults.set('token', 'error500');
    await expect(app.auth.refreshAccessToken(BOOKS)).rejects.toMatchObject({ kind: 'server', retry: 'newRedirect' });
    idp.faults.set('token', 'hang');
    await expect(app.auth.refreshAccessToken(BOOKS)).rejects.toMatchObject({ kind: 'timeout', retry: 'newRedirect' });
    idp.faults.clear();
    // The grant that hung is not abandoned by the caller's timeout: it ends at the network bound.
    await new Promise((resolve) => setTimeout(resolve, 300));

    // Nothing of the session changed; only the mark that the sent token may be spent (no answer came).
    expect(app.storage.snapshot()).toEqual({ ...session, refreshUnanswered: '1' });
    expect(app.events.filter((event) => event.type === 'SESSION_EXPIRED')).toHaveLength(0);
    expect(decodeJwt(await app.auth.refreshAccessToken(BOOKS))).toMatchObject({ aud: BOOKS });
  });

  it('keeps the session while the identity server is down, and refreshes once it is back', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'idp-'));
    try {
      await start({ dataDir });
      const port = idp.port;
      app = openApp(idp, { requestTimeout: 2000, tokenWaitTimeout: 2000 });
      await signIn(idp, app, 'down@example.com');
      await idp.stop();
      await expect(app.auth.refreshAccessToken(BOOKS)).rejects.toMatchObject({ kind: 'network', retry: 'newRedirect' });
      expect((await app.auth.port.restore()).claims?.email).toBe('down@example.com');
      await start({ dataDir, port });
      expect(decodeJwt(await app.auth.refreshAccessToken(BOOKS))).toMatchObject({ aud: BOOKS });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('uses the stored access token after a cold start without any request to the server', async () => {
    await start();
    app = openApp(idp);
    await signIn(idp, app, 'cold@example.com');
    const token = await app.auth.getAccessToken(BOOKS);
    nativeShell.kill();
    nativeShell.relaunch();
    app.relaunch();
    idp.counters.reset();
    expect((await app.auth.port.restore()).claims?.email).toBe('cold@example.com');
    expect(await app.auth.getAccessToken(BOOKS)).toBe(token);
    expect(idp.counters.tokenRequests).toBe(0);
  });

  it('completes a sign-in after the app was killed, from the launch URL (with the retained duplicate)', async () => {
    await start();
    app = openApp(idp);
    nativeShell.use('app-killed', { retainUrlOpen: true });
    nativeShell.person = httpPerson(new HttpBrowser(), { email: 'killed@example.com', readCode: mailboxCodeReader(idp.endpoint) });
    await app.auth.port.startSignIn({});
    await nativeShell.relaunched;
    app.relaunch();
    const restored = await app.auth.port.restore();
    expect(restored.launchCallback).not.toBeNull();
    expect((await app.auth.port.completeSignIn(restored.launchCallback as string)).email).toBe('killed@example.com');
    await settle(50);
    expect(new Set([restored.launchCallback, ...callbacks(app.events)]).size).toBe(1);
    expect(idp.counters.authorizationCodeGrants).toBe(1);
  });

  it('signs out: local session gone, refresh token revoked, end-session page followed back to the app', async () => {
    await start();
    app = openApp(idp);
    await signIn(idp, app, 'leaving@example.com');
    const refreshToken = await app.storage.getItem(StorageKey.refreshToken);
    expect(await app.auth.port.signOut({})).toEqual({ awaitingBrowser: true });
    await waitFor(() => app.events.some((event) => event.type === 'SIGN_OUT_CALLBACK_RECEIVED'));
    expect(idp.counters.revocations).toBe(1);
    expect(await app.storage.getItem(StorageKey.idToken)).toBeNull();
    const reuse = await fetch(`${idp.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: idp.appId, refresh_token: refreshToken ?? '' }),
    });
    expect(reuse.status).toBe(400);
    await settle();
    app.auth.dispose();
    await settle();
    expect(nativeShell.listenerCount()).toBe(0);
  });
});
