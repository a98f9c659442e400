import type { AuthError, AuthErrorKind, AuthStep, RetryPolicy, SessionExpiredCode } from './port';

export const AUTH_ERROR_KINDS: readonly AuthErrorKind[] = Object.freeze([
  'cancelled',
  'access_denied',
  'network',
  'timeout',
  'invalid_callback',
  'session_expired',
  'server',
  'config',
  'unknown',
]);

export const AUTH_STEPS: readonly AuthStep[] = Object.freeze(['restore', 'redirect', 'callback', 'signOut', 'session']);

const RETRY_POLICIES: readonly RetryPolicy[] = Object.freeze(['sameCallback', 'newRedirect', 'none']);

interface KindText {
  /** The headline of the error card. */
  readonly title: string;
  /** The sentence for any code of this kind that has none of its own. */
  readonly message: string;
  /**
   * Sentences for codes that deserve their own (the code names the situation better than the
   * kind). `family.*` covers every code of that family (`id_token.*`: `id_token.invalid_token`, …).
   */
  readonly codes?: Readonly<Record<string, string>>;
}

/**
 * Every sentence a screen shows for an auth error: the one table (the adapter's mapping and the
 * error card read it). Never a token, code or URL.
 */
export const AUTH_ERROR_TEXT: Readonly<Record<AuthErrorKind, KindText>> = Object.freeze({
  cancelled: {
    title: 'Sign-in was interrupted',
    // "Retry" starts the sign-in page again from its first step: say that, not "where you left off".
    message: 'Your sign-in was interrupted before it finished. Retry opens the sign-in page again.',
  },
  access_denied: {
    title: 'Access denied',
    message: 'Access was denied. You can try again, or sign in with another account.',
  },
  network: {
    title: 'Check your connection',
    message: 'We could not reach the sign-in service. Check your connection and try again.',
    codes: { auth_module_load_failed: 'The sign-in module could not be loaded. Check your connection and try again.' },
  },
  timeout: {
    title: 'That took too long',
    message: 'The sign-in service took too long to answer. Check your connection and try again.',
    codes: { redirect_timeout: 'Sign-in took too long and was stopped. You can try again.' },
  },
  invalid_callback: {
    title: 'The sign-in response was not valid',
    message: 'The sign-in response was not valid. Please sign in again.',
    codes: {
      'sign_in_session.not_found': 'This sign-in response does not belong to a sign-in in progress.',
      'sign_in_session.invalid': 'This sign-in response does not belong to a sign-in in progress.',
      'oidc.invalid_grant': 'This sign-in link has expired or was already used. Please sign in again.',
      'id_token.invalid_iat': 'The sign-in response could not be verified. Check that the device clock is correct.',
      'id_token.*': 'The sign-in response could not be verified.',
      id_token_missing: 'The sign-in response did not identify you. Please sign in again.',
      callback_not_found: 'This sign-in response is no longer available. Please sign in again.',
    },
  },
  session_expired: {
    title: 'Your session ended, please sign in again',
    message: 'For your security you were signed out on this device.',
    codes: {
      not_authenticated: 'You are not signed in.',
      // The refresh answer was lost (the server may have rotated the token, and revokes the grant when
      // the spent one comes back): only a new sign-in helps.
      refresh_answer_lost: 'We lost contact while renewing your session; please sign in again.',
    },
  },
  server: {
    title: 'The sign-in service had a problem',
    message: 'The sign-in service had a problem. Please try again in a moment.',
    codes: { rate_limited: 'Too many requests to the sign-in server. Wait a moment and try again.' },
  },
  config: {
    title: 'Sign-in is not set up correctly',
    message: 'Sign-in is not set up correctly for this app. Please contact support.',
    codes: {
      missing_scope_organizations:
        'Organization tokens need the organizations scope (urn:logto:scope:organizations) in the app configuration.',
      crypto_subtle_unavailable: 'Sign-in needs a secure context (https or localhost) for its cryptography.',
    },
  },
  unknown: {
    title: 'Something went wrong',
    message: 'Something went wrong while signing in. Please try again.',
    codes: { storage_error: 'The device could not read or write the sign-in data.' },
  },
});

/** Sentences that wrap or replace a kind's text in one situation. */
export const AUTH_NOTICE_TEXT = Object.freeze({
  /** Signed out locally, but the identity provider could not be told (a notice in `idle`). */
  signOutUnreachable: 'You are signed out on this device, but the sign-in service could not be reached to end your session there.',
  /** CANCEL with no session: the app stopped the sign-in (a notice in `idle`). */
  userCancelled: 'You cancelled sign-in.',
  /** CANCEL during a re-sign-in: back to the kept session (a notice in `authenticated`; the screen names the person). */
  cancelledKeptSession: 'You cancelled the sign-in.',
  /** The browser closed / app came back without a callback during a re-sign-in (a notice in `authenticated`). */
  interruptedKeptSession: 'The sign-in page closed before you finished.',
  /** The identity provider answered the callback with `error=access_denied`; its scrubbed description follows. */
  providerRefused: 'Sign-in was refused by the identity provider',
  /** The identity provider answered the callback with another OIDC error; its scrubbed description follows. */
  providerError: 'The identity provider reported an error',
  /** Another tab of the same browser signed out (web): a notice in `idle`, not a security sign-out. */
  signedOutElsewhere: 'You signed out in another tab.',
});

