/** Shared set-up for the adapter's tests: the real SDK + adapter + simulated native shell + a fake token endpoint. */
import { Preferences } from '@capacitor/preferences';

import type { PlatformEvent } from '../../src/app/auth/core/port.ts';
import {
  createLogtoAuth,
  createMemoryStorage,
  type LogtoAuth,
  type LogtoAuthConfig,
  type LogtoAuthDeps,
} from '../../src/app/auth/logto/index.ts';
import { nativeShell } from '../native-shell/shell.ts';
import { RESOURCES, SIGN_IN_URI, SIGN_OUT_URI } from '../support/constants.ts';
import { FakeIdp } from '../support/fake-idp.ts';

export function nativeConfig(idp: { endpoint: string; appId: string }, overrides: Partial<LogtoAuthConfig> = {}): LogtoAuthConfig {
  return {
    endpoint: idp.endpoint,
    appId: idp.appId,
    platform: 'native',
    redirectUri: SIGN_IN_URI,
    postSignOutRedirectUri: SIGN_OUT_URI,
    scopes: ['email', 'read:books'],
    resources: RESOURCES,
    storageNamespace: 'com.example.app',
    ...overrides,
  };
}

export type Storage = ReturnType<typeof createMemoryStorage>;

export interface Harness {
  readonly idp: FakeIdp;
  readonly storage: Storage;
  auth: LogtoAuth;
  readonly events: PlatformEvent[];
  readonly logs: string[];
  /** A new process with the same device storage (after nativeShell.kill()). */
  relaunchApp(): LogtoAuth;
}

export async function createHarness(
  options: { config?: Partial<LogtoAuthConfig>; deps?: Partial<LogtoAuthDeps>; storage?: Storage; idp?: FakeIdp } = {},
): Promise<Harness> {
  const idp = options.idp ?? (await FakeIdp.start());
  const storage = options.storage ?? createMemoryStorage();
  const events: PlatformEvent[] = [];
  const logs: string[] = [];
  const make = () => {
    const auth = createLogtoAuth(nativeConfig(idp, options.config), {
      storage,
      fetch: idp.fetch,
      legacyPreferences: Preferences,
      log: (level, message) => logs.push(`${level}: ${message}`),
      ...options.deps,
    });
    auth.port.subscribe((event) => events.push(event));
    return auth;
  };
  const harness: Harness = {
    idp,
    storage,
    auth: make(),
    events,
    logs,
    relaunchApp() {
      harness.auth = make();
      return harness.auth;
    },
  };
  return harness;
}

export async function waitFor<T>(probe: () => T | undefined | null | false, timeoutMs = 3000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error('waitFor: timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export function eventsOf<T extends PlatformEvent['type']>(events: PlatformEvent[], type: T): Extract<PlatformEvent, { type: T }>[] {
  return events.filter((event): event is Extract<PlatformEvent, { type: T }> => event.type === type);
}

export async function nextCallback(events: PlatformEvent[], index = 0, timeoutMs = 3000): Promise<string> {
  const event = await waitFor(() => eventsOf(events, 'CALLBACK_RECEIVED')[index], timeoutMs);
  return event.callback;
}

/**
 * Sign in through the whole native flow (android-url-first) and return the claims. Does what the
 * machine does on a callback: closes the browser (the machine is its only closer), then exchanges.
 */
export async function signIn(h: Harness) {
  nativeShell.use('android-url-first');
  nativeShell.person = h.idp.person();
  const before = eventsOf(h.events, 'CALLBACK_RECEIVED').length;
  await h.auth.port.startSignIn({});
  const ref = await nextCallback(h.events, before);
  await h.auth.port.closeBrowser();
  return h.auth.port.completeSignIn(ref);
}

export { nativeShell };
