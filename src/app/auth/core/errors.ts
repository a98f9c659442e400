import type { AuthError, AuthErrorKind, AuthStep } from './port';

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

/** A sentence per kind, for errors whose source gave none we can trust. Never a token, code or URL. */
export const AUTH_ERROR_MESSAGES: Readonly<Record<AuthErrorKind, string>> = Object.freeze({
  cancelled: 'Sign-in was interrupted. You can try again.',
  access_denied: 'Access was denied. You can try again, or sign in with another account.',
  network: 'We could not reach the sign-in service. Check your connection and try again.',
  timeout: 'Signing in took too long. Please try again.',
  invalid_callback: 'The sign-in response was not valid. Please sign in again.',
  session_expired: 'Your session has expired. Please sign in again.',
  server: 'The sign-in service had a problem. Please try again in a moment.',
  config: 'Sign-in is not set up correctly for this app. Please contact support.',
  unknown: 'Something went wrong while signing in. Please try again.',
});

export function authError(kind: AuthErrorKind, code: string, message: string, step: AuthStep, retryable: boolean): AuthError {
  return { kind, code, message, step, retryable };
}

export function isAuthError(value: unknown): value is AuthError {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    AUTH_ERROR_KINDS.includes(v['kind'] as AuthErrorKind) &&
    typeof v['code'] === 'string' &&
    typeof v['message'] === 'string' &&
    typeof v['retryable'] === 'boolean' &&
    AUTH_STEPS.includes(v['step'] as AuthStep)
  );
}

/**
 * The only way a failure enters the machine's context.
 * - An `AuthError` (the adapter maps SDK errors to these) is copied field by field, so an
 *   error class with extra properties never lands in context, and stamped with the step
 *   the machine was in (the machine knows better than the adapter which step failed).
 * - Anything else becomes `unknown`. Its message is NOT copied: a raw error message can
 *   carry a URL, a code or a token.
 */
export function toAuthError(error: unknown, step: AuthStep): AuthError {
  if (isAuthError(error)) {
    return authError(error.kind, error.code, error.message, step, error.retryable);
  }
  return authError('unknown', 'unexpected_error', AUTH_ERROR_MESSAGES.unknown, step, true);
}

/** The sign-in did not finish: browser closed, app resumed without a callback, CANCEL, or an interrupted boot. */
export function cancelledError(code: string, step: AuthStep = 'redirect'): AuthError {
  return authError('cancelled', code, AUTH_ERROR_MESSAGES.cancelled, step, true);
}

export function timeoutError(code: string, step: AuthStep, message: string = AUTH_ERROR_MESSAGES.timeout): AuthError {
  return authError('timeout', code, message, step, true);
}

/** The token layer found the refresh token dead and cleared the local session. RETRY = sign in again. */
export function sessionExpiredError(): AuthError {
  return authError('session_expired', 'session_expired', AUTH_ERROR_MESSAGES.session_expired, 'session', true);
}

/**
 * Kinds for which re-running the same code exchange can succeed: the SDK keeps the sign-in
 * session until an exchange succeeds. Other callback failures (state mismatch, access denied,
 * a consumed code) need a fresh redirect.
 */
export const TRANSIENT_KINDS: readonly AuthErrorKind[] = Object.freeze(['network', 'timeout', 'server', 'unknown']);
