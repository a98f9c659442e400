import { TestBed } from '@angular/core/testing';
import { deserialize, serialize } from 'node:v8';
import { createActor } from 'xstate';

import { createAuthMachine } from '../core';
import { AUTH_BACKEND } from './auth-backend';
import { AUTH_CONFIG } from './auth-config';
import { AuthService } from './auth-service';
import { installDevTools, redactEvent, redactInspectedContext, wantsInspector } from './dev-tools';
import { FakeAuthBackend } from './testing/fake-auth-backend';
import { provideTestAuth, TEST_AUTH_CONFIG, untilState } from './testing/provide-test-auth';
import { createTransitionLog } from './transition-log';

// The real inspector, spied on: what it posts to the inspector window is what leaves the app.
const createBrowserInspector = jest.fn((options: unknown) =>
  (jest.requireActual('@statelyai/inspect') as typeof import('@statelyai/inspect')).createBrowserInspector(options as never),
);
jest.mock('@statelyai/inspect', () => ({ createBrowserInspector: (options: unknown) => createBrowserInspector(options) }));

/** Every message the inspector posts to its window (a structured clone, as postMessage makes; v8's is the same algorithm). */
const posted: unknown[] = [];

/** A page window for the inspector: `open()` gives the inspector window, which is connected at once. */
function pageWindow(search: string): Window {
  const listeners: ((event: { data: unknown }) => void)[] = [];
  const inspectorWindow = { postMessage: (message: unknown) => posted.push(deserialize(serialize(message))) };
  return {
    location: { search },
    open: () => {
      queueMicrotask(() => listeners.forEach((listener) => listener({ data: { type: '@statelyai.connected' } })));
      return inspectorWindow;
    },
    addEventListener: (_type: string, listener: (event: { data: unknown }) => void) => listeners.push(listener),
  } as unknown as Window;
}

/** The inspector forwards on idle callbacks (animation frames here). */
const inspectorFlushed = async () => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
};

describe('auth dev tools', () => {
  afterEach(() => {
    TestBed.resetTestingModule();
    jest.restoreAllMocks();
    createBrowserInspector.mockClear();
    posted.length = 0;
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
      '[auth] SIGN_IN: idle → signingIn.redirecting.opening',
      '[auth] CANCEL: signingIn.redirecting.opening → idle (error: cancelled)',
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
    const context = { claims: { sub: 'u', email: 'jane@example.com' }, error: null, pendingSignIn: null, callback: 'cb-1' };
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
    const win = pageWindow('?inspect');

    await installDevTools(auth, win);
    auth.start();
    await untilState(auth, 'idle');
    expect(info).toHaveBeenCalledWith('[auth] xstate.done.actor.restore: booting → idle');
    auth.signInWithEmail('jane@example.com');
    await untilState(auth, 'signingIn.redirecting.waiting');

    expect(win.__authActor).toBe(auth.actor);
    expect(info).toHaveBeenCalledWith('[auth] SIGN_IN: idle → signingIn.redirecting.opening');
    expect(info).toHaveBeenCalledWith(
      '[auth] xstate.done.actor.startSignIn: signingIn.redirecting.opening → signingIn.redirecting.waiting',
    );
    expect(createBrowserInspector).toHaveBeenCalledTimes(1);
    const options = createBrowserInspector.mock.calls[0][0] as {
      sanitizeEvent(e: object): object;
      sanitizeContext(c: object): { pendingSignIn: { loginHint: string } };
    };
    expect(options.sanitizeEvent({ type: 'SIGN_IN', options: { loginHint: 'jane@example.com' } })).toEqual({ type: 'SIGN_IN' });
    expect(options.sanitizeContext(auth.context()).pendingSignIn.loginHint).toBe('j***@example.com');
    await inspectorFlushed();
    const messages = posted as { type: string; event?: { type: string } }[];
    expect(messages.some((message) => message.type === '@xstate.actor')).toBe(true);
    expect(messages.some((message) => message.type === '@xstate.event' && message.event?.type === 'SIGN_IN')).toBe(true);
  });

  it("sends the inspector no personal data: not in any actor's input, output or error, nor in events or contexts", async () => {
    jest.spyOn(console, 'info').mockImplementation(() => undefined);
    const backend = new FakeAuthBackend(); // signs in as JANE (jane@example.com)
    TestBed.configureTestingModule({
      providers: [{ provide: AUTH_CONFIG, useValue: TEST_AUTH_CONFIG }, { provide: AUTH_BACKEND, useValue: backend }, AuthService],
    });
    const auth = TestBed.inject(AuthService);
    await installDevTools(auth, pageWindow('?inspect'));
    auth.start();
    await untilState(auth, 'idle');
    auth.signIn({ loginHint: 'hint.person@example.org', extraParams: { invite: 'INVITE-VALUE-42' } });
    await untilState(auth, 'signingIn.redirecting');
    backend.port.completeBrowserSignIn();
    await untilState(auth, 'authenticated');
    await inspectorFlushed();

    const stream = JSON.stringify(posted);
    // The stream is the real one: the invoked actors' snapshots are in it.
    const snapshotsOf = (name: string) =>
      (posted as { type: string; sessionId?: string; name?: string }[]).filter(
        (message) => message.type === '@xstate.actor' && message.name === name,
      );
    expect(snapshotsOf('startSignIn')).not.toHaveLength(0);
    expect(snapshotsOf('completeSignIn')).not.toHaveLength(0);
    expect(stream).toContain('authenticated');
    for (const personal of ['jane@example.com', 'hint.person@example.org', 'INVITE-VALUE-42']) expect(stream).not.toContain(personal);
  });

  it('does not load the inspector without ?inspect', async () => {
    jest.spyOn(console, 'info').mockImplementation(() => undefined);
    TestBed.configureTestingModule({ providers: [provideTestAuth(new FakeAuthBackend())] });
    const auth = TestBed.inject(AuthService);
    const win = pageWindow('');
    await installDevTools(auth, win);
    expect(createBrowserInspector).not.toHaveBeenCalled();
    expect(win.__authActor).toBe(auth.actor);
  });
});
