import { createActor, SimulatedClock } from 'xstate';

import { authMachine } from './auth-machine';
import { createAuthMachine } from './create-auth-machine';
import { AUTH_ERROR_TEXT, AUTH_NOTICE_TEXT, authError } from './errors';
import type { AuthEvent, AuthEventType } from './events';
import type { IdTokenClaims, SignInOptions } from './port';
import { stateToString } from './state-string';
import { startAuthHarness, flushMicrotasks, type AuthHarness } from './testing/auth-harness';
import { DEFAULT_FAKE_CLAIMS, FakeAuthPort, fakeErrors } from './testing/fake-port';
import { DEFAULT_TIMERS } from './timers';

const OLD_CLAIMS: IdTokenClaims = { sub: 'old-user', email: 'old@example.com' };
const NEW_CLAIMS: IdTokenClaims = { sub: 'new-user', email: 'new@example.com' };
const EMAIL_SIGN_IN: SignInOptions = {
  firstScreen: 'identifier:sign_in',
  identifiers: ['email'],
  loginHint: 'jane@example.com',
};

let harness: AuthHarness | undefined;
afterEach(() => {
  harness?.stop();
  if (harness) expect(harness.port.listenerCount).toBe(0);
  harness = undefined;
});

async function start(port = new FakeAuthPort(), timers = {}): Promise<AuthHarness> {
  harness = await startAuthHarness({ port, timers });
  return harness;
}

/** Signed in as OLD_CLAIMS, idle browser. */
async function startAuthenticated(): Promise<AuthHarness> {
  const h = await start(new FakeAuthPort({ session: OLD_CLAIMS, nextClaims: NEW_CLAIMS }));
  expect(h.state()).toBe('authenticated');
  return h;
}

async function startRedirecting(options: SignInOptions = EMAIL_SIGN_IN): Promise<AuthHarness> {
  const h = await start();
  await h.send({ type: 'SIGN_IN', options });
  expect(h.state()).toBe('signingIn.redirecting.waiting');
  return h;
}

describe('booting', () => {
  it('restores a stored session into authenticated without any sign-in', async () => {
    const h = await start(new FakeAuthPort({ session: OLD_CLAIMS }));
    expect(h.state()).toBe('authenticated');
    expect(h.context().claims).toEqual(OLD_CLAIMS);
    expect(h.port.calls.startSignIn).toHaveLength(0);
  });

  it('shows idle when nothing is stored', async () => {
    const h = await start();
    expect(h.state()).toBe('idle');
    expect(h.context()).toMatchObject({ claims: null, error: null, pendingSignIn: null, callback: null });
  });

  it('shows idle when storage cannot be read', async () => {
    const h = await start(new FakeAuthPort({ session: OLD_CLAIMS }).failNext('restore', new Error('keystore locked')));
    expect(h.state()).toBe('idle');
    expect(h.context().error).toBeNull();
  });

  it('waits in booting while storage is being read', async () => {
    const h = await start(new FakeAuthPort().hold('restore'));
    expect(h.state()).toBe('booting');
    h.port.resolveHeld('restore');
    await h.settle();
    expect(h.state()).toBe('idle');
  });

  it('storage that never answers ends booting after restoreTimeout, so the app is usable', async () => {
    const h = await start(new FakeAuthPort({ session: OLD_CLAIMS }).hold('restore'));
    await h.advance(DEFAULT_TIMERS.restoreTimeout - 1);
    expect(h.state()).toBe('booting');
    await h.advance(1);
    expect(h.state()).toBe('idle');
    await h.send({ type: 'SIGN_IN' });
    expect(h.state()).toMatch(/^signingIn\.redirecting/);
  });

  it('a restored session without usable claims is not authenticated', async () => {
    const port = new FakeAuthPort().hold('restore');
    const h = await start(port);
    port.resolveHeld('restore', { claims: { sub: '' }, pendingSignIn: false, launchCallback: null });
    await h.settle();
    expect(h.state()).toBe('idle');
    expect(h.context().claims).toBeNull();
  });

  it('an app killed mid-sign-in and relaunched by its callback goes straight to callback and signs in', async () => {
    const port = new FakeAuthPort();
    const first = await start(port);
    await first.send({ type: 'SIGN_IN', options: EMAIL_SIGN_IN });
    first.stop();
    port.kill();
    port.relaunch({ withCallback: true });

    port.hold('completeSignIn');
    const h = await start(port);
    expect(h.state()).toBe('signingIn.callback');
    expect(h.context().callback).toBe('cb-1');
    expect(h.context().pendingSignIn).toEqual(EMAIL_SIGN_IN);
    port.resolveHeld('completeSignIn');
    await h.settle();
    expect(h.state()).toBe('authenticated');
    expect(h.context().claims).toEqual(DEFAULT_FAKE_CLAIMS);
    expect(port.calls.completeSignIn).toEqual(['cb-1']);
  });

  it('a pending sign-in without its callback (web Back button, killed app) is error{cancelled, sign_in_interrupted} and RETRY repeats it', async () => {
    const port = new FakeAuthPort({ pendingSignIn: { serial: 4, options: EMAIL_SIGN_IN } });
    const h = await start(port);
    expect(h.state()).toBe('error');
    expect(h.context().error).toEqual({
      kind: 'cancelled',
      code: 'sign_in_interrupted',
      message: AUTH_ERROR_TEXT.cancelled.message,
      retry: 'newRedirect',
      step: 'redirect',
    });
    await h.send({ type: 'RETRY' });
    expect(h.state()).toBe('signingIn.redirecting.waiting');
    expect(port.calls.startSignIn).toEqual([EMAIL_SIGN_IN]);
  });

  it('a pending re-sign-in found at boot is the kept session with a notice; DISMISS forgets the pending sign-in', async () => {
    const port = new FakeAuthPort({ session: OLD_CLAIMS, pendingSignIn: { serial: 1, options: {} } });
    const h = await start(port);
    expect(h.state()).toBe('authenticated');
    expect(h.context().claims).toEqual(OLD_CLAIMS);
    expect(h.context().error).toMatchObject({ kind: 'cancelled', code: 'sign_in_interrupted', retry: 'none' });
    expect(h.context().error?.message).toBe(AUTH_NOTICE_TEXT.interruptedKeptSession);
    await h.send({ type: 'DISMISS' });
    expect(h.context().error).toBeNull();
    expect(h.state()).toBe('authenticated');
    expect(h.context().claims).toEqual(OLD_CLAIMS);
    expect(port.storage.pendingSignIn).toBeNull();
  });

  it('a deep link delivered while storage is read is exchanged once restore finishes', async () => {
    const port = new FakeAuthPort({ pendingSignIn: { serial: 2, options: {} } }).hold('restore');
    const h = await start(port);
    port.emit({ type: 'CALLBACK_RECEIVED', callback: 'cb-2' });
    await h.settle();
    expect(h.state()).toBe('booting');
    port.resolveHeld('restore');
    await h.settle();
    expect(h.state()).toBe('authenticated');
    expect(port.calls.completeSignIn).toEqual(['cb-2']);
  });
});

