import LogtoClient from '@logto/capacitor';
import { Prompt, type Requester } from '@logto/js';

import type { SignInOptions } from '../core/port';
import type { LogtoAuthConfig } from './config';
import type { TokenStorage } from './token-storage';

/** The options of the base-class `signIn({...})` in @logto/client 3.1.9 (the Capacitor override takes none). */
interface BaseSignInOptions {
  readonly redirectUri: string;
  readonly clearTokens: boolean;
  readonly firstScreen?: string;
  readonly identifiers?: readonly string[];
  readonly loginHint?: string;
  readonly directSignIn?: { readonly method: string; readonly target: string };
  readonly extraParams?: Readonly<Record<string, string>>;
  readonly interactionMode?: string;
  /** Serialised space-separated by @logto/js; absent = the SDK's default, `consent`. */
  readonly prompt?: readonly Prompt[];
}

type BaseSignIn = (this: LogtoClient, options: BaseSignInOptions) => Promise<void>;

/**
 * The real @logto/capacitor client, with the two parts we do not want disabled:
 * - its constructor loads the access-token map while the storage is still Preferences (the SDK's
 *   cold-start bug); on this subclass that load is a no-op and our token manager rehydrates the
 *   map from our storage instead;
 * - its `signIn`/`signOut` (own listeners, 150 ms grace, `clearAllTokens()`, hung promises) throw,
 *   so nothing can call them by mistake. We call the base-class `signIn` (`baseSignIn`) and own
 *   the Capacitor listeners ourselves.
 */
export class AdapterLogtoClient extends LogtoClient {
  override async signIn(): Promise<void> {
    throw new Error('Use the adapter: the Capacitor signIn is disabled.');
  }

  override async signOut(): Promise<void> {
    throw new Error('Use the adapter: the Capacitor signOut is disabled.');
  }
}

/** What the adapter installs into the SDK's platform adapter. */
export interface AdapterClientParts {
  readonly requester: Requester;
  /** Only the SDK's `signInSession` is written here: tokens go through the SessionStore. */
  readonly storage: TokenStorage;
  readonly cache: {
    getItem(key: string): Promise<string | null>;
    setItem(key: string, value: string): Promise<void>;
    removeItem(key: string): Promise<void>;
  };
  /** The SDK's `navigate` (its signIn's last step): open the system browser. */
  readonly navigate: (url: string) => Promise<void>;
}

export function createAdapterClient(
  config: Pick<LogtoAuthConfig, 'endpoint' | 'appId' | 'scopes' | 'resources'>,
  parts: AdapterClientParts,
): AdapterLogtoClient {
  const client = new AdapterLogtoClient({
    endpoint: config.endpoint,
    appId: config.appId,
    scopes: [...(config.scopes ?? [])],
    resources: [...(config.resources ?? [])],
  });
  client.adapter.requester = parts.requester;
  client.adapter.storage = parts.storage;
  client.adapter.unstable_cache = parts.cache;
  client.adapter.navigate = (url) => parts.navigate(url);
  return client;
}

// `loadAccessTokenMap` is private in the typings, so it is shadowed on our prototype only.
(AdapterLogtoClient.prototype as unknown as { loadAccessTokenMap: () => Promise<void> }).loadAccessTokenMap = async () => undefined;

/**
 * The base-class `signIn` (@logto/browser → @logto/client), reached past the Capacitor override:
 * discovery, PKCE + state, writes `signInSession`, then `adapter.navigate(url)`. With
 * `clearTokens: false` the current session survives until a new one lands.
 */
const baseSignIn = Object.getPrototypeOf(LogtoClient.prototype).signIn as BaseSignIn;

export function startBaseSignIn(client: LogtoClient, redirectUri: string, options: SignInOptions): Promise<void> {
  return baseSignIn.call(client, {
    redirectUri,
    clearTokens: false,
    firstScreen: options.firstScreen,
    identifiers: options.identifiers,
    loginHint: options.loginHint,
    directSignIn: options.directSignIn,
    extraParams: options.extraParams,
    interactionMode: options.interactionMode,
    // `consent` stays: oidc-provider (and Logto) drop `offline_access` without it, i.e. no refresh token.
    prompt: options.prompt === 'login' ? [Prompt.Login, Prompt.Consent] : undefined,
  });
}

/**
 * The SDK's discovery cache (`adapter.unstable_cache`), in memory: sign-out reads the real
 * endpoints from it without a request, and falls back to Logto's fixed paths before discovery
 * ever ran (a sign-out right after a relaunch).
 */
export class DiscoveryCache {
  readonly #items = new Map<string, string>();
  readonly #endpoint: string;

  constructor(endpoint: string) {
    this.#endpoint = endpoint.replace(/\/+$/, '');
  }

  /** What the SDK installs as `unstable_cache`. */
  readonly sdkCache = {
    getItem: async (key: string) => this.#items.get(key) ?? null,
    setItem: async (key: string, value: string) => void this.#items.set(key, value),
    removeItem: async (key: string) => void this.#items.delete(key),
  };

  endpoint(name: 'revocationEndpoint' | 'endSessionEndpoint'): string {
    try {
      const cached = JSON.parse(this.#items.get('openidConfiguration') ?? '{}') as Record<string, unknown>;
      const value = cached[name];
      if (typeof value === 'string') return value;
    } catch {
      // Fall through to the fixed path.
    }
    return name === 'revocationEndpoint' ? `${this.#endpoint}/oidc/token/revocation` : `${this.#endpoint}/oidc/session/end`;
  }
}
