/**
 * Full stack, sign-in through the system browser in the orders Android and iOS produce:
 * the real machine driving the real adapter over the real SDK against the local identity
 * server; the person walks the identity server's pages (email → code from the dev mailbox).
 */
import { jest } from '@jest/globals';
import { decodeJwt } from 'jose';

import { continueWithEmail, nativeShell, SUITE_TIMERS, until, useAuthStackSuite, sleep } from './harness.ts';
import { BOOKS } from '../support/constants.ts';

jest.setTimeout(20_000);

const suite = useAuthStackSuite();
const GRACE = SUITE_TIMERS.browserClosedGrace;
const RESUME_WINDOW = SUITE_TIMERS.resumeWindow;
// Timers never fire early; the margin covers the clock read after the transition.
const EARLY = 5;

describe('sign-in through the system browser', () => {
  it('signs in with an email code in Android order (deep link, then resume)', async () => {
    const stack = await suite.start();
    await stack.app.waitFor('idle');

    const claims = await stack.signIn('reader@example.com', 'android-url-first');

    expect(claims).toMatchObject({ email: 'reader@example.com', iss: stack.idp.issuer, aud: stack.idp.appId });
    const states = stack.app.statesSince();
    // The provider is checked before the browser opens, so a dead server gets the app's card.
    expect(states.slice(0, 4)).toEqual(['booting', 'idle', 'signingIn.redirecting.opening', 'signingIn.redirecting.waiting']);
    expect(states.slice(-2)).toEqual(['signingIn.callback', 'authenticated']);
    expect(states).not.toContain('error');
    expect(nativeShell.trace.indexOf('appUrlOpen')).toBeLessThan(nativeShell.trace.indexOf('resume'));
    expect(stack.idp.counters.authorizationCodeGrants).toBe(1);
    expect(await stack.storage.getItem('refreshToken')).toEqual(expect.any(String));
    expect(decodeJwt(await stack.app.auth.getAccessToken(BOOKS))).toMatchObject({ aud: BOOKS, sub: claims?.sub });
    expect(stack.app.context).toMatchObject({ error: null, pendingSignIn: null, callback: null });
  });

  it('signs in with an email code in iOS order (deep link only; the app closes the browser view)', async () => {
    const stack = await suite.start();
    await stack.app.waitFor('idle');

    const claims = await stack.signIn('ios.reader@example.com', 'ios-success');

    expect(claims).toMatchObject({ email: 'ios.reader@example.com' });
    expect(stack.app.statesSince()).not.toContain('error');
    expect(nativeShell.trace).toContain('appUrlOpen');
    expect(nativeShell.trace).not.toContain('browserFinished');
    // The SFSafariViewController stays until the app closes it; nothing else would.
    expect(nativeShell.closeCalls).toContain('resolved');
    expect(nativeShell.browserOpen).toBe(false);
    expect(await stack.app.auth.fetchUserInfo()).toMatchObject({ sub: claims?.sub, email: 'ios.reader@example.com' });
  });

  it('a person who abandons the email page ends in "cancelled" after the grace; Retry opens the same sign-in and completes', async () => {
    const stack = await suite.start();
    await stack.app.waitFor('idle');
    const email = 'undecided@example.com';
    stack.usePerson(stack.person(email, { stopAt: 'email' }), 'android-url-first');

    stack.app.send({ type: 'SIGN_IN', options: continueWithEmail(email) });
    await stack.app.waitFor('error');

    expect(stack.app.enteredAt('error') - stack.app.enteredAt('signingIn.redirecting.closing')).toBeGreaterThanOrEqual(GRACE - EARLY);
    expect(stack.app.context.error).toMatchObject({ kind: 'cancelled', code: 'browser_closed', retry: 'newRedirect', step: 'redirect' });
    expect(stack.app.context.error?.message).toMatch(/interrupted/i);
    expect(stack.idp.mailbox.all()).toHaveLength(0);

    stack.usePerson(stack.person(email));
    stack.app.send({ type: 'RETRY' });
    await stack.app.waitFor('authenticated');

    expect(stack.app.context.claims).toMatchObject({ email });
    expectSameSignInOptions(nativeShell.visits.map((visit) => visit.url));
  });

  it('a person who abandons the code page (iOS Done) ends in "cancelled" after the grace; Retry completes', async () => {
    const stack = await suite.start();
    await stack.app.waitFor('idle');
    const email = 'no.code@example.com';
    stack.usePerson(stack.person(email, { stopAt: 'code' }), 'ios-success');

    stack.app.send({ type: 'SIGN_IN', options: continueWithEmail(email) });
    await stack.app.waitFor('error');

    expect(stack.idp.mailbox.all()).toHaveLength(1); // the code was sent, never typed
    expect(nativeShell.trace).not.toContain('resume'); // iOS: the app never left the foreground
    expect(stack.app.enteredAt('error') - stack.app.enteredAt('signingIn.redirecting.closing')).toBeGreaterThanOrEqual(GRACE - EARLY);
    expect(stack.app.context.error).toMatchObject({ kind: 'cancelled', retry: 'newRedirect' });

    stack.usePerson(stack.person(email));
    stack.app.send({ type: 'RETRY' });
    await stack.app.waitFor('authenticated');

    expect(stack.app.context.claims).toMatchObject({ email });
    expectSameSignInOptions(nativeShell.visits.map((visit) => visit.url));
  });

  it('browserFinished shortly before the deep link (inside the grace) is no cancel', async () => {
    const stack = await suite.start();
    await stack.app.waitFor('idle');

    await stack.signIn('quick.link@example.com', 'android-finished-first');

    expect(nativeShell.trace.indexOf('browserFinished')).toBeLessThan(nativeShell.trace.indexOf('appUrlOpen'));
    expect(stack.app.statesSince()).toContain('signingIn.redirecting.closing');
    expect(stack.app.statesSince()).not.toContain('error');
  });

  it('browserFinished long before the deep link shows "cancelled", and the late deep link still signs in', async () => {
    const stack = await suite.start();
    await stack.app.waitFor('idle');
    const email = 'slow.link@example.com';
    stack.usePerson(stack.person(email), 'android-finished-first', { gapMs: GRACE * 3 });

    stack.app.send({ type: 'SIGN_IN', options: continueWithEmail(email) });
    await stack.app.waitFor('error');
    expect(stack.app.context.error).toMatchObject({ kind: 'cancelled', code: 'browser_closed' });

    await stack.app.waitFor('authenticated');
    expect(stack.app.statesSince().slice(-3)).toEqual(['error', 'signingIn.callback', 'authenticated']);
    expect(stack.app.context).toMatchObject({ error: null, claims: { email } });
    expect(stack.idp.counters.authorizationCodeGrants).toBe(1);
  });

  it('browserFinished after the deep link (during the exchange, and again after sign-in) is no cancel', async () => {
    const stack = await suite.start();
    await stack.app.waitFor('idle');
    const email = 'late.finish@example.com';
    stack.usePerson(stack.person(email, { redirect: 'hold' }), 'android-url-first');
    stack.app.send({ type: 'SIGN_IN', options: continueWithEmail(email) });
    const url = await until(() => stack.heldCallbacks[0], 'the identity server to redirect to the app');

    stack.deepLink(url);
    nativeShell.resume();
    await stack.app.waitFor('signingIn.callback');
    nativeShell.browserFinished();
    await stack.app.waitFor('authenticated');
    nativeShell.browserFinished();
    await sleep(GRACE * 2);

    expect(stack.app.received.filter((type) => type === 'BROWSER_CLOSED')).toHaveLength(2);
    expect(stack.app.state).toBe('authenticated');
    expect(stack.app.statesSince()).not.toContain('error');
    expect(stack.app.context.error).toBeNull();
  });

  it('Android mail-app detour: back through the launcher without a callback is "interrupted"; the late callback completes', async () => {
    const stack = await suite.start();
    await stack.app.waitFor('idle');
    const email = 'mail.detour@example.com';
    stack.usePerson(stack.person(email), 'android-mail-detour', { lateMs: GRACE * 3 });

    stack.app.send({ type: 'SIGN_IN', options: continueWithEmail(email) });
    await stack.app.waitFor('error');
    expect(stack.app.context.error).toMatchObject({ kind: 'cancelled', retry: 'newRedirect' });
    expect(stack.app.context.error?.message).toMatch(/interrupted/i);

    await stack.app.waitFor('authenticated');
    expect(stack.app.context.claims).toMatchObject({ email });
  });

  it('the app resumed with the browser lost (no browserFinished) is "interrupted" after the resume window; the late callback completes', async () => {
    const stack = await suite.start();
    await stack.app.waitFor('idle');
    const email = 'lost.tab@example.com';
    stack.usePerson(stack.person(email, { redirect: 'hold' }), 'android-url-first');
    stack.app.send({ type: 'SIGN_IN', options: continueWithEmail(email) });
    const url = await until(() => stack.heldCallbacks[0], 'the identity server to redirect to the app');

    nativeShell.resume();
    await stack.app.waitFor('error');
    expect(stack.app.enteredAt('error') - stack.app.enteredAt('signingIn.redirecting.resumed')).toBeGreaterThanOrEqual(
      RESUME_WINDOW - EARLY,
    );
    expect(stack.app.context.error).toMatchObject({ kind: 'cancelled', code: 'app_resumed_without_callback', retry: 'newRedirect' });
    expect(stack.app.context.error?.message).toMatch(/interrupted/i);

    stack.deepLink(url);
    await stack.app.waitFor('authenticated');
    expect(stack.app.context.claims).toMatchObject({ email });
  });

  it.each([
    ['from the launch URL', false],
    ['from the launch URL and the retained appUrlOpen duplicate', true],
  ])('completes a sign-in after the app was killed, %s, exchanging the code once', async (_, retainUrlOpen) => {
    const stack = await suite.start();
    await stack.app.waitFor('idle');
    const email = 'killed@example.com';
    stack.usePerson(stack.person(email), 'app-killed', { retainUrlOpen });
    const killed = stack.app;
    killed.send({ type: 'SIGN_IN', options: continueWithEmail(email) });

    await nativeShell.relaunched;
    const relaunched = stack.relaunch();
    await relaunched.waitFor('authenticated');
    await sleep(GRACE); // a duplicate would land within this

    expect(killed.state).toBe('signingIn.redirecting.waiting');
    expect(relaunched.statesSince()).toEqual(['booting', 'signingIn.callback', 'authenticated']);
    expect(relaunched.context.claims).toMatchObject({ email });
    if (retainUrlOpen) expect(nativeShell.trace).toEqual(expect.arrayContaining(['appUrlOpen (retained)', 'appUrlOpen']));
    expect(stack.idp.counters.authorizationCodeGrants).toBe(1);
    expect(await stack.storage.getItem('pendingSignIn')).toBeNull();
  });
});

/** Retry repeats the sign-in with the same options (a fresh PKCE pair and state). */
function expectSameSignInOptions(urls: string[]): void {
  expect(urls).toHaveLength(2);
  const [first, second] = urls.map((url) => new URL(url).searchParams);
  for (const key of ['first_screen', 'identifier', 'login_hint', 'scope', 'resource', 'redirect_uri', 'prompt']) {
    expect([key, second.getAll(key)]).toEqual([key, first.getAll(key)]);
  }
  expect(first.get('login_hint')).toEqual(expect.stringContaining('@example.com'));
  expect(second.get('state')).not.toBe(first.get('state'));
}
