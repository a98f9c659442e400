import { authError } from '../errors';
import type {
  AuthError,
  AuthPort,
  CallbackRef,
  IdTokenClaims,
  PlatformEvent,
  RestoreResult,
  SignInOptions,
  SignOutOptions,
  SignOutStarted,
} from '../port';

/**
 * FakeAuthPort — a scriptable stand-in for the Logto adapter, for unit and component tests.
 * Pure TypeScript (no Jest API), so it works with any runner and from any layer's tests.
 *
 * It behaves like a healthy adapter unless told otherwise:
 * - `storage` is the device's persistent storage (session claims, pending sign-in, launch
 *   callback). It survives `kill()`, so a new machine can boot from it ("app killed").
 * - `startSignIn(options)` stores a pending sign-in and "opens the browser".
 * - `completeBrowserSignIn()` plays the user finishing in the browser: it returns the callback
 *   ref the adapter would create and emits CALLBACK_RECEIVED. `completeSignIn(ref)` accepts
 *   only the current pending sign-in's ref (like the SDK's state check), stores `nextClaims`
 *   as the session and clears the pending sign-in; asked again for a ref that already landed,
 *   it resolves with those claims (the port contract's idempotency).
 * - `signOut()` clears the local session first (like the port contract) and resolves
 *   `{ awaitingBrowser: signOutAwaitsBrowser }`.
 *
 * Controlling effects (method = 'restore' | 'startSignIn' | 'completeSignIn' | 'closeBrowser'
 * | 'discardPendingSignIn' | 'signOut'):
 * - `hold(method)`: from now on calls stay pending; settle them with
 *   `resolveHeld(method, value?)` (no value = the healthy behaviour, run at that moment) or
 *   `rejectHeld(method, error)`; both settle the NEWEST pending call (the one the machine is
 *   waiting for). `heldCount(method)` says how many are pending; `release(method)` stops holding.
 * - `failNext(method, error, times = 1)`: the next call(s) reject with `error`;
 *   `resolveNext(method, value)`: the next call resolves with `value` (no side effects).
 *   Scripted outcomes are used in order, before holding applies.
 * - `calls.<method>`: the arguments of every call, in order (restore/closeBrowser/discard: count).
 *
 * Platform signals: `emit(event)` delivers a PlatformEvent to every subscriber (exactly what
 * the adapter does); `expireSession()` clears the stored session and emits SESSION_EXPIRED.
 * `listenerCount` is the number of live subscriptions (0 after the machine stopped).
 *
 * App restarts: `kill()` drops pending calls of the dead process (they never settle);
 * `relaunch({ withCallback: true })` makes the next `restore()` report a launch callback for the
 * pending sign-in (the user finished in the browser while the app was dead).
 */

export type FakePortMethod = 'restore' | 'startSignIn' | 'completeSignIn' | 'closeBrowser' | 'discardPendingSignIn' | 'signOut';

export interface FakePendingSignIn {
  /** Serial number of the sign-in; its callback ref is `cb-<serial>`. */
  readonly serial: number;
  readonly options: SignInOptions;
}

export interface FakeStorage {
  session: IdTokenClaims | null;
  pendingSignIn: FakePendingSignIn | null;
  /** Consumed by the next restore(): the app was launched by this callback. */
  launchCallback: CallbackRef | null;
}

