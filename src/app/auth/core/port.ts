/**
 * The port: everything the auth machine needs from the outside world.
 *
 * `auth/core` imports nothing of Angular, Capacitor or Logto. The Logto adapter
 * (`auth/logto`) implements this interface; unit tests implement it with fakes.
 *
 * Security rule: no token, authorization code, PKCE verifier or callback URL ever
 * crosses this port into the machine. A callback URL stays inside the adapter and
 * the machine only holds an opaque `CallbackRef` to it.
 */

/** Logto's `first_screen` values (see @logto/client SignInOptions). */
export type FirstScreen = 'signIn' | 'register' | 'reset_password' | 'identifier:sign_in' | 'identifier:register' | 'single_sign_on';

export type SignInIdentifier = 'email' | 'phone' | 'username';

/** Options of one sign-in; passed through to the SDK's base `signIn({...})`. */
export interface SignInOptions {
  readonly firstScreen?: FirstScreen;
  readonly identifiers?: readonly SignInIdentifier[];
  readonly loginHint?: string;
  readonly directSignIn?: { readonly method: string; readonly target: string };
  readonly extraParams?: Readonly<Record<string, string>>;
  readonly interactionMode?: 'signIn' | 'signUp';
  /**
   * `'login'`: ask the identity provider to authenticate again even while its browser session
   * lives (OIDC `prompt=login`), so "Continue with email" with another address really switches
   * account. Absent: the provider may reuse its session (the default). The adapter always keeps
   * `consent` next to it: without it the provider drops `offline_access` (no refresh token).
   */
  readonly prompt?: 'login';
}

export interface SignOutOptions {
  /** Open the identity provider's end-session page (default true). False = local sign-out only. */
  readonly endSession?: boolean;
}

export type AuthErrorKind =
  'cancelled' | 'access_denied' | 'network' | 'timeout' | 'invalid_callback' | 'session_expired' | 'server' | 'config' | 'unknown';

/** The step of the flow an error came from; RETRY goes back to it. */
export type AuthStep = 'restore' | 'redirect' | 'callback' | 'signOut' | 'session';

/**
 * What RETRY does with an error (the machine's guards read it; nothing else decides):
 * `sameCallback` re-runs the code exchange of the callback already held (the SDK keeps the
 * sign-in session until an exchange succeeds); `newRedirect` opens the browser again with the
 * same options; `none` offers no retry (DISMISS only).
 */
export type RetryPolicy = 'sameCallback' | 'newRedirect' | 'none';

/** The only error shape the machine stores. Plain data: safe to log, show and serialise. Build it with `authError()`. */
export interface AuthError {
  readonly kind: AuthErrorKind;
  /** Stable machine-readable code, e.g. `user_cancelled`, `oidc.invalid_grant`, `http_error_500`. */
  readonly code: string;
  /** A sentence a person understands. Never contains a token, code or URL. */
  readonly message: string;
  readonly step: AuthStep;
  readonly retry: RetryPolicy;
}

/** Decoded ID-token claims (no signature, no raw token). */
export interface IdTokenClaims {
  readonly sub: string;
  readonly [claim: string]: unknown;
}

/** Opaque handle to a callback URL that the adapter holds; e.g. `cb-3`. */
export type CallbackRef = string;

export interface RestoreResult {
  /** Claims of the stored session when it is usable (ID token + usable refresh token), else null. */
  readonly claims: IdTokenClaims | null;
  /** A sign-in was in flight (a sign-in session is stored and not stale). */
  readonly pendingSignIn: boolean;
  /** The options of that pending sign-in, so Retry after a restart repeats it. */
  readonly pendingSignInOptions?: SignInOptions;
  /**
   * The app was started by (native launch URL) or returned to (web page URL) this
   * app's exact sign-in redirect URI, matching the pending sign-in: go straight to callback.
   */
  readonly launchCallback: CallbackRef | null;
}

/** Signals from the platform (deep links, the system browser, app lifecycle, token layer). */
export type PlatformEvent =
  /** A URL that exactly matches the sign-in redirect URI and the pending sign-in's state. */
  | { readonly type: 'CALLBACK_RECEIVED'; readonly callback: CallbackRef }
  /** A URL that exactly matches the sign-out redirect URI. */
  | { readonly type: 'SIGN_OUT_CALLBACK_RECEIVED' }
  /** The system browser reported it was closed/finished (Android `browserFinished`, iOS Done, web `pageshow` from bfcache). */
  | { readonly type: 'BROWSER_CLOSED' }
  /** The app came back to the foreground. */
  | { readonly type: 'APP_RESUMED' }
  /**
   * The token layer found the session dead and cleared it locally. `code` says why (default
   * `session_expired`: the refresh token was refused; `refresh_answer_lost`: a refresh's answer
   * was lost and the grant is gone), so the screens can say which.
   */
  | { readonly type: 'SESSION_EXPIRED'; readonly code?: SessionExpiredCode }
  /**
   * Another instance of the app sharing this device's session storage (another browser tab)
   * signed out: this one already stopped serving tokens. Not an expiry: the person chose it.
   */
  | { readonly type: 'SIGNED_OUT_ELSEWHERE' }
  /**
   * Another instance of the app sharing this device's session storage signed in or switched
   * account, and this one adopted that session (its tokens are already served): these are its claims.
   */
  | { readonly type: 'SESSION_ADOPTED'; readonly claims: IdTokenClaims };

/** Why the token layer ended the session (the `code` of the resulting `session_expired` error). */
export type SessionExpiredCode = 'session_expired' | 'refresh_answer_lost';

export interface SignOutStarted {
  /** True when an end-session page was opened and the machine should wait for it to end. */
  readonly awaitingBrowser: boolean;
}

export interface AuthPort {
  /** Read storage only (never the network): the stored session, a pending sign-in, a launch callback. */
  restore(): Promise<RestoreResult>;
  /**
   * Check that the identity provider answers (a short uncached request: a top-level navigation
   * to a dead server cannot be caught afterwards), persist the pending sign-in and open the
   * system browser. Resolves once the browser is open (web: once navigation started). Rejects
   * with a `network` error when the provider does not answer. Never clears the existing session
   * (`clearTokens: false`): it is replaced only when the new one lands.
   * `signal` aborts when the machine gave up on this start (CANCEL, a timeout): the browser must
   * then not open / the page not navigate, and the pending sign-in is forgotten.
   */
  startSignIn(options: SignInOptions, signal?: AbortSignal): Promise<void>;
  /**
   * Exchange the code of the referenced callback, verify the ID token, store tokens.
   * Idempotent per ref: if this ref's exchange already succeeded (the machine may have given
   * up on a slow first call after `codeExchangeTimeout` and RETRY calls again), resolve with
   * the claims it stored instead of failing with `sign_in_session.not_found`.
   */
  completeSignIn(callback: CallbackRef): Promise<IdTokenClaims>;
  /** Best-effort close of the system browser; never rejects. */
  closeBrowser(): Promise<void>;
  /** Forget the pending sign-in (after the user dismissed it). Never rejects. */
  discardPendingSignIn(): Promise<void>;
  /**
   * Clear the local session first (always, even offline), then revoke the refresh token
   * (best effort, bounded), then open the end-session page if configured and requested.
   * Rejects only after the local session is gone, to report that the provider could not be
   * reached (the machine then ends in `idle` with a notice).
   */
  signOut(options: SignOutOptions): Promise<SignOutStarted>;
  /** Subscribe to platform signals; returns the unsubscribe function. */
  subscribe(listener: (event: PlatformEvent) => void): () => void;
}
