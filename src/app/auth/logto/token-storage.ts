import { KeychainAccess, SecureStorage } from '@aparajita/capacitor-secure-storage';

/**
 * The secure store the session's tokens live in (Keychain / Keystore on devices; not the
 * browser's `sessionStorage`, and not the in-memory `SessionStore` that writes through it). It
 * has the SDK's own storage contract (async get/set/remove of strings), so the same object is
 * installed as `client.adapter.storage` and used by our session store.
 */
export interface TokenStorage {
  getItem(key: string): Promise<string | null>;
  setItem(key: string, value: string): Promise<void>;
  removeItem(key: string): Promise<void>;
}

/** Keys the SDK writes (its `PersistKey`) plus ours. */
export const StorageKey = {
  idToken: 'idToken',
  refreshToken: 'refreshToken',
  /** JSON map `{ "@<resource>#<org>": { token, scope, expiresAt (s) } }`, the SDK's format. */
  accessToken: 'accessToken',
  /** The SDK's `{ redirectUri, codeVerifier, state }` of the sign-in in flight. */
  signInSession: 'signInSession',
  /** Ours: `{ options, startedAt }` of the sign-in in flight (Retry after a restart repeats it). */
  pendingSignIn: 'pendingSignIn',
  /** Ours: set once the tokens an older install left in Preferences were moved. */
  legacyMigrated: 'legacyMigrated',
  /**
   * Ours: `'1'` while the stored refresh token may be spent at the server — it was sent and no
   * answer came (network lost, app killed). Written before every refresh, so it survives a kill.
   */
  refreshUnanswered: 'refreshUnanswered',
  /**
   * Ours, web only (tabs share the storage): why the stored session was last removed —
   * `signed_out`, or the expiry code — so the other tabs tell the person the truth. Removed by a sign-in.
   */
  sessionEnd: 'sessionEnd',
} as const;

/** Everything that makes up the local session (sign-out and session expiry remove these). */
export const SESSION_TOKEN_KEYS = [
  StorageKey.idToken,
  StorageKey.refreshToken,
  StorageKey.accessToken,
  StorageKey.refreshUnanswered,
] as const;

/**
 * iOS Keychain / Android Keystore through @aparajita/capacitor-secure-storage. Keys are
 * namespaced by the app id here rather than with the plugin's global `setKeyPrefix`, so other
 * users of the plugin in the same app are unaffected. Items are `ThisDeviceOnly`: tokens do not
 * travel to another device inside a backup.
 */
export function createSecureStorage(namespace: string): TokenStorage {
  const key = (item: string) => `${namespace}.logto.${item}`;
  return {
    async getItem(item) {
      const value = await SecureStorage.get(key(item), false);
      return typeof value === 'string' ? value : null;
    },
    async setItem(item, value) {
      await SecureStorage.set(key(item), value, false, false, KeychainAccess.whenUnlockedThisDeviceOnly);
    },
    async removeItem(item) {
      await SecureStorage.remove(key(item));
    },
  };
}

/**
 * Web fallback: a browser has no secure store, so tokens sit in localStorage (namespaced),
 * readable by any script on the origin. Documented as not secure; a strict CSP is the defence.
 */
export function createWebFallbackStorage(namespace: string, local: Storage): TokenStorage {
  const key = (item: string) => `${namespace}:logto:${item}`;
  return {
    async getItem(item) {
      return local.getItem(key(item));
    },
    async setItem(item, value) {
      local.setItem(key(item), value);
    },
    async removeItem(item) {
      local.removeItem(key(item));
    },
  };
}

/** In-memory storage (tests; a device store that "survives" a simulated kill when the object is kept). */
export function createMemoryStorage(initial?: Record<string, string>): TokenStorage & { snapshot(): Record<string, string> } {
  const data = new Map<string, string>(Object.entries(initial ?? {}));
  return {
    async getItem(item) {
      return data.get(item) ?? null;
    },
    async setItem(item, value) {
      data.set(item, value);
    },
    async removeItem(item) {
      data.delete(item);
    },
    snapshot: () => Object.fromEntries(data),
  };
}

/**
 * The one default choice of storage, for the adapter (config.ts `resolveDeps`) and the boot
 * reader (restore.ts) alike: secure storage on devices, the namespaced localStorage fallback on web.
 */
export function defaultTokenStorage(namespace: string, platform: 'native' | 'web'): TokenStorage {
  return platform === 'native' ? createSecureStorage(namespace) : createWebFallbackStorage(namespace, globalThis.localStorage);
}
