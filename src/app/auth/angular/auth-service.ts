import { computed, DestroyRef, DOCUMENT, inject, Injectable, InjectionToken, type Signal, signal } from '@angular/core';
import type { InspectionEvent } from 'xstate';

import { authDevTools } from '../../../environments/build-mode';
// Core's files one by one, never its barrel: the barrel brings XState and the machine, which
// load after the first screen (./auth-actor).
import type { AuthContext } from '../core/context';
import { toAuthError } from '../core/errors';
import type { AuthEvent } from '../core/events';
import { createFlightRecorder } from '../core/flight-recorder';
import type { AuthError, IdTokenClaims, SignInOptions, SignOutOptions } from '../core/port';
import { stateToString } from '../core/state-string';
import { AUTH_TAGS, type AuthTag } from '../core/tags';
import type { AuthActor } from './auth-actor';
import { AUTH_BACKEND } from './auth-backend';
import { AUTH_CONFIG } from './auth-config';
import { type AuthStateMatch, type AuthView, BOOTING_VIEW, restoredView } from './boot-view';
import { FlowFeedback, type FlowStep } from './flow-feedback';

export type { AuthActor } from './auth-actor';
export type { AuthStateMatch } from './boot-view';

/** The attribute e2e tests, screen recordings and support staff read. */
export const AUTH_STATE_ATTRIBUTE = 'data-auth-state';

/** One signal per machine tag: `auth.tags.busy()`. */
export type AuthTagSignals = { readonly [Tag in AuthTag]: Signal<boolean> };

function emailSignIn(email?: string): SignInOptions {
  const hint = email?.trim();
  return { firstScreen: 'identifier:sign_in', identifiers: ['email'], ...(hint ? { loginHint: hint } : {}) };
}

/**
 * The reader's language as a BCP 47 tag (e.g. `zh-CN`), asked at every sign-in and sent as OIDC
 * `ui_locales`, so the identity provider's pages and emails use it too. Optional: without it the
 * provider picks its own.
 */
export const AUTH_UI_LOCALES = new InjectionToken<() => string | undefined>('AUTH_UI_LOCALES');

function withUiLocales(options: SignInOptions, locales: string | undefined): SignInOptions {
  return locales ? { ...options, extraParams: { ...options.extraParams, ui_locales: locales } } : options;
}

const FLIGHT_KEY = 'auth.flightRecorder';

function keptFlightEntries(storage: Storage | null): { earlier: unknown[]; onRecord: (entries: readonly unknown[]) => void } {
  let earlier: unknown[] = [];
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(FLIGHT_KEY) ?? '[]');
    if (Array.isArray(parsed)) earlier = parsed;
  } catch {
    // Unreadable: start empty.
  }
  return {
    earlier,
    onRecord: (entries) => {
      try {
        storage?.setItem(FLIGHT_KEY, JSON.stringify(entries));
      } catch {
        // Storage full or blocked: the recorder then covers this page load only.
      }
    },
  };
}

function flowStep(snapshot: AuthView): FlowStep {
  const error = snapshot.context.error;
  return {
    signingOut: snapshot.hasTag('signingOut'),
    signedOut: snapshot.matches('idle'),
    signingIn: snapshot.hasTag('signingIn'),
    failed: snapshot.matches('error'),
    signedIn: snapshot.matches('authenticated'),
    signOutNotice: snapshot.matches('idle') && error?.step === 'signOut' ? error.message : null,
  };
}

/**
 * The machine as Angular signals. One actor per app, started at bootstrap by provideAuth().
 * Signals are seeded from `getSnapshot()` and then follow `subscribe()` (XState v5 does not
 * replay the current snapshot). Signals need no zone: a deep link delivered by native code
 * outside Angular still schedules change detection.
 *
 * XState and the machine load in their own chunk (./auth-actor). Until the actor runs the signals
 * show the machine's initial state (`booting`), with one exception: when the storage-only boot
 * read answered "a stored session, nothing in flight" (`backend.boot`), they show where the
 * machine's restore goes with that answer (`restoredView`), and the machine loads after the first
 * screen; its restore then takes the same answer and arrives there. Events sent before the actor
 * runs are kept and sent, in order, once its restore has settled; sending one loads it at once.
 * Nothing reaches the machine meanwhile from below: the adapter (and with it every platform event)
 * loads only once the machine runs.
 */
@Injectable()
export class AuthService {
  private readonly backend = inject(AUTH_BACKEND);
  private readonly config = inject(AUTH_CONFIG);
  private readonly document = inject(DOCUMENT);
  private readonly uiLocales = inject(AUTH_UI_LOCALES, { optional: true });