interface HeldCall {
  readonly run: () => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

export const DEFAULT_FAKE_CLAIMS: IdTokenClaims = Object.freeze({
  sub: 'user-1',
  email: 'jane.doe@example.com',
  name: 'Jane Doe',
});

/** Errors an adapter would produce, as plain AuthErrors. */
export const fakeErrors = {
  network: (step: AuthError['step'] = 'callback'): AuthError =>
    authError({ kind: 'network', code: 'network_error', step, message: 'We could not reach the sign-in service.' }),
  server: (step: AuthError['step'] = 'callback'): AuthError =>
    authError({ kind: 'server', code: 'http_error_500', step, message: 'The sign-in service had a problem.' }),
  invalidCallback: (): AuthError =>
    authError({ kind: 'invalid_callback', code: 'sign_in_session.not_found', step: 'callback', retry: 'newRedirect' }),
  accessDenied: (): AuthError =>
    authError({ kind: 'access_denied', code: 'access_denied', step: 'callback', message: 'The user denied access.', retry: 'newRedirect' }),
  userCancelled: (): AuthError => authError({ kind: 'cancelled', code: 'user_cancelled', step: 'redirect' }),
  config: (step: AuthError['step'] = 'redirect'): AuthError =>
    authError({ kind: 'config', code: 'missing_redirect_uri', step, message: 'Sign-in is not set up correctly.' }),
};

export interface FakeAuthPortOptions {
  /** A stored session at "install" time. */
  readonly session?: IdTokenClaims | null;
  readonly pendingSignIn?: FakePendingSignIn | null;
  readonly launchCallback?: CallbackRef | null;
  readonly nextClaims?: IdTokenClaims;
  readonly signOutAwaitsBrowser?: boolean;
}

export class FakeAuthPort implements AuthPort {
  readonly storage: FakeStorage;
  /** Claims the next successful exchange yields (change it to "switch account"). */
  nextClaims: IdTokenClaims;
  /** Whether signOut() reports an end-session page the machine should wait for. */
  signOutAwaitsBrowser: boolean;
  readonly calls = {
    restore: 0,
    startSignIn: [] as SignInOptions[],
    /** Starts whose abort signal fired (the machine left `opening` before they resolved, or after). */
    abortedStartSignIn: 0,
    completeSignIn: [] as CallbackRef[],
    closeBrowser: 0,
    discardPendingSignIn: 0,
    signOut: [] as SignOutOptions[],
  };
  /** Whether the (simulated) system browser is open. */
  browserOpen = false;

  private readonly listeners = new Set<(event: PlatformEvent) => void>();
  private readonly holding = new Set<FakePortMethod>();
  private readonly heldCalls = new Map<FakePortMethod, HeldCall[]>();
  /** Scripted outcomes for the next calls, consumed in order before the healthy behaviour. */
  private readonly scripted = new Map<FakePortMethod, ({ reject: unknown } | { resolve: unknown })[]>();
  private serial = 0;
  /** Refs whose exchange succeeded, with the claims it stored. */
  private readonly completed = new Map<CallbackRef, IdTokenClaims>();

  constructor(options: FakeAuthPortOptions = {}) {
    this.storage = {
      session: options.session ?? null,
      pendingSignIn: options.pendingSignIn ?? null,
      launchCallback: options.launchCallback ?? null,
    };
    this.serial = options.pendingSignIn?.serial ?? 0;
    this.nextClaims = options.nextClaims ?? DEFAULT_FAKE_CLAIMS;
    this.signOutAwaitsBrowser = options.signOutAwaitsBrowser ?? false;
  }

  // ---- AuthPort -------------------------------------------------------------------------

  restore(): Promise<RestoreResult> {
    this.calls.restore++;
    return this.effect('restore', async () => {
      const launchCallback = this.storage.launchCallback;
      this.storage.launchCallback = null;
      const pending = this.storage.pendingSignIn;
      return {
        claims: this.storage.session,
        pendingSignIn: pending !== null,
        ...(pending ? { pendingSignInOptions: pending.options } : {}),
        launchCallback: pending && launchCallback === this.callbackRefFor(pending) ? launchCallback : null,
      };
    });
  }

  startSignIn(options: SignInOptions, signal?: AbortSignal): Promise<void> {
    this.calls.startSignIn.push(options);
    signal?.addEventListener('abort', () => this.calls.abortedStartSignIn++);
    return this.effect('startSignIn', async () => {
      // Like the adapter: a start the machine gave up on opens nothing and stores nothing.
      if (signal?.aborted) throw new DOMException('aborted', 'AbortError');
      // Never clears the session (clearTokens: false): it is replaced when the new one lands.
      this.storage.pendingSignIn = { serial: ++this.serial, options };
      this.browserOpen = true;
    });
  }

  completeSignIn(callback: CallbackRef): Promise<IdTokenClaims> {
    this.calls.completeSignIn.push(callback);
    return this.effect('completeSignIn', async () => {
      const pending = this.storage.pendingSignIn;
      if (!pending || callback !== this.callbackRefFor(pending)) {
        // Idempotent per ref (port contract): an exchange that already landed is not an error.
        const landed = this.completed.get(callback);
        if (landed && landed === this.storage.session) return landed;
        throw fakeErrors.invalidCallback();
      }
      const claims = this.nextClaims;
      this.storage.session = claims;
      this.storage.pendingSignIn = null;
      this.completed.set(callback, claims);
      return claims;
    });
  }

  closeBrowser(): Promise<void> {
    this.calls.closeBrowser++;
    return this.effect('closeBrowser', async () => {
      this.browserOpen = false;
    });
  }

