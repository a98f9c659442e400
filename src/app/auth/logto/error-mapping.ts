import { AUTH_NOTICE_TEXT, authError, isAuthError } from '../core/errors';
import type { AuthError, AuthErrorKind, AuthStep } from '../core/port';

/**
 * The adapter's one mapping from whatever the SDK, fetch or storage throws to core's AuthError
 * (built with core's `authError`, so the sentences come from core's table and the retry policy
 * from core's rule unless a case below decides otherwise).
 * Duck-typed on `name`/`code` (LogtoClientError, LogtoError, LogtoRequestError, TypeError)
 * so this file imports nothing of Logto and is safe to unit-test anywhere.
 * The only server text that gets through is an OIDC `error_description`, scrubbed of URLs and
 * long opaque strings.
 */

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

export function mapLogtoError(error: unknown, step: AuthStep): AuthError {
  if (isAuthError(error)) return error;
  const e: ErrorLike = typeof error === 'object' && error !== null ? (error as ErrorLike) : {};
  const name = typeof e.name === 'string' ? e.name : '';
  const code = typeof e.code === 'string' ? e.code : '';

  if (name === 'TimeoutError' || name === 'AbortError') return authError({ kind: 'timeout', code: 'request_timeout', step });

  if (name === 'LogtoClientError') return fromClientError(code, step);
  if (name === 'LogtoError') return fromLogtoError(code, e.data, step);
  if (name === 'LogtoRequestError') return fromRequestError(code, step);

  if (name === 'TypeError') {
    const message = typeof e.message === 'string' ? e.message : '';
    // The SDK's ID-token claim check also throws TypeError; everything else is fetch failing.
    if (/^(At path: IdToken|IdToken is expected)/.test(message)) {
      return authError({ kind: 'invalid_callback', code: 'id_token.invalid_token', step });
    }
    return authError({ kind: 'network', code: 'network_error', step });
  }
  if (name === 'StorageError') return authError({ kind: 'unknown', code: 'storage_error', step });
  return authError({ kind: 'unknown', code: 'unknown', step });
}

function fromClientError(code: string, step: AuthStep): AuthError {
  switch (code) {
    case 'user_cancelled':
      return authError({ kind: 'cancelled', code, step });
    case 'sign_in_session.not_found':
    case 'sign_in_session.invalid':
      return authError({ kind: 'invalid_callback', code, step });
    case 'not_authenticated':
      return authError({ kind: 'session_expired', code, step });
    case 'missing_scope_organizations':
      return authError({ kind: 'config', code, step });
    default:
      return authError({ kind: 'unknown', code: code || 'unknown', step });
  }
}

function fromLogtoError(code: string, data: unknown, step: AuthStep): AuthError {
  if (code === 'callback_uri_verification.error_found') {
    const oidc = (typeof data === 'object' && data !== null ? data : {}) as { error?: unknown; errorDescription?: unknown };
    const oidcError = typeof oidc.error === 'string' && /^[a-z_]{1,64}$/.test(oidc.error) ? oidc.error : 'unknown';
    const description = typeof oidc.errorDescription === 'string' ? scrubDescription(oidc.errorDescription) : '';
    const kind: AuthErrorKind = oidcError === 'access_denied' ? 'access_denied' : 'server';
    const base = kind === 'access_denied' ? AUTH_NOTICE_TEXT.providerRefused : AUTH_NOTICE_TEXT.providerError;
    // The provider answered this sign-in with a refusal: re-running it cannot help.
    return authError({
      kind,
      code: `oidc.${oidcError}`,
      step,
      message: description ? `${base}: ${description}` : `${base}.`,
      retry: 'none',
    });
  }
  if (code.startsWith('callback_uri_verification.') || code.startsWith('id_token.')) {
    return authError({ kind: 'invalid_callback', code, step });
  }
  if (code === 'crypto_subtle_unavailable') return authError({ kind: 'config', code, step });
  if (code === 'unexpected_response_error') return authError({ kind: 'server', code, step });
  return authError({ kind: 'unknown', code: code || 'unknown', step });
}

function fromRequestError(code: string, step: AuthStep): AuthError {
  if (code === 'oidc.invalid_grant') {
    // In the code exchange, invalid_grant means the code expired or was used: only a fresh
    // redirect helps. Elsewhere the refresh token is dead.
    return step === 'callback'
      ? authError({ kind: 'invalid_callback', code, step, retry: 'newRedirect' })
      : authError({ kind: 'session_expired', code, step });
  }
  if (
    code === 'rate_limited' ||
    /^http_error_5\d\d$/.test(code) ||
    code === 'oidc.server_error' ||
    code === 'oidc.temporarily_unavailable'
  ) {
    return authError({ kind: 'server', code, step });
  }
  if (CONFIG_OIDC_ERRORS.has(code)) return authError({ kind: 'config', code, step });
  // Another 4xx answer: the server refused this request and would refuse it again.
  return authError({ kind: 'server', code: code || 'unknown', step, retry: 'none' });
}

/**
 * The adapter's only way to log. Callers pass fixed sentences and error summaries from
 * `describeError`, never URLs, tokens or server messages (which may echo request data).
 */
export type AuthLogLevel = 'debug' | 'info' | 'warn' | 'error';
export type AuthLogger = (level: AuthLogLevel, message: string) => void;

/** Default logger: warnings and errors to the console, the rest dropped (lint allows only those two). */
export const consoleAuthLogger: AuthLogger = (level, message) => {
  if (level === 'warn') console.warn(`[auth/logto] ${message}`);
  else if (level === 'error') console.error(`[auth/logto] ${message}`);
};

/** `Name (code)` of an error: enough to diagnose, nothing that can carry a secret. */
export function describeError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return typeof error;
  const { name, code, kind } = error as { name?: unknown; code?: unknown; kind?: unknown };
  const label = typeof name === 'string' ? name : typeof kind === 'string' ? `AuthError ${kind}` : 'Error';
  return typeof code === 'string' && /^[\w.:-]{1,80}$/.test(code) ? `${label} (${code})` : label;
}