  /**
   * Last 100 transitions for the debug page and bug reports (redacted by core: event types,
   * states and error kinds only), kept in sessionStorage across the web redirects.
   */
  readonly recorder = createFlightRecorder({ limit: 100, ...keptFlightEntries(this.document.defaultView?.sessionStorage ?? null) });
  private readonly inspectors: ((event: InspectionEvent) => void)[] = [this.recorder.inspect];

  private loadedActor: AuthActor | null = null;
  private loadingActor: Promise<AuthActor> | null = null;
  private running: Promise<AuthActor> | null = null;
  private actorRunning = false;
  /**
   * The view shown is the boot answer's (`restoredView`), not yet the actor's: until the actor's
   * restore has settled, its `booting` is not shown and events wait in `queued`.
   */
  private provisional = false;
  private readonly queued: AuthEvent[] = [];
  private stopped = false;
  private readonly settledWaiters = new Set<() => void>();

  /** Settles once the boot answer has been turned into a view (or not): until then, waiting for the machine would load it too early. */
  private bootDecided: Promise<void> | null = null;

  private readonly snapshot = signal<AuthView>(BOOTING_VIEW);
  private started = false;
  private readonly machineMissing = signal(false);

  /**
   * Something the person did (Sign out, Switch account) is waiting for the machine, whose code
   * could not be downloaded (a web page gone offline before it arrived). The shell shows its
   * "could not load" notice with Retry (chunk-failure.ts); the event is kept and reaches the
   * machine once it loads.
   */
  readonly machineUnavailable = this.machineMissing.asReadonly();

  /** Dotted state value, e.g. `signingIn.redirecting`: for display (debug page, `data-auth-state`); ask `tags` to decide. */
  readonly state = computed(() => stateToString(this.snapshot().value));
  /** The machine's tags as signals (core/tags.ts says what each means). */
  readonly tags: AuthTagSignals = Object.fromEntries(
    AUTH_TAGS.map((tag) => [tag, computed(() => this.snapshot().hasTag(tag))]),
  ) as unknown as AuthTagSignals;
  /** The machine is in (or below) `state`; read in a template, `computed` or `effect`, it follows the machine. */
  matches(state: AuthStateMatch): boolean {
    return this.snapshot().matches(state);
  }
  readonly isAuthenticated = computed(() => this.snapshot().matches('authenticated'));
  readonly isBusy = this.tags.busy;
  /**
   * A session is held: claims are kept in `authenticated` and through a re-sign-in (until the
   * new session lands or the attempt is dismissed), and dropped the moment a sign-out starts.
   */
  readonly hasSession = computed(() => this.snapshot().context.claims !== null && !this.snapshot().hasTag('signingOut'));
  readonly claims = computed<IdTokenClaims | null>(() => this.snapshot().context.claims);
  readonly error = computed<AuthError | null>(() => this.snapshot().context.error);
  /**
   * A non-blocking notice outside the error state: a sign-in that did not finish ("You cancelled
   * sign-in" in idle; "… You're still signed in as …" in authenticated after a re-sign-in), or
   * an offline sign-out. Null in `error` (the error card shows that).
   */
  readonly notice = computed<AuthError | null>(() => (this.snapshot().matches('error') ? null : this.snapshot().context.error));
  private readonly feedback = new FlowFeedback(this.document.defaultView?.sessionStorage ?? null);
  /** "You're signed out" (or signed out on this device only) after a sign-out; survives the web redirect and a reload. */
  readonly signOutConfirmation = this.feedback.signOutConfirmation;
  /** Retries in a row that ended in an error again, and when the last was pressed. */
  readonly failedRetries = this.feedback.failedRetries;
  readonly lastRetryAt = this.feedback.lastRetryAt;
  /** The redacted-by-construction context (no tokens ever enter it). */
  readonly context = computed<AuthContext>(() => this.snapshot().context);

  private readonly userInfoState = signal<{ data: Record<string, unknown> | null; error: AuthError | null; loading: boolean }>({
    data: null,
    error: null,
    loading: false,
  });
  readonly userInfo = computed(() => this.userInfoState().data);
  readonly userInfoError = computed(() => this.userInfoState().error);
  readonly userInfoLoading = computed(() => this.userInfoState().loading);

  constructor() {
    inject(DestroyRef).onDestroy(() => this.stop());
    this.document.documentElement.setAttribute(AUTH_STATE_ATTRIBUTE, stateToString(BOOTING_VIEW.value));
  }

