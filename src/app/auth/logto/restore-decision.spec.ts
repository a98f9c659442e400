import { readBootSession } from './restore';
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
