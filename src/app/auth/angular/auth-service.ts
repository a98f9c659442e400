import { computed, DestroyRef, DOCUMENT, inject, Injectable, InjectionToken, type Signal, signal } from '@angular/core';
import { createActor, type InspectionEvent, type SnapshotFrom, waitFor } from 'xstate';

import { authDevTools } from '../../../environments/build-mode';
import {
  AUTH_TAGS,
  type AuthContext,
  type AuthMachine,
  type AuthError,
  type AuthEvent,
  type AuthTag,
  createAuthMachine,
  createFlightRecorder,
  type IdTokenClaims,
  type SignInOptions,
  type SignOutOptions,
  stateToString,
  toAuthError,
} from '../core';
import { AUTH_BACKEND } from './auth-backend';
import { AUTH_CONFIG } from './auth-config';
import { FlowFeedback, type FlowStep } from './flow-feedback';

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

/** A state of the machine as `snapshot.matches` takes it: `'idle'`, `{ signingIn: 'callback' }`. */
export type AuthStateMatch = Parameters<SnapshotFrom<AuthMachine>['matches']>[0];

function flowStep(snapshot: SnapshotFrom<AuthMachine>): FlowStep {
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

function createAuthActor(machine: AuthMachine, inspect: (event: InspectionEvent) => void) {
  return createActor(machine, { inspect });
}

export type AuthActor = ReturnType<typeof createAuthActor>;

/**
 * The machine as Angular signals. One actor per app, started at bootstrap by provideAuth().
 * Signals are seeded from `getSnapshot()` and then follow `subscribe()` (XState v5 does not
 * replay the current snapshot). Signals need no zone: a deep link delivered by native code
 * outside Angular still schedules change detection.
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

  readonly actor = createAuthActor(createAuthMachine(this.backend.port, { timers: this.config.timers }), (event) =>
    this.inspectors.forEach((inspector) => inspector(event)),
  );

  private readonly snapshot = signal(this.actor.getSnapshot());
  private started = false;

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
  }

  /** Starts the machine (restore from storage, no network). Idempotent; never blocks the first paint. */
  start(): void {
    if (this.started) return;
    this.started = true;
    if (authDevTools) {
      // Development builds only (null in production, see environments/build-mode.ts).
      authDevTools()
        .then((tools) => tools.installDevTools(this))
        .catch((error: unknown) => console.warn('[auth] dev tools unavailable', error))
        .finally(() => this.run());
    } else {
      this.run();
    }
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

  /** Resolves once no state tagged `unsettled` is active (booting, the code exchange: both bounded by the machine). */
  async whenSettled(): Promise<void> {
    await waitFor(this.actor, (snapshot) => !snapshot.hasTag('unsettled') || snapshot.status !== 'active');
  }

  private send(event: AuthEvent): void {
    this.actor.send(event);
  }

  private run(): void {
    this.actor.subscribe({
      next: (snapshot) => this.apply(snapshot),
      error: (error: unknown) => console.error('[auth] the auth machine stopped unexpectedly', toAuthError(error, 'session').code),
    });
    this.actor.start();
    this.apply(this.actor.getSnapshot());
  }

  private apply(snapshot: ReturnType<AuthActor['getSnapshot']>): void {
    const previous = this.snapshot();
    const previousSub = previous.context.claims?.sub;
    this.snapshot.set(snapshot);
    this.feedback.step(flowStep(snapshot), previous === snapshot ? null : flowStep(previous));
    this.document.documentElement.setAttribute(AUTH_STATE_ATTRIBUTE, stateToString(snapshot.value));
    // User info belongs to one signed-in person: drop it when they leave or switch.
    if (snapshot.context.claims?.sub !== previousSub) this.userInfoState.set({ data: null, error: null, loading: false });
  }

  private stop(): void {
    this.actor.stop();
    this.backend.dispose();
    this.document.documentElement.removeAttribute(AUTH_STATE_ATTRIBUTE);
  }
}
