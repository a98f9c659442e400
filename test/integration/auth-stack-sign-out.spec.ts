/**
 * Full stack, sign-out: online (end-session page followed back to the app), with the identity
 * server down, and with the person dismissing the browser on the end-session page. Sign-out
 * never hangs, always ends the local session, and adds no listener.
 */
import { jest } from '@jest/globals';

import { nativeShell, sleep, SUITE_TIMERS, useAuthStackSuite, type AuthStack } from './harness.ts';

jest.setTimeout(20_000);

const suite = useAuthStackSuite();
const GRACE = SUITE_TIMERS.browserClosedGrace;
// Well under signOutTimeout: proves sign-out ended on a signal, not by its timer.
const QUICKLY = SUITE_TIMERS.signOutTimeout / 3;
/** appUrlOpen, browserFinished and resume, held by the adapter while the machine runs. */
const APP_LISTENERS = 3;

async function expectLocalSessionGone(stack: AuthStack): Promise<void> {
  for (const key of ['idToken', 'refreshToken', 'accessToken']) expect(await stack.storage.getItem(key)).toBeNull();
  expect(stack.app.context.claims).toBeNull();
}

/** The refresh token, used again at the token endpoint directly. */
async function refreshGrantStatus(stack: AuthStack, refreshToken: string | null): Promise<number> {
  const response = await fetch(`${stack.idp.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', client_id: stack.idp.appId, refresh_token: refreshToken ?? '' }),
  });
  await response.body?.cancel();
  return response.status;
}

describe('sign-out', () => {
  it('online: follows the end-session page back to the app, ends in idle, revokes the refresh token at the server', async () => {
    const stack = await suite.start();
    await stack.app.waitFor('idle');
    const email = 'leaving@example.com';
    await stack.signIn(email);
    const refreshToken = await stack.storage.getItem('refreshToken');
    expect(nativeShell.listenerCount()).toBe(APP_LISTENERS);

    stack.app.send({ type: 'SIGN_OUT' });
    await stack.app.waitFor('idle', QUICKLY);

    expect(new URL(nativeShell.visits.at(-1)?.url ?? '').pathname).toBe('/oidc/session/end');
    expect(stack.app.received).toContain('SIGN_OUT_CALLBACK_RECEIVED');
    expect(stack.app.statesSince().slice(-2)).toEqual(['signingOut', 'idle']);
    expect(stack.app.context.error).toBeNull();
    await expectLocalSessionGone(stack);
    expect(stack.idp.counters.revocations).toBe(1);
    expect(await refreshGrantStatus(stack, refreshToken)).toBe(400);
    expect(nativeShell.listenerCount()).toBe(APP_LISTENERS);

    // The identity server's browser session ended too: the next sign-in asks for a new code.
    await stack.signIn(email);
    expect(stack.idp.mailbox.all()).toHaveLength(2);
  });

  it('offline (identity server down): ends in idle quickly with the local session gone and a notice, without a browser error page', async () => {
    const stack = await suite.start();
    await stack.app.waitFor('idle');
    const email = 'unplugged@example.com';
    await stack.signIn(email);
    await stack.idp.stop();
    const visitsBefore = nativeShell.visits.length;

    const started = performance.now();
    stack.app.send({ type: 'SIGN_OUT' });
    await stack.app.waitFor('idle', QUICKLY);

    expect(performance.now() - started).toBeLessThan(QUICKLY);
    await expectLocalSessionGone(stack);
    // The end-session page could not load: it is not opened; the person is told instead.
    expect(nativeShell.visits.length).toBe(visitsBefore);
    expect(stack.app.context.claims).toBeNull();
    expect(stack.app.context.error).toMatchObject({ kind: 'network', step: 'signOut', retry: 'none' });
    expect(stack.app.context.error?.message).toMatch(/signed out on this device/);
    expect(nativeShell.listenerCount()).toBe(APP_LISTENERS);

    const app = stack.relaunch();
    await app.waitFor('idle');
    expect(app.statesSince()).toEqual(['booting', 'idle']);
  });

  it('the person dismisses the browser on the end-session page (iOS Done): idle at once, no hang, no listener added', async () => {
    const stack = await suite.start();
    await stack.app.waitFor('idle');
    await stack.signIn('dismisser@example.com', 'ios-success');
    let pageStatus = 0;
    stack.usePerson(async (url) => {
      // The end-session page starts loading; the person taps Done before it returns to the app.
      const page = await fetch(url, { redirect: 'manual' });
      await page.body?.cancel();
      pageStatus = page.status;
      return { kind: 'dismiss' };
    }, 'ios-success');

    stack.app.send({ type: 'SIGN_OUT' });
    await stack.app.waitFor('idle', QUICKLY);
    await sleep(GRACE);

    expect(pageStatus).toBe(200);
    expect(stack.app.received).toContain('BROWSER_CLOSED');
    expect(stack.app.received).not.toContain('SIGN_OUT_CALLBACK_RECEIVED');
    expect(stack.app.state).toBe('idle');
    await expectLocalSessionGone(stack);
    expect(stack.idp.counters.revocations).toBe(1);
    expect(nativeShell.listenerCount()).toBe(APP_LISTENERS);
  });
});
