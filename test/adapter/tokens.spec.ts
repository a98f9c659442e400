import { jest } from '@jest/globals';
import { createRequester } from '@logto/client';
import LogtoClient from '@logto/capacitor';

import { StorageKey } from '../../src/app/auth/logto/token-storage.ts';
import { createHarness, eventsOf, nativeShell, signIn, waitFor, type Harness, type Storage } from './harness.ts';
import { FakeIdp } from '../support/fake-idp.ts';
import { createMemoryStorage } from '../../src/app/auth/logto/index.ts';
import { RESOURCES } from '../support/constants.ts';

const [BOOKS, REVIEWS, BILLING] = RESOURCES;

let h: Harness;
let idp: FakeIdp;

/** A device that already holds a session (tokens as the SDK stores them). */
async function seededStorage(resources: Record<string, number>): Promise<Storage> {
  const session = await idp.issueSession('user-1', 'jane@example.com', resources);
  return createMemoryStorage({
    [StorageKey.legacyMigrated]: '1',
    [StorageKey.idToken]: session.idToken,
    [StorageKey.refreshToken]: session.refreshToken,
    [StorageKey.accessToken]: JSON.stringify(session.accessTokenMap),
  });
}

beforeEach(async () => {
  nativeShell.reset();
  idp = await FakeIdp.start();
});

afterEach(() => h?.auth.dispose());

describe('cold start', () => {
  it('uses a valid stored access token with no refresh grant, even offline', async () => {
    const storage = await seededStorage({ [BOOKS]: 3600 });
    const stored = JSON.parse((await storage.getItem(StorageKey.accessToken)) ?? '{}')[`@${BOOKS}`].token;
    idp.mode = 'offline';
    h = await createHarness({ idp, storage });
    expect((await h.auth.port.restore()).claims?.sub).toBe('user-1');
    expect(await h.auth.getAccessToken(BOOKS)).toBe(stored);
    expect(idp.requests).toEqual([]);
  });

  it('(the stock SDK, for contrast, spends a refresh grant on the same stored token)', async () => {
    const session = await idp.issueSession('user-1', 'jane@example.com', { [BOOKS]: 3600 });
    nativeShell.preferences.set('idToken', session.idToken);
    nativeShell.preferences.set('refreshToken', session.refreshToken);
    nativeShell.preferences.set('accessToken', JSON.stringify(session.accessTokenMap));
    const stock = new LogtoClient({ endpoint: idp.endpoint, appId: idp.appId, resources: [BOOKS] });
    stock.adapter.requester = createRequester(idp.fetch);
    stock.setJwtVerifier({ verifyIdToken: async () => undefined });
    await stock.getAccessToken(BOOKS);
    expect(idp.counters.refreshGrants).toBe(1);
  });
});