describe('signing in: the browser step', () => {
  it('SIGN_IN opens the browser with exactly the given options', async () => {
    const h = await startRedirecting(EMAIL_SIGN_IN);
    expect(h.port.calls.startSignIn).toEqual([EMAIL_SIGN_IN]);
    expect(h.context().pendingSignIn).toEqual(EMAIL_SIGN_IN);
  });

  it('SIGN_IN without options signs in with the defaults', async () => {
    const h = await start();
    await h.send({ type: 'SIGN_IN' });
    expect(h.port.calls.startSignIn).toEqual([{}]);
  });

  it('the callback signs the user in, closes the browser and forgets the flow', async () => {
    const h = await startRedirecting();
    const ref = h.port.completeBrowserSignIn();
    await h.settle();
    expect(h.state()).toBe('authenticated');
    expect(h.port.calls.completeSignIn).toEqual([ref]);
    expect(h.port.calls.closeBrowser).toBe(1);
    expect(h.context()).toMatchObject({ claims: DEFAULT_FAKE_CLAIMS, error: null, pendingSignIn: null, callback: null });
  });

  it('a rejecting browser close (iOS "No active window") never turns success into failure', async () => {
    const h = await startRedirecting();
    h.port.failNext('closeBrowser', new Error('No active window to close!'));
    h.port.completeBrowserSignIn();
    await h.settle();
    expect(h.state()).toBe('authenticated');
  });

  it('a browser close that throws synchronously does not break the sign-in either', async () => {
    const h = await startRedirecting();
    h.port.closeBrowser = () => {
      throw new Error('plugin missing');
    };
    h.port.completeBrowserSignIn();
    await h.settle();
    expect(h.state()).toBe('authenticated');
  });

  it('a dismissed browser waits the grace period, then lands in error{cancelled} with a humane message', async () => {
    const h = await startRedirecting();
    h.port.emit({ type: 'BROWSER_CLOSED' });
    await h.settle();
    expect(h.state()).toBe('signingIn.redirecting.closing');
    await h.advance(DEFAULT_TIMERS.browserClosedGrace - 1);
    expect(h.state()).toBe('signingIn.redirecting.closing');
    await h.advance(1);
    expect(h.state()).toBe('error');
    expect(h.context().error).toMatchObject({ kind: 'cancelled', code: 'browser_closed', retry: 'newRedirect', step: 'redirect' });
    expect(h.context().error?.message).toBe(AUTH_ERROR_TEXT.cancelled.message);
  });

  it('a deep link arriving inside the grace period wins over browser closed (Android order)', async () => {
    const h = await startRedirecting();
    h.port.emit({ type: 'BROWSER_CLOSED' });
    await h.advance(1_900);
    h.port.completeBrowserSignIn();
    await h.settle();
    expect(h.state()).toBe('authenticated');
    await h.advance(10_000);
    expect(h.state()).toBe('authenticated');
  });

  it('the SDK reporting user_cancelled from startSignIn is error{cancelled}', async () => {
    const port = new FakeAuthPort().failNext('startSignIn', fakeErrors.userCancelled());
    const h = await start(port);
    await h.send({ type: 'SIGN_IN' });
    expect(h.state()).toBe('error');
    expect(h.context().error).toMatchObject({ kind: 'cancelled', step: 'redirect' });
  });

  it('a failure to open the browser keeps its kind and blames the redirect step', async () => {
    const port = new FakeAuthPort().failNext('startSignIn', fakeErrors.network('callback'));
    const h = await start(port);
    await h.send({ type: 'SIGN_IN' });
    expect(h.context().error).toMatchObject({ kind: 'network', step: 'redirect', retry: 'newRedirect' });
  });

  it('app resumed with no callback within the resume window is error{cancelled}', async () => {
    const h = await startRedirecting();
    h.port.emit({ type: 'APP_RESUMED' });
    await h.settle();
    expect(h.state()).toBe('signingIn.redirecting.resumed');
    await h.advance(DEFAULT_TIMERS.resumeWindow);
    expect(h.state()).toBe('error');
    expect(h.context().error).toMatchObject({ kind: 'cancelled', code: 'app_resumed_without_callback' });
  });

  it('app resumed followed by the deep link within the window signs in', async () => {
    const h = await startRedirecting();
    h.port.emit({ type: 'APP_RESUMED' });
    await h.advance(500);
    h.port.completeBrowserSignIn();
    await h.settle();
    expect(h.state()).toBe('authenticated');
  });

  it('Android mail-app detour (browserFinished, then resume via launcher): interrupted, Retry is one tap, a late callback still signs in', async () => {
    const h = await startRedirecting();
    h.port.emit({ type: 'BROWSER_CLOSED' }); // Custom Tab hidden while the user reads the mail
    h.port.emit({ type: 'APP_RESUMED' }); // back through the launcher
    await h.advance(DEFAULT_TIMERS.browserClosedGrace);
    expect(h.state()).toBe('error');
    expect(h.context().error?.message).toBe(AUTH_ERROR_TEXT.cancelled.message);
    expect(h.context().error?.retry).toBe('newRedirect');

    // The tab was still alive after all: the user finishes and the deep link comes late.
    h.port.completeBrowserSignIn();
    await h.settle();
    expect(h.state()).toBe('authenticated');
  });

  it('after resume, a browser-closed signal restarts the wait with the (longer) grace period', async () => {
    const h = await start(new FakeAuthPort(), { resumeWindow: 500, browserClosedGrace: 2_000 });
    await h.send({ type: 'SIGN_IN' });
    h.port.emit({ type: 'APP_RESUMED' });
    await h.advance(400);
    h.port.emit({ type: 'BROWSER_CLOSED' });
    await h.advance(1_000);
    expect(h.state()).toBe('signingIn.redirecting.closing');
    await h.advance(1_000);
    expect(h.state()).toBe('error');
  });

  it('the browser step ends after redirectTimeout with error{timeout} and closes the browser', async () => {
    const h = await startRedirecting();
    await h.advance(DEFAULT_TIMERS.redirectTimeout - 1);
    expect(h.state()).toBe('signingIn.redirecting.waiting');
    await h.advance(1);
    expect(h.state()).toBe('error');
    expect(h.context().error).toMatchObject({ kind: 'timeout', code: 'redirect_timeout', retry: 'newRedirect', step: 'redirect' });
    expect(h.port.calls.closeBrowser).toBe(1);
  });

  it('the redirect timeout also bounds a browser that never finished opening', async () => {
    const port = new FakeAuthPort().hold('startSignIn');
    const h = await start(port);
    await h.send({ type: 'SIGN_IN' });
    await h.advance(DEFAULT_TIMERS.redirectTimeout);
    expect(h.state()).toBe('error');
  });

  it('CANCEL returns to idle saying "You cancelled sign-in", closes the browser and forgets the pending sign-in', async () => {
    const h = await startRedirecting();
    h.port.failNext('closeBrowser', new Error('already closed'));
    await h.send({ type: 'CANCEL' });
    expect(h.state()).toBe('idle');
    expect(h.context().error).toMatchObject({ kind: 'cancelled', code: 'user_cancelled', step: 'redirect', retry: 'none' });
    expect(h.context().error?.message).toBe('You cancelled sign-in.');
    expect(h.context().pendingSignIn).toBeNull();
    expect(h.port.calls.closeBrowser).toBe(1);
    expect(h.port.calls.discardPendingSignIn).toBe(1);
    expect(h.port.storage.pendingSignIn).toBeNull();
  });

  it('CANCEL while the browser is still opening aborts the start: nothing opens, nothing stays pending', async () => {
    const port = new FakeAuthPort().hold('startSignIn');
    const h = await start(port);
    await h.send({ type: 'SIGN_IN', options: EMAIL_SIGN_IN });
    expect(h.state()).toBe('signingIn.redirecting.opening');
    expect(h.actor.getSnapshot().hasTag('openingBrowser')).toBe(true);
    expect(h.actor.getSnapshot().hasTag('browserOpen')).toBe(false);
    await h.send({ type: 'CANCEL' });
    expect(h.state()).toBe('idle');
    expect(port.calls.abortedStartSignIn).toBe(1);
    // The held start finishing late (discovery answered) opens nothing and stores nothing.
    port.resolveHeld('startSignIn');
    await h.settle();
    expect(port.browserOpen).toBe(false);
    expect(port.storage.pendingSignIn).toBeNull();
    expect(h.state()).toBe('idle');
  });

  it('SIGN_IN after a cancel starts again with the new options', async () => {
    const h = await startRedirecting(EMAIL_SIGN_IN);
    await h.send({ type: 'CANCEL' });
    await h.send({ type: 'SIGN_IN', options: EMAIL_SIGN_IN });
    expect(h.state()).toBe('signingIn.redirecting.waiting');
    expect(h.port.calls.startSignIn).toEqual([EMAIL_SIGN_IN, EMAIL_SIGN_IN]);
    expect(h.context().error).toBeNull();
  });

  it('RETRY after a redirect timeout opens the browser again with the same options', async () => {
    const h = await startRedirecting(EMAIL_SIGN_IN);
    await h.advance(DEFAULT_TIMERS.redirectTimeout);
    await h.send({ type: 'RETRY' });
    expect(h.port.calls.startSignIn).toEqual([EMAIL_SIGN_IN, EMAIL_SIGN_IN]);
  });

  it('SIGN_IN from an error starts over with the new options', async () => {
    const h = await startRedirecting(EMAIL_SIGN_IN);
    h.port.emit({ type: 'BROWSER_CLOSED' });
    await h.advance(DEFAULT_TIMERS.browserClosedGrace);
    await h.send({ type: 'SIGN_IN', options: { firstScreen: 'register' } });
    expect(h.state()).toBe('signingIn.redirecting.waiting');
    expect(h.port.calls.startSignIn).toEqual([EMAIL_SIGN_IN, { firstScreen: 'register' }]);
    expect(h.context()).toMatchObject({ error: null, pendingSignIn: { firstScreen: 'register' } });
  });

  it('DISMISS after a closed browser with no session returns to idle and forgets the pending sign-in', async () => {
    const h = await startRedirecting();
    h.port.emit({ type: 'BROWSER_CLOSED' });
    await h.advance(DEFAULT_TIMERS.browserClosedGrace);
    await h.send({ type: 'DISMISS' });
    expect(h.state()).toBe('idle');
    expect(h.port.calls.discardPendingSignIn).toBe(1);
    expect(h.port.storage.pendingSignIn).toBeNull();
    expect(h.context()).toMatchObject({ error: null, pendingSignIn: null, callback: null, claims: null });
  });

  it('a late deep link after CANCEL finds nothing pending: the person stays signed out', async () => {
    const h = await startRedirecting();
    const ref = h.port.currentCallbackRef();
    await h.send({ type: 'CANCEL' });
    expect(h.port.completeBrowserSignIn()).toBeNull();
    await h.settle();
    expect(h.state()).toBe('idle');
    expect(ref).not.toBeNull();
  });

  it('a late deep link after the browser closed still completes the sign-in', async () => {
    const h = await startRedirecting();
    h.port.emit({ type: 'BROWSER_CLOSED' });
    await h.advance(DEFAULT_TIMERS.browserClosedGrace);
    expect(h.state()).toBe('error');
    h.port.hold('completeSignIn');
    h.port.completeBrowserSignIn();
    await h.settle();
    expect(h.state()).toBe('signingIn.callback');
    h.port.resolveHeld('completeSignIn');
    await h.settle();
    expect(h.state()).toBe('authenticated');
  });

  it('a duplicate deep link while the code is being exchanged is handled once', async () => {
    const h = await startRedirecting();
    h.port.hold('completeSignIn');
    const ref = h.port.completeBrowserSignIn()!;
    await h.settle();
    h.port.emit({ type: 'CALLBACK_RECEIVED', callback: ref });
    await h.settle();
    expect(h.port.calls.completeSignIn).toEqual([ref]);
    h.port.resolveHeld('completeSignIn');
    await h.settle();
    expect(h.state()).toBe('authenticated');
    expect(h.port.calls.completeSignIn).toHaveLength(1);
  });

  it('SIGN_IN while already signing in does not open a second browser', async () => {
    const h = await startRedirecting();
    await h.send({ type: 'SIGN_IN', options: { firstScreen: 'register' } });
    expect(h.port.calls.startSignIn).toHaveLength(1);
    expect(h.state()).toBe('signingIn.redirecting.waiting');
  });
});

