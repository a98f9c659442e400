import { errors } from 'oidc-provider';
import type { ResourceServer } from 'oidc-provider';

/** Logto's built-in organizations resource: known, so asking for organizations does not fail sign-in. */
export const organizationsResource = 'urn:logto:resource:organizations';
export const organizationsScopes = 'urn:logto:scope:organizations urn:logto:scope:organization_roles';

export interface ResourceCatalog {
  has(indicator: string): boolean;
  /**
   * oidc-provider's `getResourceServerInfo`: unknown indicators fail with `invalid_target`, as in Logto.
   * `clientId`: the client asking (the Management API gives its scope only to M2M apps with the role).
   * `userId`: the person the token is for; as in Logto, a resource's permissions reach a person's
   * token only through their roles (dev-idp/management/tenant-oidc.ts).
   */
  info(indicator: string, clientId?: string, userId?: string): ResourceServer;
}

/**
 * The sample API resources of identity.config.json as valid targets, granting nothing by
 * themselves: the permissions a token carries come from the user's roles in the local tenant
 * (its API resources, scopes and roles; dev-idp/management). Asking for a resource the tenant
 * does not have yet (a new tenant before `npm run logto:setup`) gives a token without scopes
 * rather than failing sign-in.
 */
export function createResourceCatalog(resources: readonly string[], accessTokenTtl: () => number): ResourceCatalog {
  const scopes = new Map<string, string>(resources.map((resource) => [resource, '']));
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
