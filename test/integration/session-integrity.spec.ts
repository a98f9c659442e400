/**
 * Full stack, session integrity: a sign-out is final even when a refresh is storing
 * its results at that moment, and a refresh answer lost after the server rotated the token ends
 * the session only with an honest message.
 *
 * The storage latency is injected where a phone has it (a Keychain write takes tens of ms); the
 * machine, the adapter, the real SDK, the identity server and the sample API are all real.
 */
import { jest } from '@jest/globals';

import { refreshTokenReuseSeconds } from '../../dev-idp/oidc/model-store.ts';
import { startSampleApi, type RunningSampleApi } from '../../dev-idp/sample-api.ts';
import { sleep, until, useAuthStackSuite } from './harness.ts';
import { BOOKS } from '../support/constants.ts';

/** Past the server's refresh-token reuse leeway (Logto's 3 s), so a spent token is refused. */
const LEEWAY_PASSED_MS = refreshTokenReuseSeconds * 1000 + 300;

jest.setTimeout(20_000);

const suite = useAuthStackSuite();
const SESSION_KEYS = ['idToken', 'refreshToken', 'accessToken'];
let api: RunningSampleApi | null = null;

afterEach(async () => {
  await api?.stop();
  api = null;
});

describe('a sign-out during a refresh', () => {
  it('stays signed out: no token served, none stored, none after a relaunch, and the API is never called with one', async () => {
    let signOutDuringWrite: (() => void) | null = null;
    const stack = await suite.start({
      // The rotated refresh token is being written (Keychain latency) when the person taps Sign out.
      beforeStorageWrite: async (key) => {
        if (key !== 'refreshToken' || !signOutDuringWrite) return;
        const signOut = signOutDuringWrite;
        signOutDuringWrite = null;
        signOut();
        await sleep(50);
      },
    });
    api = await startSampleApi({ port: 0, issuer: stack.idp.issuer });
    await stack.app.waitFor('idle');
    await stack.signIn('race@example.com');
    stack.usePerson(stack.person('race@example.com'));
    const callApi = async () => {
      const token = await stack.app.auth.getAccessToken(BOOKS).catch(() => null);
      if (!token) return 'no token';
      return (await fetch(`${api?.url}/bookshelf`, { headers: { authorization: `Bearer ${token}` } })).status;
    };
    expect(await callApi()).toBe(200);

    signOutDuringWrite = () => stack.app.send({ type: 'SIGN_OUT' });
    const refresh = stack.app.auth.refreshAccessToken(BOOKS).then(
      (token) => ({ token }),
      (error: unknown) => ({ error }),
    );
    const outcome = await refresh;
    await stack.app.waitFor('idle');
    await sleep(100); // whatever the refresh still had queued has run by now

    // The refresh that lost the race does not hand out a token of the ended session.
    expect(outcome).toMatchObject({ error: { kind: 'session_expired' } });
    await expect(stack.app.auth.getAccessToken(BOOKS)).rejects.toMatchObject({ kind: 'session_expired' });
    await expect(stack.app.auth.getAccessToken()).rejects.toMatchObject({ kind: 'session_expired' });
    expect(stack.app.context.claims).toBeNull();
    for (const key of SESSION_KEYS) expect(await stack.storage.getItem(key)).toBeNull();

    // The API is never called with a token of the ended session: none is served.
    expect(await callApi()).toBe('no token');

    // A relaunch restores nothing.
    const relaunched = stack.relaunch();
    await relaunched.waitFor('idle');
    expect(relaunched.context.claims).toBeNull();
    await expect(relaunched.auth.getAccessToken(BOOKS)).rejects.toMatchObject({ kind: 'session_expired' });
  });

  it('a sign-out while the refreshed ID token is verified (JWKS fetched slowly) still ends the session', async () => {
    const stack = await suite.start();
    await stack.app.waitFor('idle');
    await stack.signIn('slow-jwks@example.com');
    stack.usePerson(stack.person('slow-jwks@example.com'));
    // A fresh process has no JWKS cached: the refresh must fetch it before it can store the ID token.
    const app = stack.relaunch();
    await app.waitFor('authenticated');
    stack.idp.faults.set('jwks', 'slow', 300);

    const refresh = app.auth.refreshAccessToken(BOOKS).catch((error: unknown) => error);
    await until(() => stack.idp.counters.refreshGrants === 1, 'the refresh grant to be served');
    app.send({ type: 'SIGN_OUT' });
    await app.waitFor('idle');
    await refresh;
    await sleep(400);

    await expect(app.auth.getAccessToken(BOOKS)).rejects.toMatchObject({ kind: 'session_expired' });
    for (const key of SESSION_KEYS) expect(await stack.storage.getItem(key)).toBeNull();
  });
});