describe('signing in: the code exchange', () => {
  async function startExchanging(): Promise<AuthHarness> {
    const h = await startRedirecting(EMAIL_SIGN_IN);
    h.port.hold('completeSignIn');
    h.port.completeBrowserSignIn();
    await h.settle();
    expect(h.state()).toBe('signingIn.callback');
    return h;
  }

  it('a network failure is error{network, retry: sameCallback} and RETRY re-runs the exchange with the same callback', async () => {
    const h = await startExchanging();
    h.port.rejectHeld('completeSignIn', fakeErrors.network());
    await h.settle();
    expect(h.state()).toBe('error');
    expect(h.context().error).toMatchObject({ kind: 'network', retry: 'sameCallback', step: 'callback' });
    expect(h.context().callback).toBe('cb-1');

    h.port.release('completeSignIn');
    await h.send({ type: 'RETRY' });
    expect(h.state()).toBe('authenticated');
    expect(h.port.calls.completeSignIn).toEqual(['cb-1', 'cb-1']);
    expect(h.port.calls.startSignIn).toHaveLength(1);
  });

  it('an exchange slower than codeExchangeTimeout is error{timeout, retry: sameCallback}', async () => {
    const h = await startExchanging();
    await h.advance(DEFAULT_TIMERS.codeExchangeTimeout - 1);
    expect(h.state()).toBe('signingIn.callback');
    await h.advance(1);
    expect(h.state()).toBe('error');
    expect(h.context().error).toMatchObject({ kind: 'timeout', code: 'token_request_timeout', retry: 'sameCallback', step: 'callback' });
    // The abandoned exchange settling later changes nothing.
    h.port.resolveHeld('completeSignIn');
    await h.settle();
    expect(h.state()).toBe('error');
  });

  it('RETRY after an exchange timeout re-runs the same callback', async () => {
    const h = await startExchanging();
    await h.advance(DEFAULT_TIMERS.codeExchangeTimeout);
    h.port.release('completeSignIn');
    await h.send({ type: 'RETRY' });
    expect(h.port.calls.completeSignIn).toEqual(['cb-1', 'cb-1']);
    expect(h.state()).toBe('authenticated');
  });

  it('RETRY after a timed-out exchange that landed meanwhile signs in (completeSignIn is idempotent per ref)', async () => {
    const h = await startExchanging();
    await h.advance(DEFAULT_TIMERS.codeExchangeTimeout);
    h.port.resolveHeld('completeSignIn'); // the slow exchange finishes after the machine gave up
    await h.settle();
    h.port.release('completeSignIn');
    await h.send({ type: 'RETRY' });
    expect(h.state()).toBe('authenticated');
    expect(h.context().claims).toEqual(DEFAULT_FAKE_CLAIMS);
  });

  it('RETRY after an invalid callback starts a fresh redirect with the same options', async () => {
    const h = await startExchanging();
    h.port.rejectHeld('completeSignIn', fakeErrors.invalidCallback());
    await h.settle();
    expect(h.context().error).toMatchObject({ kind: 'invalid_callback', step: 'callback' });
    await h.send({ type: 'RETRY' });
    expect(h.state()).toBe('signingIn.redirecting.waiting');
    expect(h.port.calls.startSignIn).toEqual([EMAIL_SIGN_IN, EMAIL_SIGN_IN]);
    expect(h.context().callback).toBeNull();
  });

  it("the provider's access_denied keeps its kind and description", async () => {
    const h = await startExchanging();
    const denied = authError({
      kind: 'access_denied',
      code: 'access_denied',
      step: 'callback',
      message: 'The resource owner denied the request.',
    });
    h.port.rejectHeld('completeSignIn', denied);
    await h.settle();
    expect(h.context().error).toEqual(denied);
  });

  it('an unexpected failure becomes kind unknown with a fixed message (its text never reaches context)', async () => {
    const h = await startExchanging();
    h.port.rejectHeld('completeSignIn', new Error('POST https://idp/token?code=SECRET failed'));
    await h.settle();
    expect(h.context().error).toEqual({
      kind: 'unknown',
      code: 'unexpected_error',
      message: AUTH_ERROR_TEXT.unknown.message,
      retry: 'sameCallback',
      step: 'callback',
    });
    expect(JSON.stringify(h.context())).not.toContain('SECRET');
  });

  it('an exchange that yields no usable claims never authenticates', async () => {
    const h = await startExchanging();
    h.port.resolveHeld('completeSignIn', { name: 'no sub' });
    await h.settle();
    expect(h.state()).toBe('error');
    expect(h.context().claims).toBeNull();
    expect(h.context().error).toMatchObject({ kind: 'invalid_callback', code: 'id_token_missing' });
  });

  it('an error whose retry policy is none ignores RETRY; DISMISS still leaves', async () => {
    const h = await startExchanging();
    h.port.rejectHeld('completeSignIn', fakeErrors.config('callback'));
    await h.settle();
    await h.send({ type: 'RETRY' });
    expect(h.state()).toBe('error');
    await h.send({ type: 'DISMISS' });
    expect(h.state()).toBe('idle');
  });

  it('CANCEL and BROWSER_CLOSED during the exchange do not abandon it', async () => {
    const h = await startExchanging();
    await h.send({ type: 'CANCEL' });
    h.port.emit({ type: 'BROWSER_CLOSED' });
    h.port.emit({ type: 'APP_RESUMED' });
    await h.advance(5_000);
    expect(h.state()).toBe('signingIn.callback');
    h.port.resolveHeld('completeSignIn');
    await h.settle();
    expect(h.state()).toBe('authenticated');
  });
});

