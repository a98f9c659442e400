import type { CallbackRef, IdTokenClaims, RestoreResult } from '../core/port';
import type { AppSignals } from './app-signals';
import type { CallbackAdmission } from './callback-admission';
import type { AuthLogger } from './error-mapping';
import { decodeIdTokenClaims } from './id-token';
import { isRedirectTo } from './redirect-uri';
import type { SessionStore } from './session-store';
import { forgetPendingSignIn, pendingSignInOf, writePendingSignIn, type PendingSignIn, type PendingSignInRule } from './sign-in-start';
import { StorageKey, type TokenStorage } from './token-storage';

/**
 * Boot: what the stored items say. One pure decision (`decideRestore`) that both readers call —
 * the boot reader before the first screen (`readBootSession`, no adapter, no SDK) and the
 * adapter's full restore (`restoreSession`) — so they cannot drift apart;
 * test/adapter/restore-agreement.spec.ts runs both over every combination of stored items.
 * Also the one-time move of an older install's tokens out of Preferences, which runs before both.
 */

/** Every stored item the restore decision reads (values as stored; null when absent). */
export interface StoredItems {
  readonly idToken: string | null;
  readonly refreshToken: string | null;
  readonly legacyMigrated: string | null;
  readonly pendingSignIn: string | null;
  readonly signInSession: string | null;
  readonly refreshUnanswered: string | null;
}

export async function readStoredItems(storage: TokenStorage): Promise<StoredItems> {
  const [idToken, refreshToken, legacyMigrated, pendingSignIn, signInSession, refreshUnanswered] = await Promise.all([
    storage.getItem(StorageKey.idToken),
    storage.getItem(StorageKey.refreshToken),
    storage.getItem(StorageKey.legacyMigrated),
    storage.getItem(StorageKey.pendingSignIn),
    storage.getItem(StorageKey.signInSession),
    storage.getItem(StorageKey.refreshUnanswered),
  ]);
  return { idToken, refreshToken, legacyMigrated, pendingSignIn, signInSession, refreshUnanswered };
}

export interface RestoreDecision {
  /** The stored session: its refresh token is there and its ID token is readable; else null. */
  readonly claims: IdTokenClaims | null;
  /** An ID token and a refresh token are stored, but the ID token cannot be read. */
  readonly unreadableIdToken: boolean;
  /** The sign-in in flight, by the one rule (sign-in-start.ts); null when no rule was given. */
  readonly pending: PendingSignIn | null;
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
export function decideRestore(items: StoredItems, rule?: PendingSignInRule): RestoreDecision {
  let claims: IdTokenClaims | null = null;
  let unreadableIdToken = false;
  if (items.idToken && items.refreshToken) {
    try {
      claims = decodeIdTokenClaims(items.idToken);
    } catch {
      unreadableIdToken = true;
    }
  }
  const nothingInFlight =
    items.legacyMigrated !== null && items.pendingSignIn === null && items.signInSession === null && items.refreshUnanswered === null;
  return {
    claims,
    unreadableIdToken,
    pending: rule ? pendingSignInOf(items, rule) : null,
    bootAnswer: claims && nothingInFlight ? { claims, pendingSignIn: false, launchCallback: null } : null,
  };
}

/**
 * The common launch, answered from storage alone, without the adapter and the Logto SDK (in the
 * initial bundle, read while Angular boots, so the first screen does not wait for them;
 * docs/benchmarks.md). Null: the full restore must run (`decideRestore` says when).
 */
export async function readBootSession(storage: TokenStorage): Promise<RestoreResult | null> {
  return decideRestore(await readStoredItems(storage)).bootAnswer;
}

export interface RestoreDeps {
  readonly store: SessionStore;
  readonly storage: TokenStorage;
  readonly admission: CallbackAdmission;
  readonly app: AppSignals;
  readonly redirectUri: string;
  readonly pendingSignInMaxAge: number;
  readonly now: () => number;
  readonly log: AuthLogger;
}

/**
 * The adapter's restore: `decideRestore` over what is stored, storage only (never the network).
 * A pending sign-in that can no longer complete is forgotten; a launch URL that answers the
 * pending sign-in goes straight to callback.
 */
export async function restoreSession(deps: RestoreDeps): Promise<RestoreResult> {
  const { store, log } = deps;
  // The tokens as the session store loaded them at boot (the same stored items; memory is the
  // truth from then on), the rest as stored now.
  const stored = await readStoredItems(deps.storage);
  const items: StoredItems = { ...stored, idToken: store.idToken, refreshToken: store.refreshToken };
  const decision = decideRestore(items, { now: deps.now(), maxAge: deps.pendingSignInMaxAge, redirectUri: deps.redirectUri });
  const pending = decision.pending as PendingSignIn;
  if (decision.unreadableIdToken) log('warn', 'the stored ID token is unreadable');
  // Too old, or half of it missing: nothing can complete it any more.
  if (!pending.ok && pending.reason !== 'none') await forgetPendingSignIn(deps.storage);

  let launchCallback: CallbackRef | null = null;
  const launchUrl = await deps.app.launchUrl();
  if (launchUrl && isRedirectTo(launchUrl, new URL(deps.redirectUri))) {
    if (pending.ok) {
      const admission = await deps.admission.admit(launchUrl, 'launch');
      if (admission.ok) launchCallback = admission.ref;
    } else {
      log('info', 'started on the sign-in redirect URI with no sign-in pending: ignored');
    }
  }
  return {
    claims: decision.claims,
    pendingSignIn: pending.ok,
    ...(pending.ok ? { pendingSignInOptions: pending.record.options } : {}),
    launchCallback,
  };
}

/** The slice of `@capacitor/preferences` the migration needs. */
export interface LegacyPreferences {
  get(options: { key: string }): Promise<{ value: string | null }>;
  remove(options: { key: string }): Promise<void>;
}

/** Keys the stock @logto/capacitor client wrote to Preferences (plain, not namespaced). */
export const LEGACY_KEYS = [StorageKey.idToken, StorageKey.refreshToken, StorageKey.accessToken, StorageKey.signInSession] as const;

/**
 * One-time move of the tokens an older install kept in Preferences (plain SharedPreferences /
 * UserDefaults) into our storage, then deletes them there. Each key is copied before it is
 * removed, so an interrupted run resumes safely; a newer value in our storage wins.
 */
export async function migrateLegacyPreferences(
  preferences: LegacyPreferences,
  storage: TokenStorage,
  now: number,
  log: AuthLogger,
): Promise<void> {
  if (await storage.getItem(StorageKey.legacyMigrated)) return;
  let moved = 0;
  for (const key of LEGACY_KEYS) {
    const { value } = await preferences.get({ key });
    if (value === null) continue;
    if ((await storage.getItem(key)) === null) {
      await storage.setItem(key, value);
      moved += 1;
      // A sign-in that was in flight during the update keeps working; our record gives it an age.
      if (key === StorageKey.signInSession && (await storage.getItem(StorageKey.pendingSignIn)) === null) {
        await writePendingSignIn(storage, { options: {}, startedAt: now });
      }
    }
    await preferences.remove({ key });
  }
  await storage.setItem(StorageKey.legacyMigrated, '1');
  if (moved > 0) log('info', `moved ${moved} item(s) an older install left in Preferences into the session storage`);
}
