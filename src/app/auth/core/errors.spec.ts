import { AUTH_ERROR_TEXT, authError, cancelledError, isAuthError, sessionExpiredError, toAuthError } from './errors';

describe('auth errors', () => {
  it('isAuthError accepts exactly the plain AuthError shape', () => {
    expect(isAuthError(authError({ kind: 'network', code: 'network_error', step: 'callback' }))).toBe(true);
    expect(isAuthError({ kind: 'network', code: 'x', message: 'y', retry: 'none' })).toBe(false); // no step
    expect(isAuthError({ kind: 'teapot', code: 'x', message: 'y', retry: 'none', step: 'callback' })).toBe(false);
    expect(isAuthError({ kind: 'network', code: 1, message: 'y', retry: 'none', step: 'callback' })).toBe(false);
    expect(isAuthError({ kind: 'network', code: 'x', message: 'y', retryable: true, step: 'callback' })).toBe(false); // the old shape
    expect(isAuthError(new Error('network'))).toBe(false);
    expect(isAuthError(null)).toBe(false);
    expect(isAuthError('network')).toBe(false);
  });

  it('authError fills the message from the one table and the retry policy from the one rule', () => {
    expect(authError({ kind: 'network', code: 'network_error', step: 'callback' })).toEqual({
      kind: 'network',
      code: 'network_error',
      message: AUTH_ERROR_TEXT.network.message,
      step: 'callback',
      retry: 'sameCallback',
    });
    expect(authError({ kind: 'network', code: 'network_error', step: 'redirect' }).retry).toBe('newRedirect');
    expect(authError({ kind: 'config', code: 'x', step: 'callback' }).retry).toBe('none');
    expect(authError({ kind: 'invalid_callback', code: 'id_token.invalid_iat', step: 'callback' }).message).toMatch(/device clock/);
    expect(authError({ kind: 'invalid_callback', code: 'id_token.signature_invalid', step: 'callback' }).message).toBe(
      'The sign-in response could not be verified.',
    );
  });

  it("toAuthError keeps an adapter's mapped error, stamps the machine's step and drops extra fields", () => {
    const adapterError = Object.assign(new Error('boom'), {
      kind: 'access_denied',
      code: 'access_denied',
      message: 'The user denied access.',
      retry: 'newRedirect',
      step: 'redirect',
      url: 'com.example.app://callback?code=SECRET',
    });
    const mapped = toAuthError(adapterError, 'callback');
    expect(mapped).toEqual({
      kind: 'access_denied',
      code: 'access_denied',
      message: 'The user denied access.',
      retry: 'newRedirect',
      step: 'callback',
    });
    expect(JSON.stringify(mapped)).not.toContain('SECRET');
  });

  it("toAuthError moves a default retry policy to the machine's step and keeps one chosen on purpose", () => {
    const network = authError({ kind: 'network', code: 'network_error', step: 'session' });
    expect(toAuthError(network, 'callback').retry).toBe('sameCallback');
    const refused = authError({ kind: 'server', code: 'oidc.server_error', step: 'session', retry: 'none' });
    expect(toAuthError(refused, 'callback').retry).toBe('none');
  });

  it('toAuthError turns anything else into kind unknown with a fixed message, never the raw text', () => {
    for (const raw of [new TypeError('Failed to fetch https://idp/token?code=SECRET'), 'SECRET', undefined, { code: 'SECRET' }]) {
      const mapped = toAuthError(raw, 'redirect');
      expect(mapped).toEqual({
        kind: 'unknown',
        code: 'unexpected_error',
        message: AUTH_ERROR_TEXT.unknown.message,
        retry: 'newRedirect',
        step: 'redirect',
      });
      expect(JSON.stringify(mapped)).not.toContain('SECRET');
    }
  });

  it('an unexpected failure of the code exchange re-runs the same callback, whoever maps it', () => {
    expect(toAuthError(new Error('boom'), 'callback').retry).toBe('sameCallback');
  });

  it('a cancelled flow says the sign-in was interrupted and retries with a new redirect', () => {
    expect(cancelledError('browser_closed')).toEqual({
      kind: 'cancelled',
      code: 'browser_closed',
      message: 'Your sign-in was interrupted before it finished. Retry opens the sign-in page again.',
      retry: 'newRedirect',
      step: 'redirect',
    });
  });

  it('an expired session asks the person to sign in again; a lost refresh answer says so', () => {
    expect(sessionExpiredError()).toMatchObject({ kind: 'session_expired', step: 'session', retry: 'newRedirect' });
    expect(sessionExpiredError().message).toBe('For your security you were signed out on this device.');
    expect(sessionExpiredError('refresh_answer_lost')).toMatchObject({
      kind: 'session_expired',
      code: 'refresh_answer_lost',
      message: 'We lost contact while renewing your session; please sign in again.',
    });
  });

  it('every kind has a title and messages without URLs or codes', () => {
    for (const text of Object.values(AUTH_ERROR_TEXT)) {
      expect(text.title).toMatch(/^[A-Z]/);
      for (const message of [text.message, ...Object.values(text.codes ?? {})]) {
        expect(message).toMatch(/^[A-Z].*\.$/);
        expect(message).not.toMatch(/https?:|:\/\//);
      }
    }
  });
});
