import { decodeIdToken } from '@logto/js';

import { decodeIdTokenClaims, readBootSession } from './restore-decision';
import { createMemoryStorage } from './token-storage';

/** An unsigned ID token with the given claims (decodeIdToken reads the payload only). */
const idToken = (claims: object) => `e30.${btoa(JSON.stringify(claims)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')}.sig`;
const CLAIMS = {
  iss: 'http://localhost:3001/oidc',
  sub: 'u1',
  aud: 'app',
  exp: 2_000_000_000,
  iat: 1_700_000_000,
  email: 'jane@example.com',
};
const SESSION = { idToken: idToken(CLAIMS), refreshToken: 'r'.repeat(43), legacyMigrated: '1' };

describe('readBootSession', () => {
  it('answers a stored session with nothing in flight from storage: its claims, no pending sign-in', async () => {
    await expect(readBootSession(createMemoryStorage(SESSION))).resolves.toEqual({
      claims: CLAIMS,
      pendingSignIn: false,
      launchCallback: null,
    });
  });

  it.each([
    ['no session', {}],
    ['no refresh token', { idToken: SESSION.idToken, legacyMigrated: '1' }],
    ['the Preferences migration has not run', { idToken: SESSION.idToken, refreshToken: SESSION.refreshToken }],
    ['a sign-in in flight (ours)', { ...SESSION, pendingSignIn: '{"options":{},"startedAt":1}' }],
    ['a sign-in in flight (the SDK)', { ...SESSION, signInSession: '{}' }],
    ['a refresh whose answer may be lost', { ...SESSION, refreshUnanswered: '1' }],
    ['an unreadable ID token', { ...SESSION, idToken: 'not-a-jwt' }],
  ])('leaves the launch to the full restore with %s', async (_, items) => {
    await expect(readBootSession(createMemoryStorage(items as Record<string, string>))).resolves.toBeNull();
  });
});

const b64url = (text: string) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(text)))
    .replace(/=+$/, '')
    .replace(/\+/g, '-')
    .replace(/\//g, '_');
const token = (payload: string) => `eyJhbGciOiJFUzM4NCJ9.${b64url(payload)}.sig`;
const BASE = { iss: 'http://localhost:3001/oidc', sub: 'u1', aud: 'app', exp: 2_000_000_000, iat: 1_700_000_000 };

/** What @logto/js makes of a token: the claims, or that it refused. */
function logto(input: string): unknown {
  try {
    return decodeIdToken(input);
  } catch {
    return 'refused';
  }
}
function ours(input: string): unknown {
  try {
    return decodeIdTokenClaims(input);
  } catch {
    return 'refused';
  }
}

describe('decodeIdTokenClaims reads a stored ID token as @logto/js does', () => {
  it.each([
    ['the usual claims', token(JSON.stringify({ ...BASE, email: 'jane@example.com', email_verified: true }))],
    ['non-ASCII names (UTF-8 across base64 boundaries)', token(JSON.stringify({ ...BASE, name: 'Zoë Ångström 山田太郎 🙂' }))],
    ['null optional claims', token(JSON.stringify({ ...BASE, name: null, picture: null, username: null }))],
    ['extra claims kept as they are', token(JSON.stringify({ ...BASE, organizations: ['o1'], custom: { a: 1 } }))],
    ['a payload with - and _ in its base64url', token(JSON.stringify({ ...BASE, name: '?>?>?>~~~ÿÿÿ' }))],
    ['no payload', 'header-only'],
    ['an empty payload', 'a..c'],
    ['not base64', 'a.***.c'],
    ['not JSON', token('not json')],
    ['an array', token('[1,2]')],
    ['null', token('null')],
    ['a missing sub', token(JSON.stringify({ ...BASE, sub: undefined }))],
    ['exp as a string', token(JSON.stringify({ ...BASE, exp: '2000000000' }))],
    ['email as a number', token(JSON.stringify({ ...BASE, email: 5 }))],
    ['email_verified as a string', token(JSON.stringify({ ...BASE, email_verified: 'true' }))],
  ])('%s', (_, input) => {
    const expected = logto(input);
    expect(ours(input)).toEqual(expected);
  });

  it('refuses what @logto/js refuses and reads what it reads (both outcomes occur above)', () => {
    expect(ours(token(JSON.stringify(BASE)))).toEqual(BASE);
    expect(ours(token('null'))).toBe('refused');
  });
});
