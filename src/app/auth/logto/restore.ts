import type { CallbackRef, RestoreResult } from '../core/port';
import type { AppSignals } from './app-signals';
import type { CallbackAdmission } from './callback-admission';
import type { AuthLogger } from './error-mapping';
import { forgetPendingSignIn, pendingSignInOf, writePendingSignIn } from './pending-sign-in';
import { isRedirectTo } from './redirect-uri';
import { decideRestore, readStoredItems, type StoredItems } from './restore-decision';
import type { SessionStore } from './session-store';
import { StorageKey, type TokenStorage } from './token-storage';

/**
 * The adapter's boot: its restore (the one decision of restore-decision.ts, plus the pending
 * sign-in and the launch URL), and the one-time move of an older install's tokens out of
 * Preferences, which runs before it.
 */

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
  const decision = decideRestore(items);
  const pending = pendingSignInOf(items, { now: deps.now(), maxAge: deps.pendingSignInMaxAge, redirectUri: deps.redirectUri });
  if (items.idToken && items.refreshToken && !decision.claims) log('warn', 'the stored ID token is unreadable');
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