describe('one refresh at a time', () => {
  it('serves 50 parallel calls across 3 resources after expiry with one grant in flight at a time', async () => {
    h = await createHarness({ idp, storage: await seededStorage({ [BOOKS]: -10, [REVIEWS]: -10, [BILLING]: -10 }) });
    const calls = Array.from({ length: 50 }, (_, i) => RESOURCES[i % 3]);
    const tokens = await Promise.all(calls.map((resource) => h.auth.getAccessToken(resource)));
    expect(idp.counters.maxConcurrentRefresh).toBe(1);
    expect(idp.counters.refreshGrants).toBe(3);
    calls.forEach((resource, i) => expect(tokens[i]).toMatch(new RegExp(`^at-${new URL(resource).hostname}_`)));
    expect(new Set(tokens).size).toBe(3);
    // Rotation held: the session still refreshes.
    await expect(h.auth.refreshAccessToken(BOOKS)).resolves.toMatch(/^at-api\.bookstore\.local_/);
    expect(eventsOf(h.events, 'SESSION_EXPIRED')).toHaveLength(0);
  });

  it('(the stock SDK, for contrast, refreshes in parallel and loses the session under rotation)', async () => {
    const session = await idp.issueSession('user-1', 'jane@example.com', {});
    nativeShell.preferences.set('idToken', session.idToken);
    nativeShell.preferences.set('refreshToken', session.refreshToken);
    const stock = new LogtoClient({ endpoint: idp.endpoint, appId: idp.appId, resources: RESOURCES });
    stock.adapter.requester = createRequester(idp.fetch);
    stock.setJwtVerifier({ verifyIdToken: async () => undefined });
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const results = await Promise.allSettled(RESOURCES.map((resource) => stock.getAccessToken(resource)));
    spy.mockRestore();
    expect(idp.counters.maxConcurrentRefresh).toBeGreaterThan(1);
    expect(results.filter((result) => result.status === 'rejected').length).toBeGreaterThan(0);
  });

  it('refreshes a token 60 s before it expires, not earlier', async () => {
    h = await createHarness({ idp, storage: await seededStorage({ [BOOKS]: 30, [REVIEWS]: 120 }) });
    const reviews = await h.auth.getAccessToken(REVIEWS);
    expect(idp.counters.refreshGrants).toBe(0);
    const books = await h.auth.getAccessToken(BOOKS);
    expect(idp.counters.refreshGrants).toBe(1);
    expect(await h.auth.getAccessToken(BOOKS)).toBe(books);
    expect(await h.auth.getAccessToken(REVIEWS)).toBe(reviews);
  });

  it('gets a new token on a forced refresh even while the cached one is valid', async () => {
    h = await createHarness({ idp, storage: await seededStorage({ [BOOKS]: 3600 }) });
    const cached = await h.auth.getAccessToken(BOOKS);
    const [a, b] = await Promise.all([h.auth.refreshAccessToken(BOOKS), h.auth.refreshAccessToken(BOOKS)]);
    expect(a).not.toBe(cached);
    expect(b).toBe(a);
    expect(idp.counters.refreshGrants).toBe(1);
  });

  it('refreshes ahead on app resume the tokens that are about to expire', async () => {
    h = await createHarness({ idp, storage: await seededStorage({ [BOOKS]: 180, [REVIEWS]: 3600 }) });
    const old = await h.auth.getAccessToken(BOOKS);
    nativeShell.resume();
    await waitFor(() => idp.counters.refreshGrants === 1);
    expect(eventsOf(h.events, 'APP_RESUMED')).toHaveLength(1);
    const storedToken = () => JSON.parse(h.storage.snapshot()[StorageKey.accessToken])[`@${BOOKS}`].token;
    await waitFor(() => storedToken() !== old);
    const fresh = await h.auth.getAccessToken(BOOKS);
    expect(fresh).toBe(storedToken());
    expect(fresh).not.toBe(old);
    expect(idp.refreshParams).toEqual([{ resource: BOOKS, organizationId: null }]);
  });
});

describe('switching account', () => {
  it('lets a new sign-in replace the session without a refresh of the old one writing over it', async () => {
    const storage = await seededStorage({ [BOOKS]: -10, [REVIEWS]: 3600 });
    h = await createHarness({ idp, storage });
    const oldReviews = await h.auth.getAccessToken(REVIEWS);
    idp.refreshDelayMs = 80;
    const oldRefresh = h.auth.getAccessToken(BOOKS);
    await waitFor(() => idp.counters.refreshInFlight === 1);

    nativeShell.use('ios-success');
    nativeShell.person = idp.person({ sub: 'user-2', email: 'other@example.com' });
    await h.auth.port.startSignIn({});
    const claims = await h.auth.port.completeSignIn(await waitFor(() => eventsOf(h.events, 'CALLBACK_RECEIVED')[0]?.callback));
    expect(claims.sub).toBe('user-2');
    await oldRefresh;

    // The old account's cached tokens are gone, and the stored refresh token is the new session's.
    const reviews = await h.auth.getAccessToken(REVIEWS);
    expect(reviews).not.toBe(oldReviews);
    expect(await h.auth.fetchUserInfo()).toMatchObject({ sub: 'user-2' });
    await h.auth.refreshAccessToken();
    expect(await h.auth.fetchUserInfo()).toMatchObject({ sub: 'user-2' });
    expect(idp.counters.maxConcurrentRefresh).toBe(1);
    expect(eventsOf(h.events, 'SESSION_EXPIRED')).toHaveLength(0);
  });
});