describe('re-sign-in and switching account', () => {
  it('SIGN_IN while authenticated keeps the claims until the new ones land', async () => {
    const h = await startAuthenticated();
    await h.send({ type: 'SIGN_IN', options: { firstScreen: 'signIn' } });
    expect(h.state()).toBe('signingIn.redirecting.waiting');
    expect(h.context().claims).toEqual(OLD_CLAIMS);
    h.port.hold('completeSignIn');
    h.port.completeBrowserSignIn();
    await h.settle();
    expect(h.context().claims).toEqual(OLD_CLAIMS);
    h.port.resolveHeld('completeSignIn');
    await h.settle();
    expect(h.state()).toBe('authenticated');
    expect(h.context().claims).toEqual(NEW_CLAIMS);
  });

  it('a re-sign-in whose browser closed returns to the kept session with a notice; a late link still switches', async () => {
    const h = await startAuthenticated();
    await h.send({ type: 'SIGN_IN' });
    h.port.emit({ type: 'BROWSER_CLOSED' });
    await h.advance(DEFAULT_TIMERS.browserClosedGrace);
    expect(h.state()).toBe('authenticated');
    expect(h.context().claims).toEqual(OLD_CLAIMS);
    expect(h.context().error).toMatchObject({ kind: 'cancelled', code: 'browser_closed', retry: 'none' });
    // Android mail-app detour: the browser tab comes back and the code is entered after all.
    h.port.completeBrowserSignIn();
    await h.settle();
    expect(h.state()).toBe('authenticated');
    expect(h.context()).toMatchObject({ claims: NEW_CLAIMS, error: null });
  });

  it('a re-sign-in the person cancels returns to the kept session at once, saying so', async () => {
    const h = await startAuthenticated();
    await h.send({ type: 'SIGN_IN' });
    await h.send({ type: 'CANCEL' });
    expect(h.state()).toBe('authenticated');
    expect(h.context().claims).toEqual(OLD_CLAIMS);
    expect(h.context().error).toMatchObject({ kind: 'cancelled', code: 'user_cancelled', retry: 'none' });
    expect(h.context().error?.message).toBe(AUTH_NOTICE_TEXT.cancelledKeptSession);
    expect(h.port.storage.pendingSignIn).toBeNull();
  });

  it('a re-sign-in that ended returns to the kept session: DISMISS clears the notice', async () => {
    const h = await startAuthenticated();
    await h.send({ type: 'SIGN_IN' });
    h.port.emit({ type: 'BROWSER_CLOSED' });
    await h.advance(DEFAULT_TIMERS.browserClosedGrace);
    await h.send({ type: 'DISMISS' });
    expect(h.state()).toBe('authenticated');
    expect(h.context().claims).toEqual(OLD_CLAIMS);
    expect(h.port.storage.session).toEqual(OLD_CLAIMS);
    expect(h.port.storage.pendingSignIn).toBeNull();
  });

  it('a failed re-sign-in exchange keeps the old session too', async () => {
    const h = await startAuthenticated();
    await h.send({ type: 'SIGN_IN' });
    h.port.failNext('completeSignIn', fakeErrors.network());
    h.port.completeBrowserSignIn();
    await h.settle();
    expect(h.state()).toBe('error');
    await h.send({ type: 'DISMISS' });
    expect(h.state()).toBe('authenticated');
    expect(h.context().claims).toEqual(OLD_CLAIMS);
  });

  it('SIGN_OUT from an error that still has a session signs out', async () => {
    const h = await startAuthenticated();
    await h.send({ type: 'SIGN_IN' });
    h.port.failNext('completeSignIn', fakeErrors.network());
    h.port.completeBrowserSignIn();
    await h.settle();
    expect(h.state()).toBe('error');
    await h.send({ type: 'SIGN_OUT' });
    expect(h.state()).toBe('idle');
    expect(h.port.storage.session).toBeNull();
  });

  it('SIGN_OUT from an error without a session is ignored', async () => {
    const h = await startRedirecting();
    h.port.emit({ type: 'BROWSER_CLOSED' });
    await h.advance(DEFAULT_TIMERS.browserClosedGrace);
    await h.send({ type: 'SIGN_OUT' });
    expect(h.state()).toBe('error');
    expect(h.port.calls.signOut).toHaveLength(0);
  });
});