  /**
   * The machine's actor, once loaded (tests and dev tools; screens read the signals). Throws
   * before: await `machine()` first.
   */
  get actor(): AuthActor {
    if (!this.loadedActor) throw new Error('The auth machine has not loaded yet: await auth.machine()');
    return this.loadedActor;
  }

  /** The running actor: loads and starts it now if it was waiting for the first screen. */
  machine(): Promise<AuthActor> {
    return this.run();
  }

  /** The actor, loaded but not started by this call (dev tools attach before it runs). */
  loadMachine(): Promise<AuthActor> {
    return this.load();
  }

  /** Starts the machine (restore from storage, no network). Idempotent; never blocks the first paint. */
  start(): void {
    if (this.started) return;
    this.started = true;
    if (authDevTools) {
      // Development builds only (null in production, see environments/build-mode.ts): the tools
      // watch the actor from its first transition, so it loads at once, before them.
      const tools = authDevTools;
      this.load()
        .then(() => tools())
        .then((devTools) => devTools.installDevTools(this))
        .catch((error: unknown) => console.warn('[auth] dev tools unavailable', error))
        .finally(() => void this.run().catch(() => undefined));
      return;
    }
    const boot = this.backend.boot;
    if (!boot) {
      void this.run().catch(() => undefined);
      return;
    }
    this.bootDecided = boot
      .answer()
      .then(
        (answer) => (answer ? restoredView(answer) : null),
        () => null,
      )
      .then((view) => {
        if (this.stopped || this.running) return;
        if (!view) {
          void this.run().catch(() => undefined);
          return;
        }
        // The machine's restore will take this same answer and arrive here (boot-view.ts).
        this.provisional = true;
        this.show(view);
        boot.afterFirstScreen(() => void this.run().catch(() => this.loadWhenOnline()));
      });
  }

  /** Adds an inspection observer (dev tools); must be called before start() to see the boot. */
  addInspector(inspector: (event: InspectionEvent) => void): void {
    this.inspectors.push(inspector);
  }

  signIn(options: SignInOptions = {}): void {
    this.feedback.resetRetries();
    this.send({ type: 'SIGN_IN', options: withUiLocales(options, this.uiLocales?.()) });
  }

  /** Logto's email-code first screen; the email, when given, pre-fills it as the login hint. */
  signInWithEmail(email?: string): void {
    this.signIn(emailSignIn(email));
  }

  /**
   * Sign in as someone else while signed in: the email-code screen with `prompt: 'login'`, so
   * the provider asks again instead of answering from its browser session (a login hint alone
   * only pre-fills the form). The current session stays until the new one lands; cancelling
   * returns to it.
   */
  switchAccount(email?: string): void {
    this.signIn({ ...emailSignIn(email), prompt: 'login' });
  }

  register(): void {
    this.signIn({ firstScreen: 'register' });
  }

  signOut(options: SignOutOptions = {}): void {
    this.send({ type: 'SIGN_OUT', options });
  }

  retry(): void {
    this.feedback.retryPressed();
    this.send({ type: 'RETRY' });
  }

  /** Dismisses the error card, or the notice of a sign-in that did not finish. */
  dismissError(): void {
    this.feedback.resetRetries();
    this.send({ type: 'DISMISS' });
  }

  dismissSignOutConfirmation(): void {
    this.feedback.dismissSignOut();
  }

  cancel(): void {
    this.send({ type: 'CANCEL' });
  }

  getAccessToken(resource?: string, organizationId?: string): Promise<string> {
    return this.backend.getAccessToken(resource, organizationId);
  }

  /** Forced refresh after an API answered 401 (the interceptor's one retry). */
  refreshAccessToken(resource?: string, organizationId?: string): Promise<string> {
    return this.backend.refreshAccessToken(resource, organizationId);
  }

  /** The API refused a fresh token: clear the local session; the machine shows `session_expired`. */
  expireSession(): Promise<void> {
    return this.backend.expireSession();
  }

  /** Loads user info into `userInfo` / `userInfoError`; resolves either way. */
  async fetchUserInfo(): Promise<void> {
    const owner = this.claims()?.sub;
    this.userInfoState.update((current) => ({ ...current, error: null, loading: true }));
    try {
      const data = await this.backend.fetchUserInfo();
      // A sign-out or account switch while the request was in flight makes the answer stale.
      if (this.claims()?.sub === owner) this.userInfoState.set({ data, error: null, loading: false });
    } catch (reason) {
      if (this.claims()?.sub === owner) this.userInfoState.set({ data: null, error: toAuthError(reason, 'session'), loading: false });
    }
  }

