import type { AuthError, AuthErrorKind, AuthStep } from '../core/port';

/**
 * Maps whatever the SDK, fetch or storage throws to the machine's one error shape.
 * Duck-typed on `name`/`code` (LogtoClientError, LogtoError, LogtoRequestError, TypeError)
 * so this file imports nothing of Logto and is safe to unit-test anywhere.
 * Messages are fixed sentences; the only server text that gets through is an OIDC
 * `error_description`, scrubbed of URLs and long opaque strings.
 */

/** Thrown by our own bounds (request timeout, exchange timeout). */
export class RequestTimeoutError extends Error {
  override readonly name = 'TimeoutError';
  constructor(what = 'request') {
    super(`The ${what} timed out.`);
  }
}

const MESSAGES: Record<AuthErrorKind, string> = {
  cancelled: 'Sign-in was cancelled before it finished.',
  access_denied: 'Sign-in was refused.',
  network: 'Could not reach the sign-in server. Check your connection and try again.',
  timeout: 'The sign-in server took too long to answer. Try again.',
  invalid_callback: 'This sign-in response cannot be used. Please sign in again.',
  session_expired: 'Your session has ended. Please sign in again.',
  server: 'The sign-in server reported a problem. Try again in a moment.',
  config: 'Sign-in is not configured correctly for this app.',
  unknown: 'Something went wrong with sign-in.',
};

const RETRYABLE_KINDS: ReadonlySet<AuthErrorKind> = new Set(['cancelled', 'network', 'timeout', 'server']);

export function authError(
  kind: AuthErrorKind,
  code: string,
  step: AuthStep,
  message: string = MESSAGES[kind],
  retryable: boolean = RETRYABLE_KINDS.has(kind),
): AuthError {
  return { kind, code, message, retryable, step };
}

export function isAuthError(value: unknown): value is AuthError {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v['kind'] === 'string' &&
    typeof v['code'] === 'string' &&
    typeof v['message'] === 'string' &&
    typeof v['retryable'] === 'boolean' &&
    typeof v['step'] === 'string' &&
    !(value instanceof Error)
  );
}

/** Provider descriptions are shown to people: no URLs, no long opaque values, bounded length. */
export function scrubDescription(text: string): string {
  return text
    .replace(/[a-z][a-z0-9+.-]*:\/\/\S+/gi, '[link]')
    .replace(/[A-Za-z0-9_\-.~+/=]{24,}/g, '[value]')
    .replace(/\p{Cc}/gu, ' ')
    .trim()
    .slice(0, 200);
}

const CONFIG_OIDC_ERRORS = new Set([
  'oidc.invalid_client',
  'oidc.unauthorized_client',
  'oidc.invalid_target',
  'oidc.invalid_scope',
  'oidc.invalid_redirect_uri',
  'oidc.unsupported_grant_type',
]);

interface ErrorLike {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly data?: unknown;
}

export function toAuthError(error: unknown, step: AuthStep): AuthError {
  if (isAuthError(error)) return error;
  const e: ErrorLike = typeof error === 'object' && error !== null ? (error as ErrorLike) : {};
  const name = typeof e.name === 'string' ? e.name : '';
  const code = typeof e.code === 'string' ? e.code : '';

  if (name === 'TimeoutError' || name === 'AbortError') return authError('timeout', 'request_timeout', step);

  if (name === 'LogtoClientError') return fromClientError(code, step);
  if (name === 'LogtoError') return fromLogtoError(code, e.data, step);
  if (name === 'LogtoRequestError') return fromRequestError(code, step);

  if (name === 'TypeError') {
    const message = typeof e.message === 'string' ? e.message : '';
    // The SDK's ID-token claim check also throws TypeError; everything else is fetch failing.
    if (/^(At path: IdToken|IdToken is expected)/.test(message)) return authError('invalid_callback', 'id_token.invalid_token', step);
    return authError('network', 'network_error', step);
  }
  if (name === 'StorageError') return authError('unknown', 'storage_error', step, 'The device could not read or write the sign-in data.');
  return authError('unknown', 'unknown', step);
}

function fromClientError(code: string, step: AuthStep): AuthError {
  switch (code) {
    case 'user_cancelled':
      return authError('cancelled', code, step);
    case 'sign_in_session.not_found':
    case 'sign_in_session.invalid':
      return authError('invalid_callback', code, step, 'This sign-in response does not belong to a sign-in in progress.');
    case 'not_authenticated':
      return authError('session_expired', code, step, 'You are not signed in.');
    case 'missing_scope_organizations':
      return authError(
        'config',
        code,
        step,
        'Organization tokens need the organizations scope (urn:logto:scope:organizations) in the app configuration.',
      );
    default:
      return authError('unknown', code || 'unknown', step);
  }
}

function fromLogtoError(code: string, data: unknown, step: AuthStep): AuthError {
  if (code === 'callback_uri_verification.error_found') {
    const oidc = (typeof data === 'object' && data !== null ? data : {}) as { error?: unknown; errorDescription?: unknown };
    const oidcError = typeof oidc.error === 'string' && /^[a-z_]{1,64}$/.test(oidc.error) ? oidc.error : 'unknown';
    const description = typeof oidc.errorDescription === 'string' ? scrubDescription(oidc.errorDescription) : '';
    const kind: AuthErrorKind = oidcError === 'access_denied' ? 'access_denied' : 'server';
    const base = kind === 'access_denied' ? 'Sign-in was refused by the identity provider' : 'The identity provider reported an error';
    return authError(kind, `oidc.${oidcError}`, step, description ? `${base}: ${description}` : `${base}.`, false);
  }
  if (code.startsWith('callback_uri_verification.')) return authError('invalid_callback', code, step);
  if (code === 'id_token.invalid_iat') {
    return authError('invalid_callback', code, step, 'The sign-in response could not be verified. Check that the device clock is correct.');
  }
  if (code.startsWith('id_token.')) return authError('invalid_callback', code, step, 'The sign-in response could not be verified.');
  if (code === 'crypto_subtle_unavailable') {
    return authError('config', code, step, 'Sign-in needs a secure context (https or localhost) for its cryptography.');
  }
  if (code === 'unexpected_response_error') return authError('server', code, step);
  return authError('unknown', code || 'unknown', step);
}

function fromRequestError(code: string, step: AuthStep): AuthError {
  if (code === 'oidc.invalid_grant') {
    // In the code exchange, invalid_grant means the code expired or was used; elsewhere the refresh token is dead.
    // Retryable: the machine's RETRY then starts a fresh redirect (the kind is not transient, so the dead code is not re-run).
    return step === 'callback'
      ? authError('invalid_callback', code, step, 'This sign-in link has expired or was already used. Please sign in again.', true)
      : authError('session_expired', code, step);
  }
  if (code === 'rate_limited')
    return authError('server', code, step, 'Too many requests to the sign-in server. Wait a moment and try again.');
  if (/^http_error_5\d\d$/.test(code) || code === 'oidc.server_error' || code === 'oidc.temporarily_unavailable') {
    return authError('server', code, step);
  }
  if (CONFIG_OIDC_ERRORS.has(code)) return authError('config', code, step);
  return authError('server', code || 'unknown', step, MESSAGES.server, false);
}
