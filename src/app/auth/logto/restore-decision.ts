import type { IdTokenClaims, RestoreResult } from '../core/port';
import { StorageKey, type TokenStorage } from './token-storage';

/**
 * The one restore decision, pure: the stored items in, the session's claims and — when storage
 * alone gives the whole answer — the boot answer out. Both readers call it: the boot reader before
 * the first screen (`readBootSession`, no adapter, no SDK) and the adapter's full restore
 * (restore.ts `restoreSession`), so they cannot drift apart; test/adapter/restore-agreement.spec.ts
 * runs both over every combination of stored items.
 *
 * In the initial bundle: a module the initial bundle imports lands there whole (also when the lazy
 * adapter imports it too), so this file holds only what the boot reader needs.
 */

/** Every stored item the restore decision reads. */
const RESTORE_ITEMS = [
  StorageKey.idToken,
  StorageKey.refreshToken,
  StorageKey.legacyMigrated,
  StorageKey.pendingSignIn,
  StorageKey.signInSession,
  StorageKey.refreshUnanswered,
] as const;

/** The stored items, by key (values as stored; null when absent). */
export type StoredItems = { readonly [K in (typeof RESTORE_ITEMS)[number]]: string | null };

export async function readStoredItems(storage: TokenStorage): Promise<StoredItems> {
  const values = await Promise.all(RESTORE_ITEMS.map(async (key) => [key, await storage.getItem(key)] as const));
  return Object.fromEntries(values) as StoredItems;
}

export interface RestoreDecision {
  /** The stored session: its refresh token is there and its ID token is readable; else null. */
  readonly claims: IdTokenClaims | null;
  /**
   * The whole answer, when storage alone gives it: a stored session and nothing in flight. Null
   * whenever the adapter may answer differently or must act first: a sign-in in flight (it may
   * complete from the launch URL, or must be forgotten), the Preferences migration not yet done
   * (it may bring a sign-in in flight), a refresh whose answer may have been lost (the session
   * may already be dead at the server), no session or an unreadable ID token (sign-in needs the
   * adapter anyway).
   */
  readonly bootAnswer: RestoreResult | null;
}

/** The restore decision over the stored items, pure (no storage, no network, no clock). */
export function decideRestore(items: StoredItems): RestoreDecision {
  const { idToken, refreshToken, legacyMigrated, pendingSignIn, signInSession, refreshUnanswered } = items;
  let claims: IdTokenClaims | null = null;
  try {
    if (idToken && refreshToken) claims = decodeIdTokenClaims(idToken);
  } catch {
    // Unreadable: no session (the full restore logs it).
  }
  const nothingInFlight = legacyMigrated !== null && pendingSignIn === null && signInSession === null && refreshUnanswered === null;
  return { claims, bootAnswer: claims && nothingInFlight ? { claims, pendingSignIn: false, launchCallback: null } : null };
}

/**
 * The common launch, answered from storage alone, without the adapter and the Logto SDK (in the
 * initial bundle, read while Angular boots, so the first screen does not wait for them;
 * docs/benchmarks.md). Null: the full restore must run (`decideRestore` says when).
 */
export async function readBootSession(storage: TokenStorage): Promise<RestoreResult | null> {
  return decideRestore(await readStoredItems(storage)).bootAnswer;
}

/**
 * The claims of a stored ID token, read the way `@logto/js`'s `decodeIdToken` reads them (the
 * payload's base64url JSON and the same shape checks; no signature check: the token was verified
 * when it was stored). Ours so the boot reader does not pull `@logto/js` and its dependencies
 * (≈ 17 kB raw) in before the first screen. restore-decision.spec.ts compares it with `decodeIdToken` over valid and broken tokens.
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
