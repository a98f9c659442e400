import type { Requester } from '@logto/js';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';

import type { IdTokenClaims } from '../core/port';

/**
 * The ID token: reading its claims (`decodeIdTokenClaims`, no network) and verifying it
 * (`createIdTokenVerifier`). The boot reader decodes with this module before the first screen, so
 * it imports nothing of the Logto SDK as a value (jose is marked side-effect free and drops out
 * of that bundle when only the decoder is used).
 */

/**
 * A token the checks refused. Shaped like the SDK's `LogtoError` (name + `id_token.*` code),
 * which `mapLogtoError` reads by name and code, so a refused token maps exactly as it did when
 * the SDK verified it.
 */
export class IdTokenRejected extends Error {
  override readonly name = 'LogtoError';
  constructor(readonly code: 'id_token.invalid_token' | 'id_token.invalid_iat') {
    super(`The ID token was refused (${code}).`);
  }
}

/** Logto's default clock tolerance (DefaultJwtVerifier in @logto/client). */
const CLOCK_TOLERANCE_SECONDS = 300;

export interface IdTokenVerifierOptions {
  readonly appId: string;
  readonly getOidcConfig: () => Promise<{ issuer: string; jwksUri: string }>;
  readonly requester: Requester;
  readonly now: () => number;
}

/**
 * Same checks as the SDK's DefaultJwtVerifier (signature against the JWKS, issuer, audience =
 * app id, `iat` within ±300 s), but the JWKS comes through our bounded requester instead of
 * jose's own fetch, so every request of the adapter shares one timeout and one `fetch`.
 * A key the cached set does not know triggers one refetch (key rotation).
 */
export function createIdTokenVerifier(options: IdTokenVerifierOptions): { verifyIdToken(idToken: string): Promise<void> } {
  let cached: { uri: string; keys: Promise<JSONWebKeySet> } | null = null;

  const loadKeys = (uri: string, fresh: boolean): Promise<JSONWebKeySet> => {
    if (!fresh && cached?.uri === uri) return cached.keys;
    const keys = options.requester<JSONWebKeySet>(uri);
    cached = { uri, keys };
    keys.catch(() => {
      if (cached?.keys === keys) cached = null;
    });
    return keys;
  };

  return {
    async verifyIdToken(idToken: string): Promise<void> {
      const { issuer, jwksUri } = await options.getOidcConfig();
      const verify = async (fresh: boolean) =>
        jwtVerify(idToken, createLocalJWKSet(await loadKeys(jwksUri, fresh)), {
          audience: options.appId,
          issuer,
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          currentDate: new Date(options.now()),
        });
      let payload: { iat?: number };
      try {
        try {
          ({ payload } = await verify(false));
        } catch (error) {
          if ((error as { code?: unknown }).code !== 'ERR_JWKS_NO_MATCHING_KEY') throw error;
          ({ payload } = await verify(true));
        }
      } catch (error) {
        // jose's errors carry an ERR_J… code; network and timeout errors pass through unchanged.
        const code = (error as { code?: unknown }).code;
        if (typeof code === 'string' && code.startsWith('ERR_J')) throw new IdTokenRejected('id_token.invalid_token');
        throw error;
      }
      if (Math.abs((payload.iat ?? 0) - options.now() / 1000) > CLOCK_TOLERANCE_SECONDS) {
        throw new IdTokenRejected('id_token.invalid_iat');
      }
    },
  };
}

/**
 * The claims of a stored ID token, read the way `@logto/js`'s `decodeIdToken` reads them (the
 * payload's base64url JSON and the same shape checks; no signature check: the token was verified
 * when it was stored). Ours so the boot reader does not pull `@logto/js` and its dependencies
 * (≈ 17 kB raw) in before the first screen; restore.ts uses it too, so both read a token alike.
 * id-token.spec.ts compares it with `decodeIdToken` over valid and broken tokens.
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
