import { Preferences } from '@capacitor/preferences';

import { consoleAuthLogger, type AuthLogger } from './auth-log';
import type { LogtoAuthConfig } from './config';
import type { LegacyPreferences } from './legacy-migration';
import { createSecureStorage, createWebFallbackStorage, type SessionStorage } from './session-storage';
import type { PageEventTarget } from './system-browser';

/** What tests (and the platform wiring) may swap. */
export interface LogtoAuthDeps {
  /** Secure storage on devices, the namespaced localStorage fallback on web, a fake in tests. */
  readonly storage: SessionStorage;
  /** Where an older install left its tokens (Preferences); null skips the migration. */
  readonly legacyPreferences: LegacyPreferences | null;
  readonly fetch: typeof fetch;
  /** Web: the page location (the callback is read from `href`, sign-in navigates with `assign`). */
  readonly location: { readonly href: string; assign(url: string): void };
  /** Web: the window, for `pageshow` from the back-forward cache. */
  readonly pageEvents: PageEventTarget | null;
  readonly log: AuthLogger;
  readonly now: () => number;
}

/** The platform's defaults for whatever the caller did not pass. */
export function resolveDeps(config: LogtoAuthConfig, deps: Partial<LogtoAuthDeps>): LogtoAuthDeps {
  const web = config.platform === 'web';
  return {
    storage:
      deps.storage ??
      (web ? createWebFallbackStorage(config.storageNamespace, globalThis.localStorage) : createSecureStorage(config.storageNamespace)),
    legacyPreferences: deps.legacyPreferences === undefined ? Preferences : deps.legacyPreferences,
    fetch: deps.fetch ?? globalThis.fetch.bind(globalThis),
    location: deps.location ?? globalThis.location,
    pageEvents: deps.pageEvents === undefined ? (web && typeof window !== 'undefined' ? window : null) : deps.pageEvents,
    log: deps.log ?? consoleAuthLogger,
    now: deps.now ?? Date.now,
  };
}
