import type { AuthLogger } from './auth-log';
import { writePendingSignIn } from './pending-sign-in';
import { StorageKey, type SessionStorage } from './session-storage';

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
  storage: SessionStorage,
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
