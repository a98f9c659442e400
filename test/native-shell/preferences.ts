/** Stand-in for `@capacitor/preferences` (same API shape as PreferencesPlugin 8.0.1): in memory, survives a simulated kill. */
import type { PreferencesPlugin } from '@capacitor/preferences';

import { nativeShell } from './shell.ts';

const store = () => nativeShell.preferences;

export const Preferences = {
  configure: async () => undefined,
  get: async ({ key }: { key: string }) => ({ value: store().get(key) ?? null }),
  set: async ({ key, value }: { key: string; value: string }) => void store().set(key, value),
  remove: async ({ key }: { key: string }) => void store().delete(key),
  clear: async () => store().clear(),
  keys: async () => ({ keys: [...store().keys()] }),
  migrate: async () => ({ migrated: [], existing: [] }),
  removeOld: async () => undefined,
} satisfies PreferencesPlugin;
