import { initialAuthContext } from './context';
import { authError } from './errors';
import { maskEmail, maskPhone, redactClaims, redactContext, redactSignInOptions, scrubText } from './redact';

const JWT = 'eyJhbGciOiJFUzM4NCJ9.eyJzdWIiOiJ1c2VyLTEifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
const OPAQUE = 'k3J9xQ2mVb7LpR4tYw8ZsN1cHf6GdA5eUo0iTrEq';

describe('redaction', () => {
  it('masks emails like j***@example.com', () => {
    expect(maskEmail('jane.doe@example.com')).toBe('j***@example.com');
    expect(maskEmail('Contact: a@b.co or bob+x@mail.example.org')).toBe('Contact: a***@b.co or b***@mail.example.org');
    expect(maskEmail('no email here')).toBe('no email here');
  });

  it('masks phone numbers down to their last two digits', () => {
    expect(maskPhone('+86 138 0013 8000')).toBe('***00');
  });

  it('removes URLs (custom scheme included), JWTs and long opaque strings from text', () => {
    const text = `redirect com.example.app://callback?code=${OPAQUE}&state=x failed; token ${JWT}; raw ${OPAQUE}; see https://idp.example/token`;
    const scrubbed = scrubText(text);
    expect(scrubbed).not.toContain(OPAQUE);
    expect(scrubbed).not.toContain('eyJ');
    expect(scrubbed).not.toContain('://');
    expect(scrubbed).toContain('[url]');
    expect(scrubbed).toContain('[redacted]');
  });

  it('claims keep what a person needs to recognise the account and lose what identifies or derives from tokens', () => {
    const redacted = redactClaims({
      sub: 'user-1',
      email: 'jane.doe@example.com',
      email_verified: true,
      name: 'Jane Doe',
      picture: 'https://cdn.example/avatars/jane.png',
      phone_number: '+1 555 010 9999',
      at_hash: 'abc',
      nonce: 'n-0S6_WzA2Mj',
      sid: 'session-id',
      iat: 1_700_000_000,
      address: { formatted: 'mail jane.doe@example.com' },
      roles: ['admin'],
    });
    expect(redacted).toEqual({
      sub: 'user-1',
      email: 'j***@example.com',
      email_verified: true,
      name: 'Jane Doe',
      picture: '[url]',
      phone_number: '***99',
      at_hash: '[redacted]',
      nonce: '[redacted]',
      sid: '[redacted]',
      iat: 1_700_000_000,
      address: { formatted: 'mail j***@example.com' },
      roles: ['admin'],
    });
  });

  it('the redacted sign-in options keep an account switch (prompt login) and drop any other prompt value', () => {
    expect(redactSignInOptions({ loginHint: 'max@example.com', prompt: 'login' })).toEqual({
      loginHint: 'm***@example.com',
      prompt: 'login',
    });
    // Options read back from storage are not type-checked: only the one known word passes.
    expect(redactSignInOptions({ prompt: 'https://evil.example' as 'login' })).toEqual({});
  });

  it('the redacted context says whether a callback is held, never which, and masks the login hint', () => {
    const context = {
      ...initialAuthContext(),
      claims: { sub: 'user-1', email: 'jane@example.com' },
      error: authError({ kind: 'network', code: 'network_error', step: 'callback', message: 'Could not reach https://idp.example' }),
      pendingSignIn: { loginHint: 'jane@example.com', extraParams: { foo: OPAQUE }, firstScreen: 'identifier:sign_in' as const },
      callback: 'cb-7',
    };
    const redacted = redactContext(context);
    const json = JSON.stringify(redacted);
    expect(redacted.callback).toBe('present');
    expect(redactContext({ ...context, callback: null }).callback).toBe('absent');
    expect(redacted.pendingSignIn).toEqual({ firstScreen: 'identifier:sign_in', loginHint: 'j***@example.com', extraParams: ['foo'] });
    expect(redacted.error?.message).toBe('Could not reach [url]');
    expect(json).not.toContain('cb-7');
    expect(json).not.toContain('jane@example.com');
    expect(json).not.toContain(OPAQUE);
    expect(JSON.parse(json)).toEqual(redacted); // JSON-safe
  });
});
