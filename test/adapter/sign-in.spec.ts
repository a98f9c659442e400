import { StorageKey } from '../../src/app/auth/logto/token-storage.ts';
import { settle } from '../native-shell/shell.ts';
import { createHarness, eventsOf, nativeShell, nextCallback, signIn, waitFor, type Harness } from './harness.ts';

let h: Harness;

beforeEach(async () => {
  nativeShell.reset();
  h = await createHarness();
});

afterEach(() => h.auth.dispose());

describe('sign-in through the simulated native shell', () => {
  it('completes on Android when appUrlOpen arrives before browserFinished', async () => {
    expect(await h.auth.port.restore()).toEqual({ claims: null, pendingSignIn: false, launchCallback: null });
    const claims = await signIn(h);
    expect(claims.sub).toBe('user-1');
    expect(nativeShell.trace[0]).toBe('Browser.open');
    expect(nativeShell.trace).toContain('appUrlOpen');
    expect(await h.storage.getItem(StorageKey.idToken)).toBeTruthy();
    expect(await h.storage.getItem(StorageKey.signInSession)).toBeNull();
    expect(await h.storage.getItem(StorageKey.pendingSignIn)).toBeNull();
    expect(nativeShell.closeCalls).toContain('resolved');
    expect((await h.auth.port.restore()).claims?.sub).toBe('user-1');
  });

  it.each([50, 1500])('completes when browserFinished comes %i ms before the deep link (Android)', async (gapMs) => {
    nativeShell.use('android-finished-first', { gapMs });
    nativeShell.person = h.idp.person();
    await h.auth.port.startSignIn({});
    const ref = await nextCallback(h.events, 0, gapMs + 3000);
    const types = h.events.map((event) => event.type);
    expect(types.indexOf('BROWSER_CLOSED')).toBeLessThan(types.indexOf('CALLBACK_RECEIVED'));
    expect((await h.auth.port.completeSignIn(ref)).sub).toBe('user-1');
  });

  it('completes a late deep link after the browser was reported closed (Android mail-app detour)', async () => {
    nativeShell.use('android-mail-detour', { lateMs: 200 });
    nativeShell.person = h.idp.person();
    await h.auth.port.startSignIn({ firstScreen: 'identifier:sign_in', identifiers: ['email'] });
    await waitFor(() => eventsOf(h.events, 'BROWSER_CLOSED').length === 1 && eventsOf(h.events, 'APP_RESUMED').length === 1);
    expect(eventsOf(h.events, 'CALLBACK_RECEIVED')).toHaveLength(0);
    // The machine has reported "cancelled" by now; the pending sign-in is kept, so the late link still works.
    const ref = await nextCallback(h.events);
    expect((await h.auth.port.completeSignIn(ref)).sub).toBe('user-1');
  });

  it('reports iOS Done as BROWSER_CLOSED and forgets the sign-in once dismissed', async () => {
    nativeShell.use('ios-success');
    nativeShell.person = () => ({ kind: 'dismiss' });
    await h.auth.port.startSignIn({});
    await waitFor(() => eventsOf(h.events, 'BROWSER_CLOSED').length === 1);
    expect(nativeShell.trace).not.toContain('resume');
    expect((await h.auth.port.restore()).pendingSignIn).toBe(true);
    await h.auth.port.discardPendingSignIn();
    expect(await h.auth.port.restore()).toEqual({ claims: null, pendingSignIn: false, launchCallback: null });
  });

  it('closes the SFSafariViewController after an iOS success', async () => {
    nativeShell.use('ios-success');
    nativeShell.person = h.idp.person();
    await h.auth.port.startSignIn({});
    const ref = await nextCallback(h.events);
    await h.auth.port.closeBrowser(); // the machine closes it on entering callback
    expect((await h.auth.port.completeSignIn(ref)).sub).toBe('user-1');
    expect(nativeShell.closeCalls).toEqual(['resolved']);
    expect(nativeShell.browserOpen).toBe(false);
  });

  it('keeps a successful sign-in when Browser.close() rejects "No active window to close!" (iOS)', async () => {
    nativeShell.use('ios-close-rejects');
    nativeShell.person = h.idp.person();
    await h.auth.port.startSignIn({});
    const ref = await nextCallback(h.events);
    await expect(h.auth.port.closeBrowser()).resolves.toBeUndefined();
    const claims = await h.auth.port.completeSignIn(ref);
    expect(claims.sub).toBe('user-1');
    expect(nativeShell.closeCalls).toEqual(['rejected']);
  });

  it('passes the sign-in options to the authorization request and keeps the current session meanwhile', async () => {
    await signIn(h);
    const before = await h.storage.getItem(StorageKey.refreshToken);
    nativeShell.person = () => ({ kind: 'stay' });
    await h.auth.port.startSignIn({
      firstScreen: 'identifier:sign_in',
      identifiers: ['email'],
      loginHint: 'jane@example.com',
      directSignIn: { method: 'social', target: 'github' },
      extraParams: { ui_locales: 'de' },
    });
    const url = new URL(nativeShell.visits.at(-1)?.url ?? '');
    expect(url.searchParams.get('first_screen')).toBe('identifier:sign_in');
    expect(url.searchParams.get('identifier')).toBe('email');
    expect(url.searchParams.get('login_hint')).toBe('jane@example.com');
    expect(url.searchParams.get('direct_sign_in')).toBe('social:github');
    expect(url.searchParams.get('ui_locales')).toBe('de');
    expect(url.searchParams.get('redirect_uri')).toBe('com.example.app://callback');
    // clearTokens: false — a cancelled re-sign-in must not sign the user out.
    expect(await h.storage.getItem(StorageKey.refreshToken)).toBe(before);
    const restored = await h.auth.port.restore();
    expect(restored.claims?.sub).toBe('user-1');
    expect(restored.pendingSignInOptions?.loginHint).toBe('jane@example.com');
  });

  it('asks the provider to authenticate again (prompt=login consent) only when the sign-in asks for it', async () => {
    nativeShell.person = () => ({ kind: 'stay' });
    await h.auth.port.startSignIn({ loginHint: 'jane@example.com' });
    const usual = new URL(nativeShell.visits.at(-1)?.url ?? '');
    expect(usual.searchParams.get('prompt')).toBe('consent');

    await h.auth.port.startSignIn({ loginHint: 'max@example.com', prompt: 'login' });
    const switching = new URL(nativeShell.visits.at(-1)?.url ?? '');
    // consent stays: without it the provider drops offline_access and issues no refresh token.
    expect(switching.searchParams.get('prompt')).toBe('login consent');
    expect(switching.searchParams.get('scope')?.split(' ')).toContain('offline_access');
    expect(switching.searchParams.get('login_hint')).toBe('max@example.com');
    // Retry after a restart repeats the same forced re-authentication.
    expect((await h.auth.port.restore()).pendingSignInOptions?.prompt).toBe('login');
  });

  it('maps an access_denied callback to access_denied with the provider description and forgets the sign-in', async () => {
    nativeShell.person = h.idp.person({ deny: true });
    await h.auth.port.startSignIn({});
    const error = await h.auth.port.completeSignIn(await nextCallback(h.events)).catch((e: unknown) => e);
    expect(error).toEqual({
      kind: 'access_denied',
      code: 'oidc.access_denied',
      message: 'Sign-in was refused by the identity provider: The person declined the request.',
      step: 'callback',
      retry: 'none',
    });
    expect((await h.auth.port.restore()).pendingSignIn).toBe(false);
  });

  it('reports a network failure in the code exchange as retryable and completes on retry with the same callback', async () => {
    nativeShell.person = h.idp.person();
    await h.auth.port.startSignIn({});
    const ref = await nextCallback(h.events);
    h.idp.mode = 'offline';
    await expect(h.auth.port.completeSignIn(ref)).rejects.toMatchObject({ kind: 'network', retry: 'sameCallback', step: 'callback' });
    h.idp.mode = 'online';
    expect((await h.auth.port.completeSignIn(ref)).sub).toBe('user-1');
    expect(h.idp.counters.codeGrants).toBe(1);
  });

  it('ends a hanging code exchange at the network bound (the machine owns the shorter deadline)', async () => {
    h.auth.dispose();
    h = await createHarness({ idp: h.idp, config: { timers: { refreshRequestTimeout: 150 } } });
    nativeShell.person = h.idp.person();
    await h.auth.port.startSignIn({});
    const ref = await nextCallback(h.events);
    h.idp.mode = 'hang';
    await expect(h.auth.port.completeSignIn(ref)).rejects.toMatchObject({ kind: 'timeout', retry: 'sameCallback' });
    h.idp.mode = 'online';
    await settle(50); // the bounded request inside has given up too
    expect((await h.auth.port.completeSignIn(ref)).sub).toBe('user-1');
  });

  it('reports a pending sign-in with its options after a restart that brought no callback', async () => {
    nativeShell.person = () => ({ kind: 'stay' });
    await h.auth.port.startSignIn({ loginHint: 'jane@example.com' });
    nativeShell.kill();
    nativeShell.relaunch();
    h.relaunchApp();
    expect(await h.auth.port.restore()).toEqual({
      claims: null,
      pendingSignIn: true,
      pendingSignInOptions: { loginHint: 'jane@example.com' },
      launchCallback: null,
    });
  });
});

