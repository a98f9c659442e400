import { RequestTimeoutError, scrubDescription, toAuthError } from './auth-errors';

/** Errors shaped like the SDK's (LogtoClientError, LogtoError, LogtoRequestError): name + code (+ data). */
const sdkError = (name: string, code: string, data?: unknown) => Object.assign(new Error('sdk says something'), { name, code, data });

describe('mapping SDK and network errors to AuthError', () => {
  it.each([
    [sdkError('LogtoClientError', 'user_cancelled'), 'cancelled', true],
    [sdkError('LogtoClientError', 'sign_in_session.not_found'), 'invalid_callback', false],
    [sdkError('LogtoClientError', 'missing_scope_organizations'), 'config', false],
    [sdkError('LogtoError', 'callback_uri_verification.state_mismatched'), 'invalid_callback', false],
    [sdkError('LogtoError', 'callback_uri_verification.missing_code'), 'invalid_callback', false],
    [sdkError('LogtoError', 'id_token.invalid_iat'), 'invalid_callback', false],
    [sdkError('LogtoRequestError', 'http_error_503'), 'server', true],
    [sdkError('LogtoRequestError', 'oidc.invalid_client'), 'config', false],
    [sdkError('LogtoRequestError', 'rate_limited'), 'server', true],
    [new TypeError('fetch failed'), 'network', true],
    [new TypeError('Failed to fetch'), 'network', true],
    [new RequestTimeoutError(), 'timeout', true],
    [new Error('who knows'), 'unknown', false],
    ['a string', 'unknown', false],
  ])('%p → %s', (error, kind, retryable) => {
    expect(toAuthError(error, 'callback')).toMatchObject({ kind, retryable, step: 'callback' });
  });

  it('tells a dead refresh token (session expired) from a used authorization code (invalid callback)', () => {
    const invalidGrant = sdkError('LogtoRequestError', 'oidc.invalid_grant');
    expect(toAuthError(invalidGrant, 'session')).toMatchObject({ kind: 'session_expired', code: 'oidc.invalid_grant' });
    expect(toAuthError(invalidGrant, 'callback')).toMatchObject({ kind: 'invalid_callback', code: 'oidc.invalid_grant' });
  });

  it('shows the provider description of access_denied, and of other OIDC errors as server errors', () => {
    const denied = sdkError('LogtoError', 'callback_uri_verification.error_found', {
      error: 'access_denied',
      errorDescription: 'User said no',
    });
    expect(toAuthError(denied, 'callback')).toEqual({
      kind: 'access_denied',
      code: 'oidc.access_denied',
      message: 'Sign-in was refused by the identity provider: User said no',
      retryable: false,
      step: 'callback',
    });
    const other = sdkError('LogtoError', 'callback_uri_verification.error_found', { error: 'login_required' });
    expect(toAuthError(other, 'callback')).toMatchObject({
      kind: 'server',
      code: 'oidc.login_required',
      message: 'The identity provider reported an error.',
    });
  });

  it('never copies SDK messages, URLs or opaque values into the message', () => {
    const leaky = Object.assign(new TypeError('fetch failed for https://idp/token?code=SECRETCODE123'), {});
    expect(JSON.stringify(toAuthError(leaky, 'callback'))).not.toMatch(/SECRET|https?:/);
    const description = 'see https://idp.example/x?code=abc for token eyJhbGciOiJFUzM4NCJ9.eyJzdWIiOiIxIn0.sig';
    expect(scrubDescription(description)).toBe('see [link] for token [value]');
    const denied = sdkError('LogtoError', 'callback_uri_verification.error_found', {
      error: 'access_denied',
      errorDescription: description,
    });
    expect(toAuthError(denied, 'callback').message).not.toMatch(/https|eyJ/);
  });

  it('keeps an AuthError as it is', () => {
    const error = { kind: 'network', code: 'network_error', message: 'm', retryable: true, step: 'session' } as const;
    expect(toAuthError(error, 'callback')).toBe(error);
  });
});
