/** The code exchange on its own, against the fake token endpoint: one exchange per callback, stored through the SessionStore. */
import { createHash } from 'node:crypto';

import { CallbackVault } from '../../../src/app/auth/logto/callback-admission.ts';
import { CodeExchange } from '../../../src/app/auth/logto/code-exchange.ts';
import { createIdTokenVerifier } from '../../../src/app/auth/logto/id-token.ts';
import { writePendingSignIn } from '../../../src/app/auth/logto/pending-sign-in.ts';
import { createTimedRequester } from '../../../src/app/auth/logto/http.ts';
import { SessionStore } from '../../../src/app/auth/logto/session-store.ts';
import { createMemoryStorage } from '../../../src/app/auth/logto/token-storage.ts';
import { TokenManager } from '../../../src/app/auth/logto/token-manager.ts';
import { FakeIdp } from '../../support/fake-idp.ts';
import { SIGN_IN_URI } from '../../support/constants.ts';

async function setUp() {
  const idp = await FakeIdp.start();
  const storage = createMemoryStorage();
  const store = new SessionStore(storage, () => undefined);
  const requester = createTimedRequester(idp.fetch, 2_000);
  const getOidcConfig = async () => ({ issuer: idp.issuer, jwksUri: `${idp.issuer}/jwks`, tokenEndpoint: `${idp.issuer}/token` });
  const verifier = createIdTokenVerifier({ appId: idp.appId, getOidcConfig, requester, now: Date.now });
  const revoked: string[] = [];
  const tokens = new TokenManager({
    store,
    requester,
    appId: idp.appId,
    scopes: [],
    getTokenEndpoint: async () => `${idp.issuer}/token`,
    verifyIdToken: (token) => verifier.verifyIdToken(token),
    refreshMargin: 60_000,
    resumeRefreshWindow: 300_000,
    callerTimeout: 2_000,
    now: Date.now,
    log: () => undefined,
    onSessionExpired: () => undefined,
    discardRefreshToken: () => undefined,
  });
  const vault = new CallbackVault();
  const exchange = new CodeExchange({
    storage,
    store,
    tokens,
    vault,
    requester,
    appId: idp.appId,
    getTokenEndpoint: async () => `${idp.issuer}/token`,
    verifyIdToken: (token) => verifier.verifyIdToken(token),
    revoke: async (token) => revoked.push(token),
    now: Date.now,
    log: () => undefined,
  });

  /** What the SDK's signIn and the identity provider would have done: a pending sign-in and its callback, admitted. */
  async function callback(sub = 'user-1', email = 'jane@example.com'): Promise<string> {
    return (await callbackWithCode(sub, email)).ref;
  }

  async function callbackWithCode(sub = 'user-1', email = 'jane@example.com') {
    const verifier = `verifier-${Math.random()}`;
    const state = `state-${Math.random()}`;
    await storage.setItem('signInSession', JSON.stringify({ redirectUri: SIGN_IN_URI, state, codeVerifier: verifier }));
    await writePendingSignIn(storage, { options: {}, startedAt: Date.now() });
    const auth = new URL(`${idp.issuer}/auth`);
    auth.searchParams.set('redirect_uri', SIGN_IN_URI);
    auth.searchParams.set('state', state);
    auth.searchParams.set('code_challenge', createHash('sha256').update(verifier).digest('base64url'));
    const url = idp.authorize(auth, sub, email);
    return { ref: vault.admit(url, await CallbackVault.hash(url)), code: new URL(url).searchParams.get('code') ?? '', verifier };
  }

  return { idp, storage, store, exchange, callback, callbackWithCode, revoked };
}

describe('CodeExchange', () => {
  it('exchanges once, stores the session and forgets the pending sign-in; asking again returns the same claims', async () => {
    const { idp, store, storage, exchange, callback } = await setUp();
    const ref = await callback();
    const [first, second] = await Promise.all([exchange.complete(ref), exchange.complete(ref)]);
    expect(first.sub).toBe('user-1');
    expect(second).toEqual(first);
    expect(await exchange.complete(ref)).toEqual(first);
    expect(idp.counters.codeGrants).toBe(1);
    expect(store.refreshToken).toBeTruthy();
    expect(storage.snapshot()['signInSession']).toBeUndefined();
    expect(storage.snapshot()['pendingSignIn']).toBeUndefined();
  });

  it('a failure that may pass keeps the callback for Retry; the retry exchanges the same code', async () => {
    const { idp, exchange, callback } = await setUp();
    const ref = await callback();
    idp.tokenError500 = true;
    await expect(exchange.complete(ref)).rejects.toMatchObject({ kind: 'server', retry: 'sameCallback', step: 'callback' });
    idp.tokenError500 = false;
    expect((await exchange.complete(ref)).sub).toBe('user-1');
  });

  it('a final failure (the code was already spent) forgets the pending sign-in and the callback', async () => {
    const { idp, storage, exchange, callbackWithCode } = await setUp();
    const { ref, code, verifier } = await callbackWithCode();
    // Someone else spent the code first.
    const body = new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: SIGN_IN_URI,
      client_id: idp.appId,
    });
    expect((await idp.fetch(`${idp.issuer}/token`, { method: 'POST', body })).ok).toBe(true);
    await expect(exchange.complete(ref)).rejects.toMatchObject({ kind: 'invalid_callback', code: 'oidc.invalid_grant' });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(storage.snapshot()['signInSession']).toBeUndefined();
    expect(storage.snapshot()['pendingSignIn']).toBeUndefined();
    await expect(exchange.complete(ref)).rejects.toMatchObject({ kind: 'invalid_callback', code: 'callback_not_found' });
  });

  it("switching account revokes the previous person's refresh token, not the same person's", async () => {
    const { exchange, callback, store, revoked } = await setUp();
    await exchange.complete(await callback('user-1'));
    const first = store.refreshToken;
    await exchange.complete(await callback('user-1'));
    expect(revoked).toEqual([]);
    await exchange.complete(await callback('user-2', 'john@example.com'));
    expect(revoked).toEqual([expect.any(String)]);
    expect(revoked[0]).not.toBe(first);
  });
});