describe('failures', () => {
  it('keeps the session when a refresh fails offline, and succeeds once back online', async () => {
    const storage = await seededStorage({ [BOOKS]: -10 });
    h = await createHarness({ idp, storage });
    const before = storage.snapshot();
    idp.mode = 'offline';
    await expect(h.auth.getAccessToken(BOOKS)).rejects.toEqual(
      expect.objectContaining({ kind: 'network', code: 'network_error', retry: 'newRedirect', step: 'session' }),
    );
    // Nothing of the session changed; only the mark that the sent token may be spent (no answer came).
    expect(storage.snapshot()).toEqual({ ...before, refreshUnanswered: '1' });
    expect((await h.auth.port.restore()).claims?.sub).toBe('user-1');
    expect(eventsOf(h.events, 'SESSION_EXPIRED')).toHaveLength(0);
    idp.mode = 'online';
    await expect(h.auth.getAccessToken(BOOKS)).resolves.toMatch(/^at-api\.bookstore\.local_/);
  });

  describe("a lost answer, retried only inside the server's 3 s reuse leeway", () => {
    /** The device's fetch: the first refresh grant's connection fails `afterMs` after sending. */
    function losingFirstGrant(afterMs: number) {
      let clock = Date.now();
      const grants: string[] = [];
      const fetch: typeof globalThis.fetch = async (input, init) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        if (url.pathname.endsWith('/oidc/token') && String(init?.body).includes('grant_type=refresh_token')) {
          grants.push(new URLSearchParams(String(init?.body)).get('refresh_token') ?? '');
          if (grants.length === 1) {
            clock += afterMs;
            throw new TypeError('fetch failed');
          }
        }
        return idp.fetch(input, init);
      };
      return { fetch, now: () => clock, grants };
    }

    it('sends the same refresh token again at once when the connection failed quickly', async () => {
      const storage = await seededStorage({ [BOOKS]: -10 });
      const device = losingFirstGrant(200);
      h = await createHarness({ idp, storage, deps: { fetch: device.fetch, now: device.now } });
      await expect(h.auth.getAccessToken(BOOKS)).resolves.toMatch(/^at-api\.bookstore\.local_/);
      expect(device.grants).toHaveLength(2);
      expect(device.grants[1]).toBe(device.grants[0]);
      expect(await storage.getItem(StorageKey.refreshUnanswered)).toBeNull();
    });

    it('does not send it again when the connection failed late: a retry could land outside the leeway', async () => {
      const storage = await seededStorage({ [BOOKS]: -10 });
      const device = losingFirstGrant(2_000);
      h = await createHarness({ idp, storage, deps: { fetch: device.fetch, now: device.now } });
      await expect(h.auth.getAccessToken(BOOKS)).rejects.toMatchObject({ kind: 'network' });
      expect(device.grants).toHaveLength(1);
      expect(await storage.getItem(StorageKey.refreshUnanswered)).toBe('1');
    });
  });

  it('keeps the session when the token endpoint answers 500', async () => {
    const storage = await seededStorage({ [BOOKS]: -10 });
    h = await createHarness({ idp, storage });
    idp.tokenError500 = true;
    await expect(h.auth.getAccessToken(BOOKS)).rejects.toMatchObject({ kind: 'server', code: 'http_error_500', retry: 'newRedirect' });
    expect(await storage.getItem(StorageKey.refreshToken)).toBeTruthy();
  });

  it('clears the local session and emits SESSION_EXPIRED once when the refresh token is revoked', async () => {
    const storage = await seededStorage({ [BOOKS]: -10, [REVIEWS]: -10, [BILLING]: -10 });
    h = await createHarness({ idp, storage });
    idp.revokeAll();
    const results = await Promise.allSettled(RESOURCES.map((resource) => h.auth.getAccessToken(resource)));
    for (const result of results) {
      expect(result).toMatchObject({ status: 'rejected', reason: { kind: 'session_expired', retry: 'none' } });
    }
    expect(eventsOf(h.events, 'SESSION_EXPIRED')).toHaveLength(1);
    expect(idp.counters.refreshGrants).toBe(1);
    for (const key of [StorageKey.idToken, StorageKey.refreshToken, StorageKey.accessToken]) expect(await storage.getItem(key)).toBeNull();
    expect((await h.auth.port.restore()).claims).toBeNull();
  });

  it('expireSession() clears the session and tells the machine', async () => {
    const storage = await seededStorage({ [BOOKS]: 3600 });
    h = await createHarness({ idp, storage });
    await h.auth.expireSession();
    expect(eventsOf(h.events, 'SESSION_EXPIRED')).toHaveLength(1);
    expect(await storage.getItem(StorageKey.refreshToken)).toBeNull();
    await expect(h.auth.getAccessToken(BOOKS)).rejects.toMatchObject({ kind: 'session_expired', code: 'not_authenticated' });
  });

  it('discards a refresh that lands after sign-out', async () => {
    const storage = await seededStorage({ [BOOKS]: -10 });
    h = await createHarness({ idp, storage });
    idp.refreshDelayMs = 100;
    const pending = h.auth.getAccessToken(BOOKS);
    await waitFor(() => idp.counters.refreshInFlight === 1);
    await h.auth.port.signOut({ endSession: false });
    await expect(pending).rejects.toMatchObject({ code: 'not_authenticated' });
    expect(storage.snapshot()).toEqual({ [StorageKey.legacyMigrated]: '1' });
  });
});

