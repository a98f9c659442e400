import { Preferences } from '@capacitor/preferences';

import { consoleAuthLogger, type AuthLogger } from './error-mapping';
import type { LegacyPreferences } from './restore';
import type { PageEventTarget } from './system-browser';
import { defaultWebSessionSharing, type SessionSharing } from './session-sharing';
import { defaultTokenStorage, type TokenStorage } from './token-storage';

/**
 * What the adapter is given: the configuration (endpoint, app, redirect URIs, timers) and the
 * platform's parts (`LogtoAuthDeps`, like the SDK's own `ClientAdapter`: storage, fetch, the page).
 */

/** Configuration of the Logto adapter (one platform, exact redirect URIs). */
export interface LogtoAuthConfig {
  /** Logto endpoint without `/oidc`, e.g. `http://localhost:3001` or `https://xyz.logto.app`. */
  readonly endpoint: string;
  readonly appId: string;
  readonly platform: 'native' | 'web';
  /** Sign-in redirect URI of this platform; matched exactly (scheme, host, port, path). */
  readonly redirectUri: string;
  /** Sign-out redirect URI of this platform; when set, sign-out opens the end-session page. */
  readonly postSignOutRedirectUri?: string;
  readonly scopes?: readonly string[];
  readonly resources?: readonly string[];
  /** The app id (bundle id): every storage key is namespaced with it. */
  readonly storageNamespace: string;
  readonly timers?: Partial<LogtoAuthTimers>;
}

/** Timers of the adapter and token layer, in ms. */
export interface LogtoAuthTimers {
  /**
   * Bound of one single request to the identity server (discovery, JWKS, user info) and of
   * opening the end-session page. Not of token grants (`refreshRequestTimeout`).
   */
  readonly requestTimeout: number;
  /**
   * How long a caller of `getAccessToken` waits for a refresh before it gets a timeout. The grant
   * itself goes on (bounded by `refreshRequestTimeout`) and its answer serves the next caller.
   */
  readonly tokenWaitTimeout: number;
  /**
   * The network's own bound on a token grant (refresh, code exchange): their answers are never
   * abandoned early, because with refresh-token rotation a processed request whose answer we
   * dropped spends the session. 60 s is iOS URLSession's default request timeout.
   */
  readonly refreshRequestTimeout: number;
  /** Bound of the best-effort refresh-token revocation at sign-out. */
  readonly revocationTimeout: number;
  /** A pending sign-in older than this is stale: its callback is refused, restore forgets it. */
  readonly pendingSignInMaxAge: number;
  /** Access tokens are refreshed this long before they expire (AppAuth uses 60 s). */
  readonly refreshMargin: number;
  /** On app resume, cached access tokens expiring within this window are refreshed ahead. */
  readonly resumeRefreshWindow: number;
  /** Bound of the best-effort `Browser.close()`. */
  readonly browserCloseTimeout: number;
}

export const DEFAULT_LOGTO_TIMERS: LogtoAuthTimers = {
  requestTimeout: 15_000,
  tokenWaitTimeout: 15_000,
  refreshRequestTimeout: 60_000,
  revocationTimeout: 5_000,
  // Authorization codes and the identity page live 10 minutes; 15 leaves room for a slow person.
  pendingSignInMaxAge: 15 * 60_000,
  refreshMargin: 60_000,
  resumeRefreshWindow: 5 * 60_000,
  browserCloseTimeout: 2_000,
};

export function resolveTimers(timers: Partial<LogtoAuthTimers> | undefined): LogtoAuthTimers {
  return { ...DEFAULT_LOGTO_TIMERS, ...timers };
}

/** The organizations scope; organization tokens need it (Logto's `UserScope.Organizations`). */
export const ORGANIZATIONS_SCOPE = 'urn:logto:scope:organizations';

/** What a platform supplies to the adapter; tests swap any of it. */
export interface LogtoAuthDeps {
  /** Secure storage on devices, the namespaced localStorage fallback on web, a fake in tests. */
  readonly storage: TokenStorage;
  /** Where an older install left its tokens (Preferences); null skips the migration. */
  readonly legacyPreferences: LegacyPreferences | null;
  readonly fetch: typeof fetch;
  /** Web: the page location (the callback is read from `href`, sign-in navigates with `assign`). */
  readonly location: { readonly href: string; assign(url: string): void };
  /** Web: the window, for `pageshow` from the back-forward cache. */
  readonly pageEvents: PageEventTarget | null;
  readonly log: AuthLogger;
  readonly now: () => number;
  /**
   * Other instances sharing `storage` (web: the other tabs of the browser profile): the renewal
   * lock and their news. Null: this instance is alone (native: one WebView).
   */
  readonly sessionSharing: SessionSharing | null;
}

/** The platform's defaults for whatever the caller did not pass. */
export function resolveDeps(config: LogtoAuthConfig, deps: Partial<LogtoAuthDeps>): LogtoAuthDeps {
  const web = config.platform === 'web';
  return {
    storage: deps.storage ?? defaultTokenStorage(config.storageNamespace, config.platform),
    legacyPreferences: deps.legacyPreferences === undefined ? Preferences : deps.legacyPreferences,
    fetch: deps.fetch ?? globalThis.fetch.bind(globalThis),
    location: deps.location ?? globalThis.location,
    pageEvents: deps.pageEvents === undefined ? (web && typeof window !== 'undefined' ? window : null) : deps.pageEvents,
    log: deps.log ?? consoleAuthLogger,
    now: deps.now ?? Date.now,
    // Only over the default web storage (localStorage): the tabs share that, and its events.
    sessionSharing:
      deps.sessionSharing !== undefined
        ? deps.sessionSharing
        : web && !deps.storage
          ? defaultWebSessionSharing(config.storageNamespace, deps.log ?? consoleAuthLogger)
          : null,
  };
}
