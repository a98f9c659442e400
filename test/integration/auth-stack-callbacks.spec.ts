/**
 * Full stack, callbacks that must be refused or handled once: duplicates, replays, a state
 * that does not match the pending sign-in, and the provider's access_denied.
 */
import { randomBytes } from 'node:crypto';

import { jest } from '@jest/globals';

import type { Person } from '../native-shell/shell.ts';
import { continueWithEmail, nativeShell, SUITE_TIMERS, until, useAuthStackSuite, sleep } from './harness.ts';

jest.setTimeout(20_000);

const suite = useAuthStackSuite();
const GRACE = SUITE_TIMERS.browserClosedGrace;

const refusal = (reason: string) => () => suite.consoleLines().some((line) => line.includes(`refused a sign-in callback: ${reason}`));
const callbacksReceived = (received: readonly string[]) => received.filter((type) => type === 'CALLBACK_RECEIVED').length;

/** The redirect the shell delivered for the n-th browser visit. */
async function deliveredUrl(visit: number): Promise<string> {
  const outcome = await nativeShell.visits[visit]?.done;
  if (outcome?.kind !== 'redirect') throw new Error(`visit ${visit} did not redirect to the app`);
  return outcome.url;
}

describe('callbacks refused or handled once', () => {
  it('the same callback delivered twice is exchanged once', async () => {
    const stack = await suite.start();
    await stack.app.waitFor('idle');
    const email = 'twice@example.com';
    stack.usePerson(stack.person(email, { redirect: 'hold' }), 'android-url-first');
    stack.app.send({ type: 'SIGN_IN', options: continueWithEmail(email) });
    const url = await until(() => stack.heldCallbacks[0], 'the identity server to redirect to the app');

    stack.deepLink(url);
    stack.deepLink(url);
    nativeShell.resume();
    await stack.app.waitFor('authenticated');
    await until(refusal('the same URL was already received'), 'the duplicate to be refused');
    await sleep(GRACE);

    expect(stack.app.state).toBe('authenticated');
    expect(callbacksReceived(stack.app.received)).toBe(1);
    expect(stack.idp.counters.authorizationCodeGrants).toBe(1);
    expect(stack.app.statesSince()).not.toContain('error');
  });

  it('an old callback delivered again after sign-in is refused without touching the session', async () => {
    const stack = await suite.start();
    await stack.app.waitFor('idle');
    const claims = await stack.signIn('replayed@example.com');
    const url = await deliveredUrl(0);
    const session = stack.storage.snapshot();
    const requests = stack.idp.counters.tokenRequests;
    const visited = stack.app.history.length;

    stack.deepLink(url);
    await until(refusal('the same URL was already received'), 'the replay to be refused');
    await sleep(GRACE);

    expect(stack.app.history).toHaveLength(visited);
    expect(stack.app.context).toMatchObject({ claims, error: null });
    expect(stack.storage.snapshot()).toEqual(session);
    expect(stack.idp.counters.tokenRequests).toBe(requests);
    expect(callbacksReceived(stack.app.received)).toBe(1);
  });

  it('an old callback replayed in a new process during the next sign-in is refused, and that sign-in still completes', async () => {
    const stack = await suite.start();
    await stack.app.waitFor('idle');
    const email = 'replayed.later@example.com';
    await stack.signIn(email);
    const oldUrl = await deliveredUrl(0);

    const app = stack.relaunch();
    await app.waitFor('authenticated');
    stack.usePerson(stack.person(email, { redirect: 'hold' }), 'android-url-first');
    app.send({ type: 'SIGN_IN', options: continueWithEmail(email) });
    const newUrl = await until(() => stack.heldCallbacks[0], 'the identity server to redirect to the app');
    const pending = stack.storage.snapshot();
    const requests = stack.idp.counters.tokenRequests;

    stack.deepLink(oldUrl);
    await until(refusal('its state does not match the pending sign-in'), 'the replay to be refused');
    await sleep(GRACE);
    expect(app.state).toBe('signingIn.redirecting.waiting');
    expect(stack.storage.snapshot()).toEqual(pending);
    expect(stack.idp.counters.tokenRequests).toBe(requests);

    stack.deepLink(newUrl);
    await app.waitFor('authenticated');
    expect(app.context.claims).toMatchObject({ email });
    expect(stack.idp.counters.authorizationCodeGrants).toBe(2);
  });

  it('a callback whose state does not match the pending re-sign-in is refused: no transition, old session untouched', async () => {
    const stack = await suite.start();
    await stack.app.waitFor('idle');
    const email = 'mismatch@example.com';
    const claims = await stack.signIn(email);
    stack.usePerson(stack.person(email, { redirect: 'hold' }), 'android-url-first');
    stack.app.send({ type: 'SIGN_IN', options: continueWithEmail(email) });
    const url = await until(() => stack.heldCallbacks[0], 'the identity server to redirect to the app');
    const tampered = new URL(url);
    tampered.searchParams.set('state', randomBytes(32).toString('base64url'));
    const session = stack.storage.snapshot();
    const requests = stack.idp.counters.tokenRequests;
    const visited = stack.app.history.length;

    stack.deepLink(tampered.href);
    await until(refusal('its state does not match the pending sign-in'), 'the tampered callback to be refused');
    await sleep(GRACE);

    expect(stack.app.history).toHaveLength(visited);
    expect(stack.app.state).toBe('signingIn.redirecting.waiting');
    expect(stack.app.context).toMatchObject({ claims, error: null });
    expect(stack.storage.snapshot()).toEqual(session);
    expect(stack.idp.counters.tokenRequests).toBe(requests);

    // The genuine callback of the same sign-in is still good.
    stack.deepLink(url);
    await stack.app.waitFor('authenticated');
    expect(stack.app.statesSince(visited)).toEqual(['signingIn.callback', 'authenticated']);
  });

  it('access_denied from the provider ends in error{access_denied} with its description, no session and no exchange', async () => {
    const stack = await suite.start();
    await stack.app.waitFor('idle');
    const description = 'The user declined to share their account with Bookstore.';
    // dev-idp has no "deny" button: the person sees the sign-in page, then the provider's
    // standard OIDC error redirect comes back for the pending request (RFC 6749 4.1.2.1).
    const denying: Person = async (url) => {
      const page = await stack.browser.open(url);
      expect(page.forms.some((form) => form.fields.has('email'))).toBe(true);
      const request = new URL(url).searchParams;
      const answer = new URLSearchParams({
        error: 'access_denied',
        error_description: description,
        state: request.get('state') ?? '',
        iss: stack.idp.issuer,
      });
      return { kind: 'redirect', url: `${request.get('redirect_uri')}?${answer}` };
    };
    stack.usePerson(denying, 'android-url-first');

    stack.app.send({ type: 'SIGN_IN', options: continueWithEmail('denied@example.com') });
    await stack.app.waitFor('error');

    expect(stack.app.context.error).toMatchObject({
      kind: 'access_denied',
      code: 'oidc.access_denied',
      retry: 'none',
      step: 'callback',
    });
    expect(stack.app.context.error?.message).toContain(description);
    expect(stack.app.context.claims).toBeNull();
    expect(stack.idp.counters.tokenRequests).toBe(0);
    expect(await stack.storage.getItem('idToken')).toBeNull();
    expect(await stack.storage.getItem('pendingSignIn')).toBeNull();

    stack.app.send({ type: 'RETRY' }); // retry 'none': nothing happens
    expect(stack.app.state).toBe('error');
    stack.app.send({ type: 'DISMISS' });
    await stack.app.waitFor('idle');
  });
});