describe('another tab (shared session storage)', () => {
  /** Signed in, then this tab hears that another tab signed out: `idle` with a notice. */
  async function startSignedOutElsewhere(): Promise<AuthHarness> {
    const h = await startAuthenticated();
    h.port.emit({ type: 'SIGNED_OUT_ELSEWHERE' });
    await h.settle();
    return h;
  }

  it('SIGNED_OUT_ELSEWHERE while authenticated is idle with the true reason, not a security sign-out', async () => {
    const h = await startAuthenticated();
    h.port.emit({ type: 'SIGNED_OUT_ELSEWHERE' });
    await h.settle();
    expect(h.state()).toBe('idle');
    expect(h.context().claims).toBeNull();
    expect(h.context().error).toMatchObject({ code: 'signed_out_elsewhere', retry: 'none' });
    expect(h.context().error?.message).toBe('You signed out in another tab.');
    expect(h.context().error?.message).not.toBe(AUTH_ERROR_TEXT.session_expired.message);
    await h.send({ type: 'DISMISS' });
    expect(h.state()).toBe('idle');
    expect(h.context().error).toBeNull();
  });

  it('SESSION_ADOPTED in idle is authenticated with the new claims, no sign-in started', async () => {
    const h = await startSignedOutElsewhere();
    h.port.emit({ type: 'SESSION_ADOPTED', claims: { sub: 'user-9', email: 'b@example.com' } });
    await h.settle();
    expect(h.state()).toBe('authenticated');
    expect(h.context().claims).toEqual({ sub: 'user-9', email: 'b@example.com' });
    expect(h.context().error).toBeNull();
    expect(h.port.calls.startSignIn).toHaveLength(0);
  });

  it('SESSION_ADOPTED while authenticated switches the claims (account switched in another tab)', async () => {
    const h = await startAuthenticated();
    h.port.emit({ type: 'SESSION_ADOPTED', claims: { sub: 'user-2' } });
    await h.settle();
    expect(h.state()).toBe('authenticated');
    expect(h.context().claims).toEqual({ sub: 'user-2' });
  });

  it('SESSION_ADOPTED after this tab saw its session end is authenticated again', async () => {
    const h = await startAuthenticated();
    h.port.expireSession();
    await h.settle();
    expect(h.state()).toBe('error');
    h.port.emit({ type: 'SESSION_ADOPTED', claims: { sub: 'user-1' } });
    await h.settle();
    expect(h.state()).toBe('authenticated');
    expect(h.context().error).toBeNull();
  });

  it('SESSION_ADOPTED without usable claims changes nothing', async () => {
    const h = await startSignedOutElsewhere();
    h.port.emit({ type: 'SESSION_ADOPTED', claims: { name: 'no subject' } as never });
    await h.settle();
    expect(h.state()).toBe('idle');
  });
});