  /**
   * Resolves once no state tagged `unsettled` is shown (booting, the code exchange: both bounded
   * by the machine). Rejects when the machine's code cannot be loaded (offline): the router shows
   * its "could not load" notice, whose Retry asks again.
   */
  async whenSettled(): Promise<void> {
    // The boot answer may still show a decided screen without the machine: wait for it first.
    if (this.bootDecided) await this.bootDecided;
    if (!this.snapshot().hasTag('unsettled') || this.stopped) return;
    await this.run();
    if (!this.snapshot().hasTag('unsettled') || this.stopped) return;
    await new Promise<void>((resolve) => this.settledWaiters.add(resolve));
  }

  private send(event: AuthEvent): void {
    if (this.loadedActor && this.actorRunning && !this.provisional) {
      this.loadedActor.send(event);
      return;
    }
    // Before the actor runs (or while its restore catches up with the view shown): kept, in order,
    // and the machine loads now.
    this.queued.push(event);
    this.run().catch((error: unknown) => {
      console.error('[auth] the auth machine could not be loaded', toAuthError(error, 'session').code);
      this.machineMissing.set(true);
      this.loadWhenOnline();
    });
  }

  /** Retry of the shell's notice: downloads the machine again; resolves either way. */
  async retryMachine(): Promise<void> {
    await this.run().catch(() => undefined);
  }

  /**
   * The machine's code could not be downloaded (a web page offline) while the boot answer is on
   * screen: it loads again when the browser is back online, and the kept events then reach it.
   */
  private loadWhenOnline(): void {
    this.document.defaultView?.addEventListener('online', () => void this.run().catch(() => this.loadWhenOnline()), { once: true });
  }

  private load(): Promise<AuthActor> {
    this.loadingActor ??= import('./auth-actor').then(
      ({ createAuthActor }) => {
        this.loadedActor ??= createAuthActor(this.backend.port, this.config.timers, (event) =>
          this.inspectors.forEach((inspector) => inspector(event)),
        );
        return this.loadedActor;
      },
      (reason: unknown) => {
        // A chunk that failed to download: the next call tries again.
        this.loadingActor = null;
        throw reason;
      },
    );
    return this.loadingActor;
  }

  private run(): Promise<AuthActor> {
    this.running ??= this.load().then(
      (actor) => {
        if (this.stopped) return actor;
        actor.subscribe({
          next: (snapshot) => this.apply(snapshot),
          error: (error: unknown) => console.error('[auth] the auth machine stopped unexpectedly', toAuthError(error, 'session').code),
        });
        actor.start();
        this.actorRunning = true;
        this.machineMissing.set(false);
        this.apply(actor.getSnapshot());
        // Sent before the actor ran, no view shown but `booting`: they reach it in `booting`, as
        // they would have had it run from the start.
        if (!this.provisional) this.flushQueued(actor);
        return actor;
      },
      (reason: unknown) => {
        this.running = null;
        throw reason;
      },
    );
    return this.running;
  }

  private apply(snapshot: ReturnType<AuthActor['getSnapshot']>): void {
    if (this.provisional) {
      // The actor's restore is still reading the boot answer the screen already shows: keep it
      // until the machine has decided (boot-view.ts says where it arrives).
      if (snapshot.hasTag('unsettled') && snapshot.status === 'active') return;
      this.provisional = false;
      this.show(snapshot);
      if (this.loadedActor) this.flushQueued(this.loadedActor);
      return;
    }
    this.show(snapshot);
  }

  private flushQueued(actor: AuthActor): void {
    for (const event of this.queued.splice(0)) actor.send(event);
  }

  private show(view: AuthView): void {
    const previous = this.snapshot();
    const previousSub = previous.context.claims?.sub;
    this.snapshot.set(view);
    this.feedback.step(flowStep(view), previous === view ? null : flowStep(previous));
    this.document.documentElement.setAttribute(AUTH_STATE_ATTRIBUTE, stateToString(view.value));
    // User info belongs to one signed-in person: drop it when they leave or switch.
    if (view.context.claims?.sub !== previousSub) this.userInfoState.set({ data: null, error: null, loading: false });
    if (!view.hasTag('unsettled')) {
      for (const resolve of this.settledWaiters) resolve();
      this.settledWaiters.clear();
    }
  }

  private stop(): void {
    this.stopped = true;
    this.loadedActor?.stop();
    this.backend.dispose();
    this.document.documentElement.removeAttribute(AUTH_STATE_ATTRIBUTE);
    for (const resolve of this.settledWaiters) resolve();
    this.settledWaiters.clear();
  }
}