/** The sentence for `code` of `kind`: its own, else its family's, else the kind's. */
export function authErrorMessage(kind: AuthErrorKind, code: string): string {
  const text = AUTH_ERROR_TEXT[kind] ?? AUTH_ERROR_TEXT.unknown;
  const family = code.includes('.') ? `${code.slice(0, code.indexOf('.'))}.*` : undefined;
  return text.codes?.[code] ?? (family && text.codes?.[family]) ?? text.message;
}

/**
 * The retry rule, in one place. A failure that may pass on its own (network, timeout, server,
 * unknown) re-runs the same code exchange when it happened there (the authorization code is
 * short-lived: once it is spent the server says invalid_grant, mapped to a fresh redirect), and
 * opens the browser again anywhere else. An interrupted sign-in is picked up with a new redirect.
 * A refusal, an unusable response, a dead session or a misconfiguration is not retried by
 * default (a refusal or dead session is answered by a new sign-in, which the screens offer).
 */
export function defaultRetryPolicy(kind: AuthErrorKind, step: AuthStep): RetryPolicy {
  switch (kind) {
    case 'network':
    case 'timeout':
    case 'server':
    case 'unknown':
      return step === 'callback' ? 'sameCallback' : 'newRedirect';
    case 'cancelled':
      return 'newRedirect';
    default:
      return 'none';
  }
}

/** What `authError()` takes: one object, so no two arguments can be swapped. */
export interface AuthErrorInit {
  readonly kind: AuthErrorKind;
  readonly code: string;
  readonly step: AuthStep;
  /** Default: the table's sentence for the code or kind. */
  readonly message?: string;
  /** Default: `defaultRetryPolicy(kind, step)`. */
  readonly retry?: RetryPolicy;
}

/** The only constructor of an `AuthError`. */
export function authError(init: AuthErrorInit): AuthError {
  return {
    kind: init.kind,
    code: init.code,
    message: init.message ?? authErrorMessage(init.kind, init.code),
    step: init.step,
    retry: init.retry ?? defaultRetryPolicy(init.kind, init.step),
  };
}

export function isAuthError(value: unknown): value is AuthError {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    AUTH_ERROR_KINDS.includes(v['kind'] as AuthErrorKind) &&
    typeof v['code'] === 'string' &&
    typeof v['message'] === 'string' &&
    RETRY_POLICIES.includes(v['retry'] as RetryPolicy) &&
    AUTH_STEPS.includes(v['step'] as AuthStep)
  );
}

/**
 * The only way a failure enters the machine's context.
 * - An `AuthError` (the adapter maps SDK errors to these) is copied field by field, so an
 *   error class with extra properties never lands in context, and stamped with the step
 *   the machine was in (the machine knows better than the adapter which step failed). A retry
 *   policy that was the default for the old step becomes the default for the new one; one
 *   the mapping chose on purpose is kept.
 * - Anything else becomes `unknown`. Its message is NOT copied: a raw error message can
 *   carry a URL, a code or a token.
 */
export function toAuthError(error: unknown, step: AuthStep): AuthError {
  if (isAuthError(error)) {
    const wasDefault = error.retry === defaultRetryPolicy(error.kind, error.step);
    return authError({
      kind: error.kind,
      code: error.code,
      message: error.message,
      step,
      retry: wasDefault ? defaultRetryPolicy(error.kind, step) : error.retry,
    });
  }
  return authError({ kind: 'unknown', code: 'unexpected_error', step });
}

/** The sign-in did not finish: browser closed, app resumed without a callback, CANCEL, or an interrupted boot. */
export function cancelledError(code: string, step: AuthStep = 'redirect'): AuthError {
  return authError({ kind: 'cancelled', code, step });
}

/**
 * A sign-in that did not finish, as a non-blocking notice: in `idle` after CANCEL ("You cancelled
 * sign-in"), in `authenticated` when a re-sign-in was cancelled or its browser closed (the old
 * session is kept; the screen says "You're still signed in as …"). Nothing to retry from a
 * notice: the screen it sits on offers sign-in / switch account again.
 */
export function cancelledNotice(code: string, keptSession: boolean): AuthError {
  const message = keptSession
    ? code === 'user_cancelled'
      ? AUTH_NOTICE_TEXT.cancelledKeptSession
      : AUTH_NOTICE_TEXT.interruptedKeptSession
    : AUTH_NOTICE_TEXT.userCancelled;
  return authError({ kind: 'cancelled', code, step: 'redirect', message, retry: 'none' });
}

/**
 * The person signed out in another tab of the same browser (web): a notice in `idle`. Not a
 * session expiry: nothing was refused, so nothing says "for your security".
 */
export function signedOutElsewhereNotice(): AuthError {
  return authError({
    kind: 'session_expired',
    code: 'signed_out_elsewhere',
    step: 'session',
    message: AUTH_NOTICE_TEXT.signedOutElsewhere,
    retry: 'none',
  });
}

/** The token layer found the session dead and cleared it locally. RETRY = sign in again. */
export function sessionExpiredError(code: SessionExpiredCode = 'session_expired'): AuthError {
  return authError({ kind: 'session_expired', code, step: 'session', retry: 'newRedirect' });
}