describe('organizations and user info', () => {
  it('passes organization tokens through when the organizations scope is configured', async () => {
    h = await createHarness({
      idp,
      storage: await seededStorage({}),
      config: { scopes: ['email', 'urn:logto:scope:organizations'] },
    });
    await expect(h.auth.getAccessToken(undefined, 'org-7')).resolves.toMatch(/^at_/);
    expect(idp.refreshParams).toEqual([{ resource: null, organizationId: 'org-7' }]);
  });

  it('refuses organization tokens with a config error when the scope is missing', async () => {
    h = await createHarness({ idp, storage: await seededStorage({}) });
    await expect(h.auth.getAccessToken(undefined, 'org-7')).rejects.toMatchObject({ kind: 'config', code: 'missing_scope_organizations' });
    expect(idp.counters.tokenRequests).toBe(0);
  });

  it('fetches user info through the token manager, refreshing once when the token is refused', async () => {
    const storage = await seededStorage({});
    // A stored token the server no longer accepts.
    await storage.setItem(
      StorageKey.accessToken,
      JSON.stringify({ '@': { token: 'stale', scope: '', expiresAt: Date.now() / 1000 + 3600 } }),
    );
    h = await createHarness({ idp, storage });
    expect(await h.auth.fetchUserInfo()).toEqual({ sub: 'user-1', email: 'jane@example.com' });
    expect(idp.counters.refreshGrants).toBe(1);
    expect(idp.counters.userinfo).toBe(2);
  });

  it('maps a user-info failure offline to a network error', async () => {
    h = await createHarness({ idp });
    await signIn(h);
    idp.mode = 'offline';
    await expect(h.auth.fetchUserInfo()).rejects.toMatchObject({ kind: 'network', retry: 'newRedirect' });
  });
});
