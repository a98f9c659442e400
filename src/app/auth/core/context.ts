import type { AuthError, CallbackRef, IdTokenClaims, SignInOptions } from './port';

/**
 * The machine's context. Plain data only: it is shown in dev tools and in bug reports,
 * so it never holds a token, an authorization code or a callback URL (only the opaque ref).
 */
export interface AuthContext {
  /** Claims of the current session's ID token; kept during a re-sign-in until new ones land. */
  readonly claims: IdTokenClaims | null;
  /**
   * The error of state `error`. In `idle` it may hold a non-blocking notice with
   * step `signOut` (signed out locally, but the identity provider could not be told).
   */
  readonly error: AuthError | null;
  /** Options of the sign-in in flight (or that failed), so RETRY repeats exactly it. */
  readonly pendingSignIn: SignInOptions | null;
  /** Opaque ref of the callback being exchanged, so RETRY re-runs the same one. */
  readonly callback: CallbackRef | null;
}

export function initialAuthContext(): AuthContext {
  return { claims: null, error: null, pendingSignIn: null, callback: null };
}

/** "Never authenticated without claims": an object with a non-empty `sub`. */
export function isUsableClaims(claims: unknown): claims is IdTokenClaims {
  return (
    typeof claims === 'object' &&
    claims !== null &&
    typeof (claims as { sub?: unknown }).sub === 'string' &&
    (claims as { sub: string }).sub.length > 0
  );
}