describe('app killed during sign-in', () => {
  it('completes from the launch URL after a cold start', async () => {
    nativeShell.use('app-killed');
    nativeShell.person = h.idp.person();
    await h.auth.port.startSignIn({});
    await nativeShell.relaunched;
    expect(nativeShell.listenerCount()).toBe(0);
    h.relaunchApp();
    const restored = await h.auth.port.restore();
    expect(restored.pendingSignIn).toBe(true);
    expect(restored.launchCallback).toMatch(/^cb-\d+$/);
    expect((await h.auth.port.completeSignIn(restored.launchCallback as string)).sub).toBe('user-1');
  });

  it('handles a duplicate delivery (launch URL + retained appUrlOpen) once', async () => {
    nativeShell.use('app-killed', { retainUrlOpen: true });
    nativeShell.person = h.idp.person();
    await h.auth.port.startSignIn({});
    await nativeShell.relaunched;
    h.relaunchApp();
    const restored = await h.auth.port.restore();
    await settle(30);
    expect(nativeShell.trace.filter((entry) => entry === 'appUrlOpen')).toHaveLength(1);
    const refs = new Set([restored.launchCallback, ...eventsOf(h.events, 'CALLBACK_RECEIVED').map((event) => event.callback)]);
    expect(refs.size).toBe(1);
    const ref = restored.launchCallback as string;
    const [first, second] = await Promise.all([h.auth.port.completeSignIn(ref), h.auth.port.completeSignIn(ref)]);
    expect(first).toEqual(second);
    expect(h.idp.counters.codeGrants).toBe(1);
  });
});

