import type { Requester } from '@logto/js';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';

/**
 * Verifying an ID token (signature, issuer, audience, `iat`). Reading a stored token's claims
 * without verifying it is `decodeIdTokenClaims` in restore-decision.ts, the boot reader's module:
 * a module the initial bundle imports lands there whole, jose included.
 */

/**
 * A token the checks refused. Shaped like the SDK's `LogtoError` (name + `id_token.*` code),
 * which `mapLogtoError` reads by name and code, so a refused token maps exactly as it did when
 * the SDK verified it.
 */
export class IdTokenRejected extends Error {
  override readonly name = 'LogtoError';
  readonly code: 'id_token.invalid_token' | 'id_token.invalid_iat';
  constructor(code: 'id_token.invalid_token' | 'id_token.invalid_iat') {
    super(`The ID token was refused (${code}).`);
    this.code = code;
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
