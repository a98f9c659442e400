import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { TestBed } from '@angular/core/testing';

import { authError } from '../core';
import { AUTH_STATE_ATTRIBUTE, AuthService } from './auth-service';
import { authErrorOf, FakeAuthBackend, JANE } from './testing/fake-auth-backend';
import { provideTestAuth, untilState } from './testing/provide-test-auth';

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