describe('callbacks that must be refused', () => {
  async function pendingSignIn(): Promise<{ state: string; redirect: string }> {
    let redirect = '';
    nativeShell.person = (url) => {
      redirect = h.idp.authorize(new URL(url), 'user-1', 'jane@example.com');
      return { kind: 'stay' };
    };
    await h.auth.port.startSignIn({});
    await waitFor(() => redirect);
    return { state: new URL(redirect).searchParams.get('state') ?? '', redirect };
  }

  it('refuses foreign, malformed and state-mismatched URLs without crashing or touching the session', async () => {
    await signIn(h);
    const { state, redirect } = await pendingSignIn();
    const before = h.storage.snapshot();
    const callbacksBefore = eventsOf(h.events, 'CALLBACK_RECEIVED').length;
    const code = new URL(redirect).searchParams.get('code') ?? '';
    const bad = [
      'com.example.app://elsewhere?code=x&state=' + state,
      'https://evil.example/callback?code=x&state=' + state,
      'com.example.app://callback/?code=x&state=' + state,
      'com.example.app://callback?code=' + code,
      'com.example.app://callback?code=' + code + '&state=not-the-state',
      'com.example.app://callback?code=' + code + '&state=' + state + '#fragment',
      'com.example.app://callback?code=' + code + '&state=' + state + '&state=' + state,
      'com.example.app://callback?state=' + state,
      'not a url at all',
      '',
    ];
    for (const url of bad) nativeShell.deepLink(url);
    await settle(50);
    expect(eventsOf(h.events, 'CALLBACK_RECEIVED')).toHaveLength(callbacksBefore);
    expect(h.storage.snapshot()).toEqual(before);
    // Links to other places are ignored quietly; the five that look like our callback are refused with a reason.
    expect(h.logs.filter((line) => line.includes('refused a sign-in callback'))).toHaveLength(5);
    // The genuine callback still works afterwards.
    nativeShell.deepLink(redirect);
    expect((await h.auth.port.completeSignIn(await nextCallback(h.events, callbacksBefore))).sub).toBe('user-1');
  });

  it('admits only the canonical form of a callback: a look-alike with the right state is refused and the sign-in stays pending', async () => {
    const { redirect } = await pendingSignIn();
    const before = h.storage.snapshot();
    // Each parses to the same URL as the real callback, but the exchange compares the raw string:
    // admitting one would end the pending sign-in with a verification error.
    const lookAlikes = [redirect.replace('com.example.app', 'COM.EXAMPLE.APP'), redirect.replace('callback', 'call\tback'), ` ${redirect}`];
    for (const url of lookAlikes) nativeShell.deepLink(url);
    await settle(50);
    expect(eventsOf(h.events, 'CALLBACK_RECEIVED')).toHaveLength(0);
    expect(h.logs.filter((line) => line.includes('not in its canonical form'))).toHaveLength(lookAlikes.length);
    expect(h.storage.snapshot()).toEqual(before);
    expect((await h.auth.port.restore()).pendingSignIn).toBe(true);
    nativeShell.deepLink(redirect);
    expect((await h.auth.port.completeSignIn(await nextCallback(h.events))).sub).toBe('user-1');
  });

  it('refuses a replayed callback, in the same process and after a restart', async () => {
    const { redirect } = await pendingSignIn();
    nativeShell.deepLink(redirect);
    nativeShell.deepLink(redirect);
    const ref = await nextCallback(h.events);
    await h.auth.port.completeSignIn(ref);
    nativeShell.deepLink(redirect);
    await settle(30);
    expect(eventsOf(h.events, 'CALLBACK_RECEIVED')).toHaveLength(1);
    const session = h.storage.snapshot();

    nativeShell.kill();
    nativeShell.relaunch({ launchUrl: redirect, retainUrlOpen: true });
    h.relaunchApp();
    const restored = await h.auth.port.restore();
    await settle(30);
    expect(restored.launchCallback).toBeNull();
    expect(restored.claims?.sub).toBe('user-1');
    expect(eventsOf(h.events, 'CALLBACK_RECEIVED')).toHaveLength(1);
    expect(h.storage.snapshot()).toEqual(session);
    expect(h.idp.counters.codeGrants).toBe(1);
  });

  it('never takes the sign-out URI (which starts with the sign-in URI) for a sign-in callback, nor for a sign-out nobody started', async () => {
    const { state } = await pendingSignIn();
    nativeShell.deepLink(`com.example.app://callback/sign-out?code=abc&state=${state}`);
    await waitFor(() => h.logs.some((line) => line.includes('ignored a sign-out redirect with no sign-out in progress')));
    expect(eventsOf(h.events, 'SIGN_OUT_CALLBACK_RECEIVED')).toHaveLength(0);
    expect(eventsOf(h.events, 'CALLBACK_RECEIVED')).toHaveLength(0);
    expect((await h.auth.port.restore()).pendingSignIn).toBe(true);
  });

  it('refuses the callback of a stale pending sign-in, and restore forgets it', async () => {
    let now = Date.now();
    h.auth.dispose();
    h = await createHarness({ idp: h.idp, deps: { now: () => now } });
    const { redirect } = await pendingSignIn();
    now += 16 * 60_000;
    nativeShell.deepLink(redirect);
    await settle(30);
    expect(eventsOf(h.events, 'CALLBACK_RECEIVED')).toHaveLength(0);
    expect(h.logs.some((line) => line.includes('too old'))).toBe(true);
    expect((await h.auth.port.restore()).pendingSignIn).toBe(false);
  });

  it('refuses a callback after the pending sign-in was discarded', async () => {
    const { redirect } = await pendingSignIn();
    await h.auth.port.discardPendingSignIn();
    nativeShell.deepLink(redirect);
    await settle(30);
    expect(eventsOf(h.events, 'CALLBACK_RECEIVED')).toHaveLength(0);
    await expect(h.auth.port.completeSignIn('cb-404')).rejects.toMatchObject({ kind: 'invalid_callback' });
  });
});

describe('listeners', () => {
  it('registers appUrlOpen, browserFinished and resume while subscribed and removes them all on dispose', async () => {
    await settle();
    expect(nativeShell.app.count('appUrlOpen')).toBe(1);
    expect(nativeShell.browser.count('browserFinished')).toBe(1);
    expect(nativeShell.app.count('resume')).toBe(1);
    await signIn(h);
    h.auth.dispose();
    await settle();
    expect(nativeShell.listenerCount()).toBe(0);
  });

  it('removes the listeners when the last subscriber leaves, and emits nothing after dispose', async () => {
    const extra = h.auth.port.subscribe(() => undefined);
    extra();
    await settle();
    expect(nativeShell.listenerCount()).toBe(3);
    h.auth.dispose();
    await settle();
    expect(nativeShell.listenerCount()).toBe(0);
    nativeShell.resume();
    expect(eventsOf(h.events, 'APP_RESUMED')).toHaveLength(0);
  });
});