describe('session expiry', () => {
  it('SESSION_EXPIRED while authenticated is error{session_expired} with claims cleared; RETRY signs in again', async () => {
    const h = await startAuthenticated();
    h.port.expireSession();
    await h.settle();
    expect(h.state()).toBe('error');
    expect(h.context().claims).toBeNull();
    expect(h.context().error).toMatchObject({ kind: 'session_expired', step: 'session', retry: 'newRedirect' });
    expect(h.context().error?.message).toBe(AUTH_ERROR_TEXT.session_expired.message);
    await h.send({ type: 'RETRY' });
    expect(h.state()).toBe('signingIn.redirecting.waiting');
    expect(h.port.calls.startSignIn).toEqual([{}]);
  });

  it('a session lost with an unanswered refresh says so, not the generic expiry', async () => {
    const h = await startAuthenticated();
    h.port.emit({ type: 'SESSION_EXPIRED', code: 'refresh_answer_lost' });
    await h.settle();
    expect(h.state()).toBe('error');
    expect(h.context().error).toMatchObject({ kind: 'session_expired', code: 'refresh_answer_lost', retry: 'newRedirect' });
    expect(h.context().error?.message).toBe('We lost contact while renewing your session; please sign in again.');
  });

  it('DISMISS after session expiry goes to idle, not authenticated', async () => {
    const h = await startAuthenticated();
    h.port.expireSession();
    await h.settle();
    await h.send({ type: 'DISMISS' });
    expect(h.state()).toBe('idle');
  });

  it('SESSION_EXPIRED during a re-sign-in is error{session_expired}; the sign-in can still finish', async () => {
    const h = await startAuthenticated();
    await h.send({ type: 'SIGN_IN' });
    h.port.expireSession();
    await h.settle();
    expect(h.state()).toBe('error');
    expect(h.context().error?.kind).toBe('session_expired');
    expect(h.context().claims).toBeNull();
    h.port.completeBrowserSignIn();
    await h.settle();
    expect(h.state()).toBe('authenticated');
    expect(h.context().claims).toEqual(NEW_CLAIMS);
  });

  it('SESSION_EXPIRED during the exchange clears the old claims and lets the exchange decide', async () => {
    const h = await startAuthenticated();
    await h.send({ type: 'SIGN_IN' });
    h.port.hold('completeSignIn');
    h.port.completeBrowserSignIn();
    await h.settle();
    h.port.expireSession();
    await h.settle();
    expect(h.state()).toBe('signingIn.callback');
    expect(h.context().claims).toBeNull();
    h.port.rejectHeld('completeSignIn', fakeErrors.network());
    await h.settle();
    await h.send({ type: 'DISMISS' });
    expect(h.state()).toBe('idle');
  });

  it('SESSION_EXPIRED in error clears the kept session so DISMISS goes to idle', async () => {
    const h = await startAuthenticated();
    await h.send({ type: 'SIGN_IN' });
    h.port.failNext('completeSignIn', fakeErrors.network());
    h.port.completeBrowserSignIn();
    await h.settle();
    h.port.expireSession();
    await h.settle();
    expect(h.context().claims).toBeNull();
    await h.send({ type: 'DISMISS' });
    expect(h.state()).toBe('idle');
  });
});