describe('a refresh whose answer is late or lost', () => {
  it('is not abandoned when the caller stops waiting: the late answer is stored and used, with no second grant', async () => {
    const stack = await suite.start({ adapterTimers: { requestTimeout: 200, tokenWaitTimeout: 200 } });
    await stack.app.waitFor('idle');
    await stack.signIn('late@example.com');
    const before = await stack.storage.getItem('refreshToken');
    stack.idp.faults.set('token', 'slow', 600);

    await expect(stack.app.auth.getAccessToken(BOOKS)).rejects.toMatchObject({ kind: 'timeout' });
    await until(async () => (await stack.storage.getItem('refreshToken')) !== before, 'the late answer to be stored', 3_000);
    stack.idp.faults.clear();

    const token = await stack.app.auth.getAccessToken(BOOKS);
    expect(token).toBeTruthy();
    expect(stack.idp.counters.refreshGrants).toBe(1);
    expect(stack.app.state).toBe('authenticated');
  });

  it('lost once after the server rotated the token: the same token sent again at once, inside the reuse leeway, keeps the session', async () => {
    const stack = await suite.start();
    await stack.app.waitFor('idle');
    const claims = await stack.signIn('recovered@example.com');
    const spent = await stack.storage.getItem('refreshToken');
    stack.idp.counters.reset();
    stack.idp.faults.set('token', 'lose-answer', undefined, 1);

    // The first answer never arrives; the retry with the same refresh token is answered.
    const token = await stack.app.auth.getAccessToken(BOOKS);
    expect(token).toBeTruthy();
    expect(stack.idp.counters.refreshGrants).toBe(2);
    const kept = await stack.storage.getItem('refreshToken');
    expect(kept).not.toBe(spent);
    expect(await stack.storage.getItem('refreshUnanswered')).toBeNull();
    expect(stack.app.state).toBe('authenticated');
    expect(stack.app.context.claims).toEqual(claims);

    // Long after the leeway the session still refreshes: the retry's token is the live one.
    await sleep(LEEWAY_PASSED_MS);
    expect(await stack.app.auth.refreshAccessToken(BOOKS)).toBeTruthy();
    expect(stack.app.state).toBe('authenticated');
  });

  it('lost after the server rotated the token: the session ends with the honest message, not a generic expiry', async () => {
    const stack = await suite.start();
    await stack.app.waitFor('idle');
    const claims = await stack.signIn('lost@example.com');
    stack.idp.faults.set('token', 'lose-answer');

    // The server rotated the refresh token; the phone never heard back, not even to the retry
    // sent at once with the same token. The session is kept for now.
    await expect(stack.app.auth.getAccessToken(BOOKS)).rejects.toMatchObject({ kind: 'network' });
    expect(stack.app.state).toBe('authenticated');
    expect(stack.app.context.claims).toEqual(claims);
    stack.idp.faults.clear();

    // The only refresh token the phone has is the spent one. Presented again within Logto's 3 s
    // reuse leeway it would still be answered; later, the server refuses it and revokes the grant.
    await sleep(LEEWAY_PASSED_MS);
    await expect(stack.app.auth.getAccessToken(BOOKS)).rejects.toMatchObject({ kind: 'session_expired', code: 'refresh_answer_lost' });
    await stack.app.waitFor('error');
    expect(stack.app.context.error).toMatchObject({ kind: 'session_expired', code: 'refresh_answer_lost' });
    expect(stack.app.context.error?.message).toBe('We lost contact while renewing your session; please sign in again.');
    for (const key of SESSION_KEYS) expect(await stack.storage.getItem(key)).toBeNull();
  });

  it('lost, then the app is killed: the relaunched app still tells the truth when the grant turns out to be gone', async () => {
    const stack = await suite.start();
    await stack.app.waitFor('idle');
    await stack.signIn('lost-then-killed@example.com');
    stack.idp.faults.set('token', 'lose-answer');
    await expect(stack.app.auth.getAccessToken(BOOKS)).rejects.toMatchObject({ kind: 'network' });
    stack.idp.faults.clear();
    await sleep(LEEWAY_PASSED_MS);

    const app = stack.relaunch();
    await app.waitFor('authenticated');
    await expect(app.auth.getAccessToken(BOOKS)).rejects.toMatchObject({ kind: 'session_expired', code: 'refresh_answer_lost' });
    await app.waitFor('error');
    expect(app.context.error?.code).toBe('refresh_answer_lost');
  });

  it('a failure the server never processed keeps the session, and the next refresh works', async () => {
    const stack = await suite.start();
    await stack.app.waitFor('idle');
    await stack.signIn('unprocessed@example.com');
    stack.idp.faults.set('token', 'error500');
    await expect(stack.app.auth.getAccessToken(BOOKS)).rejects.toMatchObject({ kind: 'server' });
    stack.network.online = false;
    await expect(stack.app.auth.getAccessToken(BOOKS)).rejects.toMatchObject({ kind: 'network' });
    stack.network.online = true;
    stack.idp.faults.clear();

    expect(await stack.app.auth.getAccessToken(BOOKS)).toBeTruthy();
    expect(stack.app.state).toBe('authenticated');
    expect(stack.app.received).not.toContain('SESSION_EXPIRED');
  });
});
