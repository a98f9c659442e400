import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { TestBed } from '@angular/core/testing';

import { authError, type RestoreResult } from '../core';
import { lazyBackend } from '../logto/lazy-backend';
import { provideAuthWithBackend } from './auth-providers';
import { AUTH_STATE_ATTRIBUTE, AuthService } from './auth-service';
import { authErrorOf, FakeAuthBackend, JANE } from './testing/fake-auth-backend';
import { provideTestAuth, TEST_AUTH_CONFIG, untilState } from './testing/provide-test-auth';

@Component({
  selector: 'app-probe',
  template: `<p data-testid="state">{{ auth.state() }}</p>
    <p data-testid="name">{{ auth.claims()?.['name'] ?? 'nobody' }}</p>`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class Probe {
  protected readonly auth = inject(AuthService);
}

function setup(backend = new FakeAuthBackend()) {
  TestBed.configureTestingModule({ providers: [provideTestAuth(backend)] });
  return { backend, port: backend.port, auth: TestBed.inject(AuthService) };
}

describe('AuthService', () => {
  afterEach(() => TestBed.resetTestingModule());

  it('starts the machine at bootstrap and follows it to idle when nothing is stored', async () => {
    const { auth } = setup();
    await untilState(auth, 'idle');
    expect(auth.isAuthenticated()).toBe(false);
    expect(auth.isBusy()).toBe(false);
    expect(document.documentElement.getAttribute(AUTH_STATE_ATTRIBUTE)).toBe('idle');
  });

  it('is busy and shows booting while storage is being read', () => {
    const backend = new FakeAuthBackend();
    backend.port.hold('restore');
    const { auth } = setup(backend);
    expect(auth.state()).toBe('booting');
    expect(auth.isBusy()).toBe(true);
    expect(document.documentElement.getAttribute(AUTH_STATE_ATTRIBUTE)).toBe('booting');
  });

  it('has no data-auth-state before the machine starts', () => {
    document.documentElement.removeAttribute(AUTH_STATE_ATTRIBUTE);
    TestBed.configureTestingModule({});
    expect(document.documentElement.hasAttribute(AUTH_STATE_ATTRIBUTE)).toBe(false);
  });

  it('restores a stored session into claims and isAuthenticated', async () => {
    const { auth } = setup(new FakeAuthBackend({ session: JANE }));
    await untilState(auth, 'authenticated');
    expect(auth.isAuthenticated()).toBe(true);
    expect(auth.claims()?.sub).toBe(JANE.sub);
    expect(document.documentElement.getAttribute(AUTH_STATE_ATTRIBUTE)).toBe('authenticated');
  });

  it('offers the email code first screen with the email as login hint', async () => {
    const { auth, port } = setup();
    await untilState(auth, 'idle');
    auth.signInWithEmail(' jane@example.com ');
    await untilState(auth, 'signingIn.redirecting');
    expect(port.calls.startSignIn).toEqual([{ firstScreen: 'identifier:sign_in', identifiers: ['email'], loginHint: 'jane@example.com' }]);
  });

  it('sends no login hint when no email was typed', async () => {
    const { auth, port } = setup();
    await untilState(auth, 'idle');
    auth.signInWithEmail('');
    await untilState(auth, 'signingIn.redirecting');
    expect(port.calls.startSignIn).toEqual([{ firstScreen: 'identifier:sign_in', identifiers: ['email'] }]);
  });

  it('switches account: the email code screen, asking the provider to authenticate again, the current session kept meanwhile', async () => {
    const { auth, port } = setup(new FakeAuthBackend({ session: JANE }));
    await untilState(auth, 'authenticated');
    auth.switchAccount(' max@example.com ');
    await untilState(auth, 'signingIn.redirecting');
    expect(port.calls.startSignIn).toEqual([
      { firstScreen: 'identifier:sign_in', identifiers: ['email'], loginHint: 'max@example.com', prompt: 'login' },
    ]);
    expect(auth.claims()?.sub).toBe(JANE.sub);
  });

  it('opens the registration screen for "create account"', async () => {
    const { auth, port } = setup();
    await untilState(auth, 'idle');
    auth.register();
    await untilState(auth, 'signingIn.redirecting');
    expect(port.calls.startSignIn).toEqual([{ firstScreen: 'register' }]);
  });

  it('cancel, retry and dismiss drive the machine', async () => {
    const { auth, port } = setup();
    await untilState(auth, 'idle');
    auth.signIn();
    await untilState(auth, 'signingIn.redirecting');
    auth.cancel();
    await untilState(auth, 'idle');
    expect(auth.notice()?.message).toBe('You cancelled sign-in.');
    expect(auth.error()?.kind).toBe('cancelled');
    auth.dismissError();
    expect(auth.notice()).toBeNull();
    // An interrupted sign-in is an error with Retry; a failed Retry is counted.
    auth.signIn();
    await untilState(auth, 'signingIn.redirecting.waiting');
    port.emit({ type: 'BROWSER_CLOSED' });
    await untilState(auth, 'error');
    expect(auth.notice()).toBeNull();
    expect(auth.failedRetries()).toBe(0);
    port.failNext('startSignIn', authError({ kind: 'network', code: 'provider_unreachable', step: 'redirect' }));
    auth.retry();
    await untilState(auth, 'error');
    expect(port.calls.startSignIn).toHaveLength(3);
    expect(auth.failedRetries()).toBe(1);
    expect(auth.lastRetryAt()).not.toBeNull();
    auth.dismissError();
    await untilState(auth, 'idle');
    expect(auth.error()).toBeNull();
    expect(auth.failedRetries()).toBe(0);
  });

  it('renders a deep link delivered from outside Angular without zone.js', async () => {
    expect((globalThis as { Zone?: unknown }).Zone).toBeUndefined();
    const { auth, port } = setup();
    const fixture = TestBed.createComponent(Probe);
    const text = (id: string) => fixture.nativeElement.querySelector(`[data-testid=${id}]`).textContent;
    await untilState(auth, 'idle');
    auth.signIn();
    await untilState(auth, 'signingIn.redirecting');
    await fixture.whenStable();
    expect(text('state')).toBe('signingIn.redirecting.waiting');

    // Native code (Capacitor's appUrlOpen → the adapter's listener) calls in; nothing tells Angular.
    port.completeBrowserSignIn();
    await untilState(auth, 'authenticated');
    await fixture.whenStable();

    expect(text('state')).toBe('authenticated');
    expect(text('name')).toBe('Jane Doe');
    expect(port.calls.completeSignIn).toEqual(['cb-1']);
  });

  it('keeps user info with its own error, and drops it when the person signs out', async () => {
    const { auth, backend } = setup(new FakeAuthBackend({ session: JANE }));
    await untilState(auth, 'authenticated');

    backend.userInfoWith = authErrorOf('network', 'session');
    await auth.fetchUserInfo();
    expect(auth.userInfoError()?.kind).toBe('network');
    expect(auth.userInfo()).toBeNull();

    backend.userInfoWith = { sub: JANE.sub, name: 'Jane' };
    await auth.fetchUserInfo();
    expect(auth.userInfo()).toEqual({ sub: JANE.sub, name: 'Jane' });
    expect(auth.userInfoError()).toBeNull();

    auth.signOut();
    await untilState(auth, 'idle');
    expect(auth.userInfo()).toBeNull();
  });

  it('settles after booting and after a callback, not before', async () => {
    const backend = new FakeAuthBackend({ pendingSignIn: { serial: 1, options: {} }, launchCallback: 'cb-1' });
    backend.port.hold('restore');
    const { auth, port } = setup(backend);
    let settled = false;
    void auth.whenSettled().then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(settled).toBe(false);
    port.hold('completeSignIn');
    port.resolveHeld('restore');
    await untilState(auth, 'signingIn.callback');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(settled).toBe(false);
    port.resolveHeld('completeSignIn');
    await untilState(auth, 'authenticated');
    await Promise.resolve();
    expect(settled).toBe(true);
  });

  it('records transitions in the flight recorder', async () => {
    const { auth } = setup();
    await untilState(auth, 'idle');
    auth.signIn();
    auth.cancel();
    await untilState(auth, 'idle');
    const entries = auth.recorder.entries();
    expect(entries.map((entry) => `${entry.from} → ${entry.to}`)).toEqual(
      expect.arrayContaining(['booting → idle', 'idle → signingIn.redirecting.opening', 'signingIn.redirecting.opening → idle']),
    );
    expect(entries.at(-1)).toMatchObject({ event: 'CANCEL', errorKind: 'cancelled' });
  });

  it('stops the actor, disposes the backend and removes the attribute when the app is destroyed', async () => {
    const { auth, backend, port } = setup();
    await untilState(auth, 'idle');
    expect(port.listenerCount).toBe(1);
    TestBed.resetTestingModule();
    expect(backend.calls.disposed).toBe(1);
    expect(port.listenerCount).toBe(0);
    expect(document.documentElement.hasAttribute(AUTH_STATE_ATTRIBUTE)).toBe(false);
  });
});

describe('AuthService before the machine has loaded (a launch answered by the boot read)', () => {
  afterEach(() => TestBed.resetTestingModule());

  /** provideAuth's composition: the lazy backend over the boot read, the adapter a fake, "after the first screen" held by the test. */
  function bootSetup(answer: RestoreResult | null, read: Promise<RestoreResult | null> = Promise.resolve(answer)) {
    const adapter = new FakeAuthBackend(answer?.claims ? { session: JANE } : {});
    const afterFirstScreen: (() => void)[] = [];
    const backend = lazyBackend(
      () => Promise.resolve(adapter),
      () => read,
      (task) => afterFirstScreen.push(task),
    );
    TestBed.configureTestingModule({ providers: [provideAuthWithBackend(TEST_AUTH_CONFIG, () => backend)] });
    const states: (string | null)[] = [];
    const observer = new MutationObserver(() => states.push(document.documentElement.getAttribute(AUTH_STATE_ATTRIBUTE)));
    observer.observe(document.documentElement, { attributes: true, attributeFilter: [AUTH_STATE_ATTRIBUTE] });
    const auth = TestBed.inject(AuthService);
    return { auth, adapter, afterFirstScreen, states, observer };
  }

  const settle = async () => {
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
  };

  it('shows the stored session from the boot answer, then the machine loads after the first screen, takes the same answer and arrives there: never booting again', async () => {
    const { auth, adapter, afterFirstScreen, states, observer } = bootSetup({ claims: JANE, pendingSignIn: false, launchCallback: null });
    await settle();
    expect(auth.state()).toBe('authenticated');
    expect(auth.isAuthenticated()).toBe(true);
    expect(auth.claims()?.sub).toBe(JANE.sub);
    // Neither XState nor the adapter was needed for it.
    expect(() => auth.actor).toThrow(/not loaded/);
    expect(adapter.port.calls.restore).toBe(0);
    await auth.whenSettled();

    expect(afterFirstScreen).toHaveLength(1);
    afterFirstScreen.shift()?.();
    await auth.machine();
    await settle();
    expect(auth.actor.getSnapshot().matches('authenticated')).toBe(true);
    expect(auth.recorder.entries().at(-1)).toMatchObject({ event: 'xstate.done.actor.restore', from: 'booting', to: 'authenticated' });
    // The machine's restore took the boot answer: the adapter did not restore.
    expect(adapter.port.calls.restore).toBe(0);
    await settle();
    observer.disconnect();
    expect(states.indexOf('authenticated')).toBeGreaterThanOrEqual(0);
    expect(new Set(states.slice(states.indexOf('authenticated')))).toEqual(new Set(['authenticated']));
  });

  it('the guard asking before storage has answered waits for the boot answer, not for the machine', async () => {
    const answer: RestoreResult = { claims: JANE, pendingSignIn: false, launchCallback: null };
    let answerNow: (value: RestoreResult) => void = () => undefined;
    const { auth, afterFirstScreen, observer } = bootSetup(answer, new Promise((resolve) => (answerNow = resolve)));
    const settled = auth.whenSettled();
    await settle();
    expect(auth.state()).toBe('booting');
    answerNow(answer);
    await settled;
    observer.disconnect();
    expect(auth.isAuthenticated()).toBe(true);
    // Still no XState: the machine waits for the first screen.
    expect(() => auth.actor).toThrow(/not loaded/);
    expect(afterFirstScreen).toHaveLength(1);
  });

  it('a sign-out pressed before the machine has loaded loads it at once and reaches it once its restore has settled', async () => {
    const { auth, adapter, observer } = bootSetup({ claims: JANE, pendingSignIn: false, launchCallback: null });
    await settle();
    expect(auth.isAuthenticated()).toBe(true);
    auth.signOut();
    await untilState(auth, 'idle');
    observer.disconnect();
    expect(auth.isAuthenticated()).toBe(false);
    expect(adapter.port.calls.signOut).toHaveLength(1);
  });

  it('no boot answer (nothing stored, a sign-in in flight): the machine loads at once and decides, nothing shown as decided before', async () => {
    const { auth, afterFirstScreen, states, observer } = bootSetup(null);
    expect(auth.state()).toBe('booting');
    await untilState(auth, 'idle');
    observer.disconnect();
    expect(afterFirstScreen).toHaveLength(0);
    expect(states.slice(0, states.indexOf('idle'))).toEqual(states.slice(0, states.indexOf('idle')).map(() => 'booting'));
  });

  it('a boot answer the view cannot take (a sign-in pending over the session): booting until the machine decides', async () => {
    const { auth, observer } = bootSetup({ claims: JANE, pendingSignIn: true, launchCallback: null });
    expect(auth.state()).toBe('booting');
    await settle();
    observer.disconnect();
    // The machine's answer: the kept session, with the notice that the sign-in did not finish.
    expect(auth.actor.getSnapshot().matches('authenticated')).toBe(true);
    expect(auth.notice()?.code).toBe('sign_in_interrupted');
  });
});
