import type { IdTokenClaims } from '../core/port';

/**
 * The claims of a stored ID token, read the way `@logto/js`'s `decodeIdToken` reads them (the
 * payload's base64url JSON and the same shape checks; no signature check: the token was verified
 * when it was stored). Ours so the boot reader does not pull `@logto/js` and its dependencies
 * (≈ 17 kB raw) in before the first screen; restore.ts uses it too, so both read a token alike.
 * id-token-claims.spec.ts compares it with `decodeIdToken` over valid and broken tokens.
 */
export function decodeIdTokenClaims(token: string): IdTokenClaims {
  const payload = token.split('.')[1];
  if (!payload) throw new TypeError('The ID token has no payload');
  const bytes = Uint8Array.from(atob(payload.replaceAll('-', '+').replaceAll('_', '/')), (char) => char.charCodeAt(0));
  const claims: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  assertClaims(claims);
  return claims;
}

function assertClaims(data: unknown): asserts data is IdTokenClaims {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new TypeError('The ID token payload is not an object');
  const claims = data as Record<string, unknown>;
  const expect = (keys: readonly string[], ok: (value: unknown) => boolean, optional: boolean) => {
    for (const key of keys) {
      if (optional && claims[key] === undefined) continue;
      if (!ok(claims[key])) throw new TypeError(`The ID token claim ${key} has the wrong type`);
    }
  };
  expect(['iss', 'sub', 'aud'], (value) => typeof value === 'string', false);
  expect(['exp', 'iat'], (value) => typeof value === 'number', false);
  expect(['at_hash', 'name', 'username', 'picture', 'email', 'phone_number'], (value) => typeof value === 'string' || value === null, true);
  expect(['email_verified', 'phone_number_verified'], (value) => typeof value === 'boolean', true);
}
