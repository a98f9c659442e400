/**
 * Full stack, the session after sign-in: refresh with rotation, a refresh token revoked at the
 * server, refresh while offline, and a re-sign-in that is cancelled.
 */
import { jest } from '@jest/globals';
import { decodeJwt } from 'jose';

import { continueWithEmail, nativeShell, sleep, SUITE_TIMERS, until, useAuthStackSuite } from './harness.ts';
import { BOOKS, RESOURCES } from '../support/constants.ts';

jest.setTimeout(20_000);

const suite = useAuthStackSuite();
const REVIEWS = RESOURCES[1];
const GRACE = SUITE_TIMERS.browserClosedGrace;

describe('the session after sign-in', () => {
  it('refreshes an expired access token with a rotated refresh token, and the machine stays authenticated', async () => {
    const stack = await suite.start({ idp: { ttl: { accessToken: 2 } }, adapterTimers: { refreshMargin: 0 } });
    await stack.app.waitFor('idle');
    const claims = await stack.signIn('rotating@example.com');
    const refreshTokens = [await stack.storage.getItem('refreshToken')];

    const fromSignIn = await stack.app.auth.getAccessToken();
    expect(stack.idp.counters.refreshGrants).toBe(0);
    const { expiresAt } = JSON.parse((await stack.storage.getItem('accessToken')) ?? '{}')['@'] as { expiresAt: number };
    await sleep(expiresAt * 1000 - Date.now() + 50);

    const refreshed = await stack.app.auth.getAccessToken();
    refreshTokens.push(await stack.storage.getItem('refreshToken'));
    const books = await stack.app.auth.getAccessToken(BOOKS);
    refreshTokens.push(await stack.storage.getItem('refreshToken'));

    expect(refreshed).not.toBe(fromSignIn);
    expect(decodeJwt(books)).toMatchObject({ aud: BOOKS, sub: claims?.sub });
    expect(stack.idp.counters.refreshGrants).toBe(2);
    expect(new Set(refreshTokens).size).toBe(3);
    expect(await stack.app.auth.fetchUserInfo()).toMatchObject({ sub: claims?.sub });
    expect(stack.app.state).toBe('authenticated');
    expect(stack.app.context.claims).toEqual(claims);
    expect(stack.app.received).not.toContain('SESSION_EXPIRED');
  });

  it('a refresh token revoked at the server ends in error{session_expired} with the local session cleared; Retry signs in again', async () => {
    const stack = await suite.start();
    await stack.app.waitFor('idle');
    const email = 'revoked@example.com';
    const claims = await stack.signIn(email);

    await stack.idp.revokeAllGrants(email);
    await expect(stack.app.auth.getAccessToken(BOOKS)).rejects.toMatchObject({ kind: 'session_expired', code: 'oidc.invalid_grant' });
    await stack.app.waitFor('error');

    expect(stack.app.context.error).toMatchObject({ kind: 'session_expired', retry: 'newRedirect', step: 'session' });
    expect(stack.app.context.claims).toBeNull();
    for (const key of ['idToken', 'refreshToken', 'accessToken']) expect(await stack.storage.getItem(key)).toBeNull();

    stack.app.send({ type: 'RETRY' });
    await stack.app.waitFor('authenticated');
    expect(stack.app.context.claims).toMatchObject({ sub: claims?.sub, email });
    // The server also ended the browser session: the person had to ask for a new code.
    expect(stack.idp.mailbox.all()).toHaveLength(2);
  });

  it('a refresh that fails offline keeps the session: still authenticated, nothing cleared, works again online', async () => {
    const stack = await suite.start();
    await stack.app.waitFor('idle');
    const claims = await stack.signIn('offline@example.com');
    const session = stack.storage.snapshot();

    stack.network.online = false;
    await expect(stack.app.auth.getAccessToken(REVIEWS)).rejects.toMatchObject({ kind: 'network', retry: 'newRedirect' });
    nativeShell.resume();
    await sleep(GRACE);
    expect(stack.app.state).toBe('authenticated');
    expect(stack.app.context).toMatchObject({ claims, error: null });
    // Nothing of the session changed; only the mark that the sent token may be spent (no answer came).
    expect(stack.storage.snapshot()).toEqual({ ...session, refreshUnanswered: '1' });

    // Restarting offline restores from storage alone.
    const app = stack.relaunch();
    await app.waitFor('authenticated');
    expect(app.context.claims).toEqual(claims);

    stack.network.online = true;
    expect(decodeJwt(await app.auth.getAccessToken(REVIEWS))).toMatchObject({ aud: REVIEWS, sub: claims?.sub });
    expect(app.received).not.toContain('SESSION_EXPIRED');
    expect(stack.app.received).not.toContain('SESSION_EXPIRED');
  });

  it.each([
    ['closes the browser', 'browser_closed'],
    ['taps Cancel in the app', 'user_cancelled'],
  ])('a re-sign-in the person abandons (%s) returns to the old session with a notice, with working tokens', async (how, code) => {
    const stack = await suite.start();
    await stack.app.waitFor('idle');
    const email = 'keeper@example.com';
    const claims = await stack.signIn(email);
    const idToken = await stack.storage.getItem('idToken');

    // Opens sign-in again (e.g. to switch account), then changes their mind.
    stack.usePerson(() => ({ kind: how === 'closes the browser' ? 'dismiss' : 'stay' }), 'android-url-first');
    stack.app.send({ type: 'SIGN_IN', options: continueWithEmail('someone.else@example.com') });
    await stack.app.waitFor('signingIn.redirecting');
    await until(() => nativeShell.visits.length === 2, 'the browser to open again');
    if (how !== 'closes the browser') stack.app.send({ type: 'CANCEL' });
    // Back to the kept session at once, with a notice ("You're still signed in as …"), never an error: the person is still signed in.
    await until(() => stack.app.state === 'authenticated' && stack.app.context.error !== null, 'the kept session with a notice');
    expect(stack.app.context.error).toMatchObject({ kind: 'cancelled', code });
    expect(stack.app.context.claims).toEqual(claims);

    stack.app.send({ type: 'DISMISS' });

    expect(stack.app.context).toMatchObject({ claims, error: null });
    expect(await stack.storage.getItem('idToken')).toBe(idToken);
    expect(decodeJwt(await stack.app.auth.getAccessToken(BOOKS))).toMatchObject({ aud: BOOKS, sub: claims?.sub });
    expect(await stack.storage.getItem('pendingSignIn')).toBeNull();
    expect(nativeShell.browserOpen).toBe(false);
  });

  it('switching account while the provider session lives signs in as the other person (prompt=login), with working tokens', async () => {
    const stack = await suite.start();
    await stack.app.waitFor('idle');
    const first = await stack.signIn('first@example.com');
    const firstRefreshToken = await stack.storage.getItem('refreshToken');

    // The same browser, its provider session alive: a plain "Continue with email" comes back as
    // the first person without showing a page (why the switch asks for prompt=login).
    stack.usePerson(stack.person('second@example.com'));
    stack.app.send({ type: 'SIGN_IN', options: continueWithEmail('second@example.com') });
    await until(() => stack.idp.counters.authorizationCodeGrants === 2 && stack.app.state === 'authenticated', 'the silent sign-in');
    expect(stack.app.context.claims).toMatchObject({ sub: first?.sub, email: 'first@example.com' });
    expect(stack.idp.mailbox.all()).toHaveLength(1);

    stack.usePerson(stack.person('second@example.com'));
    stack.app.send({ type: 'SIGN_IN', options: { ...continueWithEmail('second@example.com'), prompt: 'login' } });
    await until(() => nativeShell.visits.length === 3, 'the browser to open for the switch');
    await stack.app.waitFor('authenticated');

    const second = stack.app.context.claims;
    expect(second).toMatchObject({ email: 'second@example.com' });
    expect(second?.sub).not.toBe(first?.sub);
    // The person had to prove the new address: a second code, to the second address.
    const recipients = stack.idp.mailbox.all().map((mail) => mail.to);
    expect(recipients.sort()).toEqual(['first@example.com', 'second@example.com']);
    expect(decodeJwt(await stack.app.auth.getAccessToken(BOOKS))).toMatchObject({ aud: BOOKS, sub: second?.sub });
    expect(await stack.storage.getItem('refreshToken')).toBeTruthy();
    expect((await stack.app.auth.fetchUserInfo())['sub']).toBe(second?.sub);

    // The first person's grant outlives the provider's logout; the app revoked its refresh token.
    await until(() => stack.idp.counters.revocations === 1, 'the first account to be revoked');
    const refreshAsFirst = await fetch(`${stack.idp.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: stack.idp.appId, refresh_token: firstRefreshToken ?? '' }),
    });
    expect(refreshAsFirst.status).toBe(400);
    expect(await refreshAsFirst.json()).toMatchObject({ error: 'invalid_grant' });

    // The next app start restores the second person.
    const app = stack.relaunch();
    await app.waitFor('authenticated');
    expect(app.context.claims).toMatchObject({ sub: second?.sub, email: 'second@example.com' });
  });

  it('a switch the person cancels at the sign-in page keeps the first account and its tokens', async () => {
    const stack = await suite.start();
    await stack.app.waitFor('idle');
    const claims = await stack.signIn('staying@example.com');
    const idToken = await stack.storage.getItem('idToken');

    stack.usePerson(stack.person('other@example.com', { stopAt: 'email', afterStop: 'dismiss' }));
    stack.app.send({ type: 'SIGN_IN', options: { ...continueWithEmail('other@example.com'), prompt: 'login' } });
    await until(() => stack.app.state === 'authenticated' && stack.app.context.error !== null, 'the kept session with a notice');
    expect(stack.app.context.error).toMatchObject({ kind: 'cancelled', code: 'browser_closed' });
    expect(stack.app.context.claims).toEqual(claims);

    stack.app.send({ type: 'DISMISS' });
    expect(stack.app.context).toMatchObject({ claims, error: null });
    expect(await stack.storage.getItem('idToken')).toBe(idToken);
    expect(decodeJwt(await stack.app.auth.getAccessToken(BOOKS))).toMatchObject({ aud: BOOKS, sub: claims?.sub });
    expect(stack.idp.mailbox.all()).toHaveLength(1);
  });
});