describe('signing out', () => {
  it('clears the claims on entering signingOut and ends in idle after a local sign-out', async () => {
    const h = await startAuthenticated();
    h.port.hold('signOut');
    await h.send({ type: 'SIGN_OUT', options: { endSession: false } });
    expect(h.state()).toBe('signingOut');
    expect(h.context().claims).toBeNull();
    expect(h.port.calls.signOut).toEqual([{ endSession: false }]);
    h.port.resolveHeld('signOut');
    await h.settle();
    expect(h.state()).toBe('idle');
  });

  it('with an end-session page it waits for the sign-out deep link, then closes the browser', async () => {
    const h = await startAuthenticated();
    h.port.signOutAwaitsBrowser = true;
    await h.send({ type: 'SIGN_OUT' });
    expect(h.state()).toBe('signingOut');
    const closesBefore = h.port.calls.closeBrowser;
    h.port.emit({ type: 'SIGN_OUT_CALLBACK_RECEIVED' });
    await h.settle();
    expect(h.state()).toBe('idle');
    expect(h.port.calls.closeBrowser).toBe(closesBefore + 1);
  });

  it('a dismissed end-session page ends the sign-out', async () => {
    const h = await startAuthenticated();
    h.port.signOutAwaitsBrowser = true;
    await h.send({ type: 'SIGN_OUT' });
    h.port.emit({ type: 'BROWSER_CLOSED' });
    await h.settle();
    expect(h.state()).toBe('idle');
  });

  it('an end-session page that never comes back ends after signOutTimeout', async () => {
    const h = await startAuthenticated();
    h.port.signOutAwaitsBrowser = true;
    await h.send({ type: 'SIGN_OUT' });
    await h.advance(DEFAULT_TIMERS.signOutTimeout - 1);
    expect(h.state()).toBe('signingOut');
    await h.advance(1);
    expect(h.state()).toBe('idle');
    expect(h.context().error).toBeNull();
  });

  it('a hanging port.signOut (offline revocation) is bounded by signOutTimeout', async () => {
    const h = await startAuthenticated();
    h.port.hold('signOut');
    await h.send({ type: 'SIGN_OUT' });
    await h.advance(DEFAULT_TIMERS.signOutTimeout);
    expect(h.state()).toBe('idle');
    expect(h.port.storage.session).toBeNull();
  });

  it('a rejected sign-out still ends in idle, with a non-blocking notice that SIGN_IN clears', async () => {
    const h = await startAuthenticated();
    h.port.failNext('signOut', fakeErrors.network('signOut'));
    await h.send({ type: 'SIGN_OUT' });
    expect(h.state()).toBe('idle');
    expect(h.port.storage.session).toBeNull();
    expect(h.context().error).toMatchObject({ kind: 'network', step: 'signOut', retry: 'none' });
    expect(h.context().error?.message).toMatch(/signed out on this device/);
    await h.send({ type: 'SIGN_IN' });
    expect(h.context().error).toBeNull();
  });

  it('SIGN_IN, SESSION_EXPIRED and RETRY during sign-out are ignored', async () => {
    const h = await startAuthenticated();
    h.port.hold('signOut');
    await h.send({ type: 'SIGN_OUT' });
    await h.send({ type: 'SIGN_IN' });
    h.port.expireSession();
    await h.send({ type: 'RETRY' });
    expect(h.state()).toBe('signingOut');
    expect(h.port.calls.startSignIn).toHaveLength(0);
  });
});

