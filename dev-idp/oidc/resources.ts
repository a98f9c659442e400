import { errors } from 'oidc-provider';
import type { ResourceServer } from 'oidc-provider';

/** Logto's built-in organizations resource: known, so asking for organizations does not fail sign-in. */
export const organizationsResource = 'urn:logto:resource:organizations';
export const organizationsScopes = 'urn:logto:scope:organizations urn:logto:scope:organization_roles';

/**
 * Permissions of the sample API resources. Every one accepts `read:books` (the app's configured
 * scope), so a token for any of them carries it when the app asks; each also has its own.
 */
const sampleScopes: Record<string, string> = {
  'https://api.bookstore.local': 'read:books write:books',
  'https://api.reviews.local': 'read:books read:reviews write:reviews',
  'https://api.billing.local': 'read:books read:billing',
};

export interface ResourceCatalog {
  has(indicator: string): boolean;
  /**
   * oidc-provider's `getResourceServerInfo`: unknown indicators fail with `invalid_target`, as in Logto.
   * `clientId`: the client asking (the Management API gives its scope only to M2M apps with the role).
   */
  info(indicator: string, clientId?: string): ResourceServer;
}

export function createResourceCatalog(resources: readonly string[], accessTokenTtl: () => number): ResourceCatalog {
  const scopes = new Map<string, string>(resources.map((resource) => [resource, sampleScopes[resource] ?? 'read:books']));
  scopes.set(organizationsResource, organizationsScopes);
  return {
    has: (indicator) => scopes.has(indicator),
    info(indicator) {
      const scope = scopes.get(indicator);
      if (scope === undefined) {
        throw new errors.InvalidTarget();
      }
      return {
        scope,
        audience: indicator,
        accessTokenTTL: accessTokenTtl(),
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'ES384' } },
      };
    },
  };
}
