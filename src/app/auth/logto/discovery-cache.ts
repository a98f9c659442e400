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
