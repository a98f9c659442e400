import type { RestoreResult } from '../core/port';
import { decodeIdTokenClaims } from './id-token-claims';
import { createSecureStorage, createWebFallbackStorage, StorageKey, type SessionStorage } from './session-storage';

/**
 * The common launch, answered from storage alone, without the adapter and the Logto SDK (in the
 * initial bundle, read while Angular boots, so the first screen does not wait for them;
 * docs/benchmarks.md): a stored session, nothing in flight. Anything else returns null and the
 * full restore runs (restore.ts): a sign-in in flight (it may complete from the launch URL), a Preferences
 * migration not yet done, a refresh whose answer may have been lost, an unreadable ID token.
 * When this answers, the full restore would have answered the same: with no sign-in pending it
 * reports no pending sign-in and no launch callback, and the claims of the stored ID token.
 */
export async function readBootSession(storage: SessionStorage): Promise<RestoreResult | null> {
  const [idToken, refreshToken, migrated, pending, signInSession, unanswered] = await Promise.all([
    storage.getItem(StorageKey.idToken),
    storage.getItem(StorageKey.refreshToken),
    storage.getItem(StorageKey.legacyMigrated),
    storage.getItem(StorageKey.pendingSignIn),
    storage.getItem(StorageKey.signInSession),
    storage.getItem(StorageKey.refreshUnanswered),
  ]);
  if (!idToken || !refreshToken || !migrated || pending !== null || signInSession !== null || unanswered !== null) return null;
  try {
    return { claims: decodeIdTokenClaims(idToken), pendingSignIn: false, launchCallback: null };
  } catch {
    return null;
  }
}

/** The same storage the adapter uses by default (adapter-deps.ts): secure storage on devices, the localStorage fallback on web. */
export function readBootSessionFor(namespace: string, native: boolean): Promise<RestoreResult | null> {
  return readBootSession(native ? createSecureStorage(namespace) : createWebFallbackStorage(namespace, globalThis.localStorage));
}
