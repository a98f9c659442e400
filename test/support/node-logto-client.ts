import { createHash, randomBytes } from 'node:crypto';
import LogtoClient, { createRequester, type LogtoConfig } from '@logto/client';

/**
 * The real `@logto/client` with a small Node adapter, standing in for the app's SDK in
 * dev-idp's own tests: storage in a Map, fetch as requester, and navigation handed to the
 * test (which gives the URL to HttpBrowser).
 */
export function createNodeLogtoClient(
  config: LogtoConfig,
  navigate: (url: string, purpose: 'sign-in' | 'sign-out' | 'post-sign-in') => void | Promise<void>,
): { client: LogtoClient; storage: Map<string, string> } {
  const storage = new Map<string, string>();
  const client = new LogtoClient(config, {
    requester: createRequester(fetch),
    storage: {
      getItem: async (key) => storage.get(key) ?? null,
      setItem: async (key, value) => {
        storage.set(key, value);
      },
      removeItem: async (key) => {
        storage.delete(key);
      },
    },
    navigate: (url, parameters) => navigate(url, parameters.for),
    generateState: () => randomBytes(32).toString('base64url'),
    generateCodeVerifier: () => randomBytes(32).toString('base64url'),
    generateCodeChallenge: async (verifier) => createHash('sha256').update(verifier).digest('base64url'),
  });
  return { client, storage };
}
