import { jest } from '@jest/globals';

import { createHarness, eventsOf, nativeShell, nextCallback, signIn, waitFor, type Harness } from './harness.ts';
import { RESOURCES } from '../support/constants.ts';

/**
 * A whole session with the failures people meet, through the real console logger:
 * nothing logged, emitted, returned as an error or restored may contain a token, an
 * authorization code, a PKCE verifier or a callback URL.
 */
it('never lets a token, code, verifier or callback URL reach a log, an event or an error', async () => {
  nativeShell.reset();
  const printed: unknown[][] = [];
  const spies = (['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((method) =>
    jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void printed.push(args)),
  );
  const seen: unknown[] = [];
  const capture = async <T>(work: Promise<T>): Promise<T | undefined> => {
    try {
      const value = await work;
      // Access tokens are handed to their caller by design; everything else the port returns is scanned.
      if (typeof value !== 'string') seen.push(value);
      return value;
    } catch (error) {
      seen.push(error);
      return undefined;
    }
  };

  const h: Harness = await createHarness({ deps: { log: undefined } });
  const { idp } = h;
  try {
    await capture(h.auth.port.restore());

    // Sign-in with Android's early browserFinished, then tokens for the three APIs.
    nativeShell.use('android-finished-first', { gapMs: 20 });
    nativeShell.person = idp.person();
    await capture(h.auth.port.startSignIn({ loginHint: 'jane@example.com' }));
    await capture(h.auth.port.completeSignIn(await nextCallback(h.events)));
    for (const resource of RESOURCES) await capture(h.auth.getAccessToken(resource));
    await capture(h.auth.fetchUserInfo());

    // Offline refresh, then back.
    idp.mode = 'offline';
    await capture(h.auth.refreshAccessToken(RESOURCES[0]));
    idp.mode = 'online';
    await capture(h.auth.refreshAccessToken(RESOURCES[0]));

    // A re-sign-in whose exchange fails once offline, plus a forged callback, then refused by the person.
    nativeShell.use('android-url-first');
    await capture(h.auth.port.startSignIn({}));
    const ref = await nextCallback(h.events, 1);
    nativeShell.deepLink(`com.example.app://callback?code=forged&state=forged-state`);
    idp.mode = 'offline';
    await capture(h.auth.port.completeSignIn(ref));
    idp.mode = 'online';
    await capture(h.auth.port.completeSignIn(ref));
    nativeShell.deepLink(nativeShell.visits.at(-1)?.url ?? '');
    nativeShell.person = idp.person({ deny: true });
    await capture(h.auth.port.startSignIn({}));
    await capture(h.auth.port.completeSignIn(await nextCallback(h.events, 2)));

    // The session is revoked at the server, then a new one is signed out.
    idp.revokeAll();
    await capture(h.auth.refreshAccessToken(RESOURCES[1]));
    await capture(signIn(h));
    nativeShell.person = (url) => ({ kind: 'redirect', url: new URL(url).searchParams.get('post_logout_redirect_uri') ?? '' });
    await capture(h.auth.port.signOut({}));
    await waitFor(() => eventsOf(h.events, 'SIGN_OUT_CALLBACK_RECEIVED').length === 1);
    await capture(h.auth.getAccessToken());
  } finally {
    h.auth.dispose();
    spies.forEach((spy) => spy.mockRestore());
  }

  // The session really exercised the paths we scan.
  expect(eventsOf(h.events, 'SESSION_EXPIRED')).toHaveLength(1);
  expect(seen.some((value) => (value as { kind?: string } | undefined)?.kind === 'network')).toBe(true);
  expect(seen.some((value) => (value as { kind?: string } | undefined)?.kind === 'access_denied')).toBe(true);
  expect(printed.length).toBeGreaterThan(3);
  expect(idp.secrets.size).toBeGreaterThan(15);

  const haystack = JSON.stringify([printed.map((args) => args.map(String)), h.events, seen]);
  for (const secret of idp.secrets) expect(haystack).not.toContain(secret);
  expect(haystack).not.toMatch(/code=|state=|com\.example\.app:\/\/callback\?|forged/);
});
