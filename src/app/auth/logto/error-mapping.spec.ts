import { mapLogtoError, scrubDescription } from './error-mapping';
import { RequestTimeoutError } from './http';

/** Errors shaped like the SDK's (LogtoClientError, LogtoError, LogtoRequestError): name + code (+ data). */
const sdkError = (name: string, code: string, data?: unknown) => Object.assign(new Error('sdk says something'), { name, code, data });

describe('mapping SDK and network errors to AuthError', () => {
  it.each([
    [sdkError('LogtoClientError', 'user_cancelled'), 'cancelled', 'newRedirect'],
    [sdkError('LogtoClientError', 'sign_in_session.not_found'), 'invalid_callback', 'none'],
    [sdkError('LogtoClientError', 'missing_scope_organizations'), 'config', 'none'],
    [sdkError('LogtoError', 'callback_uri_verification.state_mismatched'), 'invalid_callback', 'none'],
    [sdkError('LogtoError', 'callback_uri_verification.missing_code'), 'invalid_callback', 'none'],
    [sdkError('LogtoError', 'id_token.invalid_iat'), 'invalid_callback', 'none'],
    [sdkError('LogtoRequestError', 'http_error_503'), 'server', 'sameCallback'],
    [sdkError('LogtoRequestError', 'oidc.invalid_client'), 'config', 'none'],
    [sdkError('LogtoRequestError', 'rate_limited'), 'server', 'sameCallback'],
    [sdkError('LogtoRequestError', 'oidc.invalid_grant'), 'invalid_callback', 'newRedirect'],
    [new TypeError('fetch failed'), 'network', 'sameCallback'],
    [new TypeError('Failed to fetch'), 'network', 'sameCallback'],
    [new RequestTimeoutError(), 'timeout', 'sameCallback'],
    // Through core and through the adapter alike (it was 'not retryable' here and retryable in core).
    [new Error('who knows'), 'unknown', 'sameCallback'],
    ['a string', 'unknown', 'sameCallback'],
  ])('%p → %s, retry %s', (error, kind, retry) => {
    expect(mapLogtoError(error, 'callback')).toMatchObject({ kind, retry, step: 'callback' });
  });

  it('outside the code exchange a transient failure retries with a new redirect, never a callback', () => {
    expect(mapLogtoError(new TypeError('Failed to fetch'), 'redirect')).toMatchObject({ kind: 'network', retry: 'newRedirect' });
    expect(mapLogtoError(new Error('who knows'), 'redirect')).toMatchObject({ kind: 'unknown', retry: 'newRedirect' });
  });

  it('tells a dead refresh token (session expired) from a used authorization code (invalid callback)', () => {
    const invalidGrant = sdkError('LogtoRequestError', 'oidc.invalid_grant');
    expect(mapLogtoError(invalidGrant, 'session')).toMatchObject({ kind: 'session_expired', code: 'oidc.invalid_grant' });
    expect(mapLogtoError(invalidGrant, 'callback')).toMatchObject({ kind: 'invalid_callback', code: 'oidc.invalid_grant' });
  });

  it('shows the provider description of access_denied, and of other OIDC errors as server errors', () => {
    const denied = sdkError('LogtoError', 'callback_uri_verification.error_found', {
      error: 'access_denied',
      errorDescription: 'User said no',
    });
    expect(mapLogtoError(denied, 'callback')).toEqual({
      kind: 'access_denied',
      code: 'oidc.access_denied',
      message: 'Sign-in was refused by the identity provider: User said no',
      step: 'callback',
      retry: 'none',
    });
    const other = sdkError('LogtoError', 'callback_uri_verification.error_found', { error: 'login_required' });
    expect(mapLogtoError(other, 'callback')).toMatchObject({
      kind: 'server',
      code: 'oidc.login_required',
      message: 'The identity provider reported an error.',
    });
  });

  it('never copies SDK messages, URLs or opaque values into the message', () => {
    const leaky = Object.assign(new TypeError('fetch failed for https://idp/token?code=SECRETCODE123'), {});
    expect(JSON.stringify(mapLogtoError(leaky, 'callback'))).not.toMatch(/SECRET|https?:/);
    const description = 'see https://idp.example/x?code=abc for token eyJhbGciOiJFUzM4NCJ9.eyJzdWIiOiIxIn0.sig';
    expect(scrubDescription(description)).toBe('see [link] for token [value]');
    const denied = sdkError('LogtoError', 'callback_uri_verification.error_found', {
      error: 'access_denied',
      errorDescription: description,
    });
    expect(mapLogtoError(denied, 'callback').message).not.toMatch(/https|eyJ/);
  });

  it('keeps an AuthError as it is', () => {
    const error = { kind: 'network', code: 'network_error', message: 'm', retry: 'newRedirect', step: 'session' } as const;
    expect(mapLogtoError(error, 'callback')).toBe(error);
  });
});