describe('robustness', () => {
  /** An event of each type, with a payload where the type needs one. */
  function eventOf(type: AuthEventType): AuthEvent {
    if (type === 'CALLBACK_RECEIVED') return { type, callback: 'cb-unknown' };
    if (type === 'SESSION_ADOPTED') return { type, claims: { sub: 'user-2' } };
    return { type } as AuthEvent;
  }

  /** For each stable state: the events that must leave it unchanged. */
  const IGNORED: Record<string, { reach: () => Promise<AuthHarness>; events: AuthEvent['type'][] }> = {
    idle: {
      reach: () => start(),
      events: [
        'SIGN_OUT',
        'CALLBACK_RECEIVED',
        'SIGN_OUT_CALLBACK_RECEIVED',
        'BROWSER_CLOSED',
        'APP_RESUMED',
        'RETRY',
        'DISMISS',
        'CANCEL',
        'SESSION_EXPIRED',
      ],
    },
    authenticated: {
      reach: () => startAuthenticated(),
      // CALLBACK_RECEIVED is not ignored: a late deep link of a kept pending re-sign-in completes it.
      events: ['SIGN_OUT_CALLBACK_RECEIVED', 'BROWSER_CLOSED', 'APP_RESUMED', 'RETRY', 'DISMISS', 'CANCEL'],
    },
    'signingIn.redirecting.waiting': {
      reach: () => startRedirecting(),
      events: ['SIGN_IN', 'SIGN_OUT', 'SIGN_OUT_CALLBACK_RECEIVED', 'RETRY', 'DISMISS'],
    },
    error: {
      reach: async () => {
        const h = await startRedirecting();
        h.port.emit({ type: 'BROWSER_CLOSED' });
        await h.advance(DEFAULT_TIMERS.browserClosedGrace);
        return h;
      },
      events: ['SIGN_OUT', 'SIGN_OUT_CALLBACK_RECEIVED', 'BROWSER_CLOSED', 'APP_RESUMED', 'CANCEL', 'SESSION_EXPIRED'],
    },
  };

  for (const [state, { reach, events }] of Object.entries(IGNORED)) {
    it(`events that do not apply in ${state} are ignored`, async () => {
      const h = await reach();
      const before = h.context();
      for (const type of events) {
        await h.send(eventOf(type));
        expect(h.state()).toBe(state);
      }
      expect(h.context()).toEqual(before);
      expect(h.actor.getSnapshot().status).toBe('active');
    });
  }

  it('forwards platform events for the whole life of the machine and unsubscribes on stop', async () => {
    const port = new FakeAuthPort();
    const h = await start(port);
    expect(port.listenerCount).toBe(1);
    await h.send({ type: 'SIGN_IN' });
    await h.send({ type: 'CANCEL' });
    expect(port.listenerCount).toBe(1);
    h.stop();
    expect(port.listenerCount).toBe(0);
    port.emit({ type: 'CALLBACK_RECEIVED', callback: 'cb-1' });
    await flushMicrotasks();
    expect(port.calls.completeSignIn).toHaveLength(0);
  });

  it('only the known fields of a platform event reach the machine (no URL smuggled in)', async () => {
    const h = await startRedirecting();
    const seen: unknown[] = [];
    h.actor.subscribe((snapshot) => seen.push(snapshot.context));
    h.port.hold('completeSignIn');
    h.port.emit({ type: 'CALLBACK_RECEIVED', callback: 'cb-1', url: 'com.example.app://callback?code=SECRET' } as never);
    h.port.emit({ type: 'NOT_AN_EVENT' } as never);
    h.port.emit({ type: 'CALLBACK_RECEIVED', callback: '' });
    await h.settle();
    expect(h.state()).toBe('signingIn.callback');
    expect(JSON.stringify(seen)).not.toContain('SECRET');
  });

  it('the bare authMachine (effects not provided) boots to idle instead of crashing', async () => {
    const actor = createActor(authMachine, { clock: new SimulatedClock() });
    actor.start();
    await flushMicrotasks();
    expect(stateToString(actor.getSnapshot().value)).toBe('idle');
    actor.send({ type: 'SIGN_IN' });
    await flushMicrotasks();
    expect(stateToString(actor.getSnapshot().value)).toBe('error');
    actor.stop();
  });
});

describe('timers are configurable', () => {
  it('createAuthMachine(port, { timers }) provides the delays of that machine; the context holds none', async () => {
    const port = new FakeAuthPort();
    const clock = new SimulatedClock();
    const actor = createActor(createAuthMachine(port, { timers: { browserClosedGrace: 5_000 } }), { clock });
    actor.start();
    await flushMicrotasks();
    expect(Object.keys(actor.getSnapshot().context).sort()).toEqual(['callback', 'claims', 'error', 'pendingSignIn']);
    actor.send({ type: 'SIGN_IN' });
    port.emit({ type: 'BROWSER_CLOSED' });
    clock.increment(4_999);
    expect(stateToString(actor.getSnapshot().value)).toBe('signingIn.redirecting.closing');
    clock.increment(1);
    expect(stateToString(actor.getSnapshot().value)).toBe('error');
    actor.stop();
  });

  it('timers not configured keep their defaults', async () => {
    const port = new FakeAuthPort({ session: { sub: 'user-1' }, signOutAwaitsBrowser: true });
    const clock = new SimulatedClock();
    const actor = createActor(createAuthMachine(port, { timers: { browserClosedGrace: 5_000 } }), { clock });
    actor.start();
    await flushMicrotasks();
    actor.send({ type: 'SIGN_OUT' });
    await flushMicrotasks();
    clock.increment(DEFAULT_TIMERS.signOutTimeout - 1);
    expect(stateToString(actor.getSnapshot().value)).toBe('signingOut');
    clock.increment(1);
    expect(stateToString(actor.getSnapshot().value)).toBe('idle');
    actor.stop();
  });

  it('a negative or non-finite timer is refused at construction', () => {
    expect(() => createAuthMachine(new FakeAuthPort(), { timers: { redirectTimeout: -1 } })).toThrow(RangeError);
    expect(() => createAuthMachine(new FakeAuthPort(), { timers: { redirectTimeout: Infinity } })).toThrow(/redirectTimeout/);
  });
});
