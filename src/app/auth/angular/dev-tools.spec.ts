import { TestBed } from '@angular/core/testing';
import { createActor, type InspectionEvent } from 'xstate';

import { createAuthMachine } from '../core';
import { AUTH_BACKEND } from './auth-backend';
import { AUTH_CONFIG } from './auth-config';
import { AuthService } from './auth-service';
import { installDevTools, redactEvent, redactInspectedContext, wantsInspector } from './dev-tools';
import { FakeAuthBackend } from './testing/fake-auth-backend';
import { provideTestAuth, TEST_AUTH_CONFIG, untilState } from './testing/provide-test-auth';
import { createTransitionLog } from './transition-log';

const inspected: InspectionEvent[] = [];
const createBrowserInspector = jest.fn((_options: unknown) => ({ inspect: { next: (event: InspectionEvent) => inspected.push(event) } }));
jest.mock('@statelyai/inspect', () => ({ createBrowserInspector: (options: unknown) => createBrowserInspector(options) }));

describe('auth dev tools', () => {
  afterEach(() => {
    TestBed.resetTestingModule();
    jest.restoreAllMocks();
    createBrowserInspector.mockClear();
    inspected.length = 0;
  });

  it('opens the inspector only with ?inspect and never in the native WebView', () => {
    expect(wantsInspector('?inspect', false)).toBe(true);
    expect(wantsInspector('?foo=1&inspect=1', false)).toBe(true);
    expect(wantsInspector('', false)).toBe(false);
    expect(wantsInspector('?inspect', true)).toBe(false);
  });

  it('logs one compact line per transition: event, from → to, error kind, no payloads', async () => {
    const port = new FakeAuthBackend().port;
    const lines: string[] = [];
    const actor = createActor(createAuthMachine(port), { inspect: createTransitionLog((line) => lines.push(line)) });
    actor.start();
    await new Promise((resolve) => setTimeout(resolve, 0));
    actor.send({ type: 'SIGN_IN', options: { loginHint: 'jane@example.com', extraParams: { secret: 's3cr3t' } } });
    actor.send({ type: 'CANCEL' });
    actor.stop();
    expect(lines).toEqual([
      '[auth] xstate.init: (start) → booting',
      '[auth] xstate.done.actor.restore: booting → idle',
      '[auth] SIGN_IN: idle → signingIn.redirecting.waiting',
      '[auth] CANCEL: signingIn.redirecting.waiting → error (error: cancelled)',
    ]);
    expect(lines.join('\n')).not.toMatch(/jane|s3cr3t/);
  });

  it('shows the inspector event types and error kinds only', () => {
    expect(redactEvent({ type: 'SIGN_IN', options: { loginHint: 'jane@example.com' } })).toEqual({ type: 'SIGN_IN' });
    expect(redactEvent({ type: 'CALLBACK_RECEIVED', callback: 'cb-1' })).toEqual({ type: 'CALLBACK_RECEIVED' });
    expect(redactEvent({ type: 'xstate.error.actor.completeSignIn', error: { kind: 'network', message: 'x' } })).toEqual({
      type: 'xstate.error.actor.completeSignIn',
      errorKind: 'network',
    });
  });

  it("redacts the auth machine's context and leaves child actors' (absent) contexts alone", () => {
    const context = { claims: { sub: 'u', email: 'jane@example.com' }, error: null, pendingSignIn: null, callback: 'cb-1', timers: {} };
    expect(redactInspectedContext(context)).toMatchObject({ claims: { sub: 'u', email: 'j***@example.com' }, callback: 'present' });
    expect(redactInspectedContext(undefined)).toBeUndefined();
    expect(redactInspectedContext({ count: 1 })).toEqual({ count: 1 });
  });

  it('puts the actor on window, logs transitions, and attaches the inspector with redaction on ?inspect', async () => {
    const info = jest.spyOn(console, 'info').mockImplementation(() => undefined);
    // As in a development build: the tools are installed before the machine starts.
    TestBed.configureTestingModule({
      providers: [
        { provide: AUTH_CONFIG, useValue: TEST_AUTH_CONFIG },
        { provide: AUTH_BACKEND, useValue: new FakeAuthBackend() },
        AuthService,
      ],
    });
    const auth = TestBed.inject(AuthService);
    const win = { location: { search: '?inspect' } } as Window;

    await installDevTools(auth, win);
    auth.start();
    await untilState(auth, 'idle');
    expect(info).toHaveBeenCalledWith('[auth] xstate.done.actor.restore: booting → idle');
    auth.signInWithEmail('jane@example.com');
    await untilState(auth, 'signingIn.redirecting');

    expect(win.__authActor).toBe(auth.actor);
    expect(info).toHaveBeenCalledWith('[auth] SIGN_IN: idle → signingIn.redirecting.waiting');
    expect(createBrowserInspector).toHaveBeenCalledTimes(1);
    const options = createBrowserInspector.mock.calls[0][0] as {
      sanitizeEvent(e: object): object;
      sanitizeContext(c: object): { pendingSignIn: { loginHint: string } };
    };
    expect(options.sanitizeEvent({ type: 'SIGN_IN', options: { loginHint: 'jane@example.com' } })).toEqual({ type: 'SIGN_IN' });
    expect(options.sanitizeContext(auth.context()).pendingSignIn.loginHint).toBe('j***@example.com');
    expect(inspected.some((event) => event.type === '@xstate.actor')).toBe(true);
    expect(inspected.some((event) => event.type === '@xstate.event' && event.event.type === 'SIGN_IN')).toBe(true);
  });

  it('does not load the inspector without ?inspect', async () => {
    jest.spyOn(console, 'info').mockImplementation(() => undefined);
    TestBed.configureTestingModule({ providers: [provideTestAuth(new FakeAuthBackend())] });
    const auth = TestBed.inject(AuthService);
    const win = { location: { search: '' } } as Window;
    await installDevTools(auth, win);
    expect(createBrowserInspector).not.toHaveBeenCalled();
    expect(win.__authActor).toBe(auth.actor);
  });
});
