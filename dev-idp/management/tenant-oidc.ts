/**
 * What the tenant's registrations mean to oidc-provider: each Native app is a public client with
 * exactly its redirect URIs, each M2M app a confidential client for the client-credentials grant;
 * the tenant's API resources and the Management API are resource servers; an app's
 * `customClientMetadata.rotateRefreshToken` decides rotation, as in Logto.
 */
import { getManagementApiResourceIndicator, defaultTenantId } from '@logto/schemas';
import type { ClientMetadata, ResourceServer } from 'oidc-provider';

import type { ResourceCatalog } from '../oidc/resources.ts';
import type { TenantApplication, TenantState } from './tenant-state.ts';

/** A self-hosted Logto's Management API indicator (`https://default.logto.app/api`). */
export const managementResource = getManagementApiResourceIndicator(defaultTenantId);
export const managementScope = 'all';

export function clientMetadata(app: TenantApplication): ClientMetadata | undefined {
  if (app.type === 'MachineToMachine') {
    return {
      client_id: app.id,
      client_secret: app.secret,
      client_name: app.name,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      // @logto/api's ClientCredentials posts the secret in the form.
      token_endpoint_auth_method: 'client_secret_post',
    };
  }
  if (app.type !== 'Native') return undefined; // the local server runs Native and M2M apps only
  return {
    client_id: app.id,
    client_name: app.name,
    // Native: the custom-scheme redirect URIs need it (plus http://localhost for the web build).
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: app.oidcClientMetadata.redirectUris.map(String),
    post_logout_redirect_uris: app.oidcClientMetadata.postLogoutRedirectUris.map(String),
    id_token_signed_response_alg: 'ES384',
  };
}

/** The tenant as provider.ts's `clients` option: registrations and per-app rotation. */
export function tenantClients(tenant: TenantState) {
  return {
    find(id: string): ClientMetadata | undefined {
      const app = tenant.application(id);
      return app ? clientMetadata(app) : undefined;
    },
    /** Logto rotates unless `rotateRefreshToken` is explicitly false. */
    rotateRefreshToken(clientId: string | undefined): boolean {
      const app = clientId === undefined ? undefined : tenant.application(clientId);
      return app?.customClientMetadata['rotateRefreshToken'] !== false;
    },
  };
}

/**
 * The base catalog (the sample APIs, valid targets granting nothing), plus the tenant's API
 * resources, plus the Management API: scope `all` only for an M2M app holding the Management API
 * role; any other client gets a token without it, which the Management API answers with 403, as
 * Logto does. A person's token for a tenant resource carries the permissions their roles grant
 * (Logto's `findResourceScopes`), nothing else; a client-credentials token for one carries none
 * (the local M2M apps hold no roles for them).
 */
export function tenantResourceCatalog(base: ResourceCatalog, tenant: TenantState, accessTokenTtl: () => number): ResourceCatalog {
  const fromTenant = (indicator: string) => tenant.resources.find((resource) => resource.indicator === indicator);
  return {
    has: (indicator) => indicator === managementResource || base.has(indicator) || Boolean(fromTenant(indicator)),
    info(indicator, clientId?: string, userId?: string): ResourceServer {
      if (indicator === managementResource) {
        const app = clientId === undefined ? undefined : tenant.application(clientId);
        return {
          scope: app?.type === 'MachineToMachine' && app.managementApiAccess ? managementScope : '',
          audience: managementResource,
          accessTokenTTL: accessTokenTtl(),
          // Opaque: the Management API looks it up in the provider's store.
          accessTokenFormat: 'opaque',
        };
      }
      const resource = fromTenant(indicator);
      if (!resource) return base.info(indicator, clientId, userId);
      return {
        scope: userId === undefined ? '' : tenant.userScopes(userId, indicator).join(' '),
        audience: indicator,
        // The sample resources keep the server's configured lifetime (tests shorten it).
        accessTokenTTL: base.has(indicator) ? (base.info(indicator).accessTokenTTL ?? resource.accessTokenTtl) : resource.accessTokenTtl,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'ES384' } },
      };
    },
  };
}