  discardPendingSignIn(): Promise<void> {
    this.calls.discardPendingSignIn++;
    return this.effect('discardPendingSignIn', async () => {
      this.storage.pendingSignIn = null;
    });
  }

  signOut(options: SignOutOptions): Promise<SignOutStarted> {
    this.calls.signOut.push(options);
    // The local session is cleared first, whatever happens next (offline included).
    this.storage.session = null;
    this.storage.pendingSignIn = null;
    return this.effect('signOut', async () => {
      const awaitingBrowser = this.signOutAwaitsBrowser && options.endSession !== false;
      this.browserOpen = awaitingBrowser;
      return { awaitingBrowser };
    });
  }

  subscribe(listener: (event: PlatformEvent) => void): () => void {
    // Wrap, so subscribing the same function twice still counts (and unsubscribes) twice.
    const entry = (event: PlatformEvent) => listener(event);
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  }

  // ---- Test controls --------------------------------------------------------------------

  get listenerCount(): number {
    return this.listeners.size;
  }

  emit(event: PlatformEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }

  /** The ref the adapter would give the current pending sign-in's callback URL, or null. */
  currentCallbackRef(): CallbackRef | null {
    const pending = this.storage.pendingSignIn;
    return pending ? this.callbackRefFor(pending) : null;
  }

  /** The user finished in the browser: the deep link arrives. Returns the ref (null if nothing was pending). */
  completeBrowserSignIn(): CallbackRef | null {
    const ref = this.currentCallbackRef();
    if (ref) {
      this.browserOpen = false;
      this.emit({ type: 'CALLBACK_RECEIVED', callback: ref });
    }
    return ref;
  }

  /** The token layer found the refresh token dead: local session cleared, machine told. */
  expireSession(): void {
    this.storage.session = null;
    this.emit({ type: 'SESSION_EXPIRED' });
  }

  hold(method: FakePortMethod): this {
    this.holding.add(method);
    return this;
  }

  release(method: FakePortMethod): this {
    this.holding.delete(method);
    return this;
  }

  heldCount(method: FakePortMethod): number {
    return this.heldCalls.get(method)?.length ?? 0;
  }

  /** Settle the newest held call: with `value`, or (no value) with the healthy behaviour run now. */
  resolveHeld(method: FakePortMethod, ...value: [] | [unknown]): void {
    const call = this.takeHeld(method);
    if (value.length) call.resolve(value[0]);
    else call.run().then(call.resolve, call.reject);
  }

  rejectHeld(method: FakePortMethod, error: unknown): void {
    this.takeHeld(method).reject(error);
  }

  failNext(method: FakePortMethod, error: unknown, times = 1): this {
    for (let i = 0; i < times; i++) this.script(method, { reject: error });
    return this;
  }

  /** The next call resolves with `value` and skips the healthy behaviour (e.g. a broken adapter). */
  resolveNext(method: FakePortMethod, value: unknown): this {
    return this.script(method, { resolve: value });
  }

  /** The process died: pending calls of that process never settle; storage survives. */
  kill(): void {
    this.heldCalls.clear();
    this.browserOpen = false;
  }

  /** Prepare the next boot. `withCallback`: the app is launched by the pending sign-in's callback URL. */
  relaunch({ withCallback = false }: { withCallback?: boolean } = {}): void {
    this.storage.launchCallback = withCallback ? this.currentCallbackRef() : null;
  }

  // ---- internals ------------------------------------------------------------------------

  private callbackRefFor(pending: FakePendingSignIn): CallbackRef {
    return `cb-${pending.serial}`;
  }

  private takeHeld(method: FakePortMethod): HeldCall {
    const calls = this.heldCalls.get(method);
    const call = calls?.pop();
    if (!call) throw new Error(`FakeAuthPort: no held ${method} call to settle.`);
    return call;
  }

  private script(method: FakePortMethod, outcome: { reject: unknown } | { resolve: unknown }): this {
    const queue = this.scripted.get(method) ?? [];
    queue.push(outcome);
    this.scripted.set(method, queue);
    return this;
  }

  private effect<T>(method: FakePortMethod, run: () => Promise<T>): Promise<T> {
    const next = this.scripted.get(method)?.shift();
    if (next) return 'reject' in next ? Promise.reject(next.reject) : Promise.resolve(next.resolve as T);
    if (!this.holding.has(method)) return run();
    return new Promise<T>((resolve, reject) => {
      const calls = this.heldCalls.get(method) ?? [];
      calls.push({ run, resolve: resolve as (value: unknown) => void, reject });
      this.heldCalls.set(method, calls);
    });
  }
}
