import { AUTH_ERROR_MESSAGES, authError, cancelledError, isAuthError, sessionExpiredError, toAuthError } from './errors';

describe('auth errors', () => {
  it('isAuthError accepts exactly the plain AuthError shape', () => {
    expect(isAuthError(authError('network', 'network_error', 'Offline.', 'callback', true))).toBe(true);
    expect(isAuthError({ kind: 'network', code: 'x', message: 'y', retryable: true })).toBe(false); // no step
    expect(isAuthError({ kind: 'teapot', code: 'x', message: 'y', retryable: true, step: 'callback' })).toBe(false);
    expect(isAuthError({ kind: 'network', code: 1, message: 'y', retryable: true, step: 'callback' })).toBe(false);
    expect(isAuthError(new Error('network'))).toBe(false);
    expect(isAuthError(null)).toBe(false);
    expect(isAuthError('network')).toBe(false);
  });

  it("toAuthError keeps an adapter's mapped error, stamps the machine's step and drops extra fields", () => {
    const adapterError = Object.assign(new Error('boom'), {
      kind: 'access_denied',
      code: 'access_denied',
      message: 'The user denied access.',
      retryable: true,
      step: 'redirect',
      url: 'com.example.app://callback?code=SECRET',
    });
    const mapped = toAuthError(adapterError, 'callback');
    expect(mapped).toEqual({
      kind: 'access_denied',
      code: 'access_denied',
      message: 'The user denied access.',
      retryable: true,
      step: 'callback',
    });
    expect(JSON.stringify(mapped)).not.toContain('SECRET');
  });

  it('toAuthError turns anything else into kind unknown with a fixed message, never the raw text', () => {
    for (const raw of [new TypeError('Failed to fetch https://idp/token?code=SECRET'), 'SECRET', undefined, { code: 'SECRET' }]) {
      const mapped = toAuthError(raw, 'redirect');
      expect(mapped).toEqual({
        kind: 'unknown',
        code: 'unexpected_error',
        message: AUTH_ERROR_MESSAGES.unknown,
        retryable: true,
        step: 'redirect',
      });
      expect(JSON.stringify(mapped)).not.toContain('SECRET');
    }
  });

  it('a cancelled flow reads "Sign-in was interrupted. You can try again." and is retryable', () => {
    expect(cancelledError('browser_closed')).toEqual({
      kind: 'cancelled',
      code: 'browser_closed',
      message: 'Sign-in was interrupted. You can try again.',
      retryable: true,
      step: 'redirect',
    });
  });

  it('an expired session asks the person to sign in again', () => {
    expect(sessionExpiredError()).toMatchObject({ kind: 'session_expired', step: 'session', retryable: true });
    expect(sessionExpiredError().message).toBe('Your session has expired. Please sign in again.');
  });

  it('every kind has a message without URLs or codes', () => {
    for (const message of Object.values(AUTH_ERROR_MESSAGES)) {
      expect(message).toMatch(/^[A-Z].*\.$/);
      expect(message).not.toMatch(/https?:|:\/\//);
    }
  });
});
