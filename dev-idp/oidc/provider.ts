import Provider, { errors } from 'oidc-provider';
import type { Adapter, ClientMetadata, Configuration, KoaContextWithOIDC } from 'oidc-provider';
import type { UserStore } from '../accounts/user-store.ts';
import type { OriginAllowList } from '../http/cors.ts';
import { firstScreenPath } from '../sign-in/flows.ts';
import { claimsByScope, createFindAccount } from './account-claims.ts';
import type { ServerSecrets } from './keys.ts';
import type { ModelStore } from './model-store.ts';
import { oidcErrorPage, signedOutPage, signOutPage } from '../pages/oidc-pages.ts';
import type { ResourceCatalog } from './resources.ts';

/** Lifetimes in seconds. Defaults are Logto's. */
export interface Ttls {
  readonly accessToken: number;
  readonly idToken: number;
  readonly refreshToken: number;
  readonly authorizationCode: number;
  readonly session: number;
  readonly verificationCode: number;
}

export const logtoTtls: Ttls = {
  accessToken: 60 * 60,
  idToken: 60 * 60,
  refreshToken: 14 * 24 * 60 * 60,
  authorizationCode: 60,
  session: 14 * 24 * 60 * 60,
  verificationCode: 10 * 60,
};

export interface ProviderOptions {
  readonly issuer: string;
  readonly appId: string;
  readonly appName: string;
  readonly redirectUris: readonly string[];
  readonly postLogoutRedirectUris: readonly string[];
  readonly origins: OriginAllowList;
  readonly ttl: Ttls;
  readonly secrets: ServerSecrets;
  readonly store: ModelStore;
  readonly users: UserStore;
  readonly resources: ResourceCatalog;
  readonly log: (line: string) => void;
  /**
   * The tenant's registered applications (dev-idp/management): clients are looked up there on
   * every request, so a registration changed through the Management API applies at once.
   * Absent: the one static client above (appId, redirectUris).
   */
  readonly clients?: ClientRegistry;
}

export interface ClientRegistry {
  find(clientId: string): ClientMetadata | undefined;
  rotateRefreshToken(clientId: string | undefined): boolean;
}

// Logto's sign-in parameters; oidc-provider drops parameters it was not told about.
const logtoParams = ['first_screen', 'interaction_mode', 'identifier', 'direct_sign_in', 'one_time_token', 'organization_id'];

const signingAlgs = ['ES384', 'ES256', 'RS256', 'PS256', 'EdDSA'] as const;

export function createProvider(options: ProviderOptions): Provider {
  const { ttl, appName } = options;

  const registry = options.clients;
  const configuration: Configuration = {
    adapter: (name) =>
      name === 'Client'
        ? unknownClientRefused(registry ? registryAdapter(registry) : options.store.adapterFactory(name))
        : options.store.adapterFactory(name),
    clients: registry
      ? []
      : [
          {
            client_id: options.appId,
            client_name: appName,
            // Native: the custom-scheme redirect URIs need it (plus http://localhost for the web build).
            application_type: 'native',
            token_endpoint_auth_method: 'none',
            grant_types: ['authorization_code', 'refresh_token'],
            response_types: ['code'],
            redirect_uris: [...options.redirectUris],
            post_logout_redirect_uris: [...options.postLogoutRedirectUris],
            id_token_signed_response_alg: 'ES384',
          },
        ],
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      // With an ES384-only key set the library default (RS256) makes /auth fail.
      id_token_signed_response_alg: 'ES384',
    },
    enabledJWA: {
      idTokenSigningAlgValues: [...signingAlgs],
      userinfoSigningAlgValues: [...signingAlgs],
      authorizationSigningAlgValues: [...signingAlgs],
      introspectionSigningAlgValues: [...signingAlgs],
    },
    jwks: options.secrets.jwks,
    cookies: {
      keys: options.secrets.cookieKeys,
      // Path '/': the sign-in pages live outside /oidc and must see the interaction cookie.
      long: { httpOnly: true, sameSite: 'lax', path: '/' },
      short: { httpOnly: true, sameSite: 'lax', path: '/' },
    },
    claims: claimsByScope,
    scopes: ['openid', 'offline_access'],
    extraParams: logtoParams,
    // Logto's ID token carries the profile and email claims the app shows without a network call.
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    pkce: { required: () => true },
    findAccount: createFindAccount(options.users),
    interactions: {
      async url(_ctx, interaction) {
        return interaction.prompt.name === 'consent' ? '/consent' : firstScreenPath(interaction.params);
      },
    },
    features: {
      devInteractions: { enabled: false },
      revocation: {
        enabled: true,
        async allowedPolicy(_ctx, client, token) {
          return token.clientId === client.clientId;
        },
      },
      userinfo: { enabled: true },
      // M2M apps' access to the Management API (dev-idp/management).
      clientCredentials: { enabled: Boolean(registry) },
      resourceIndicators: {
        enabled: true,
        async defaultResource() {
          return undefined;
        },
        async useGrantedResource() {
          return false;
        },
        async getResourceServerInfo(ctx, indicator, client) {
          // As Logto (oidc/init.ts): the person is the session's (authorization) or the grant's
          // account (code exchange, refresh); their roles decide the permissions.
          const userId = ctx.oidc.session?.accountId ?? ctx.oidc.entities.Account?.accountId;
          return options.resources.info(indicator, client?.clientId, userId);
        },
      },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.body = signOutPage(appName, form);
        },
        async postLogoutSuccessSource(ctx) {
          ctx.body = signedOutPage(appName);
        },
      },
    },
    clientBasedCORS(_ctx, origin) {
      return options.origins.allows(origin);
    },
    async renderError(ctx, out, error) {
      if (!(error instanceof Error) || !('expose' in error) || !error.expose) {
        options.log(`[oidc] ${ctx.method} ${ctx.path} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      ctx.type = 'html';
      ctx.body = oidcErrorPage(appName, out);
    },
    // Public native clients rotate their refresh token on every use, as in Logto, unless the
    // application's customClientMetadata.rotateRefreshToken is explicitly false.
    rotateRefreshToken: registry ? (ctx) => registry.rotateRefreshToken(ctx.oidc.client?.clientId) : true,
    ttl: {
      AccessToken: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? ttl.accessToken,
      AuthorizationCode: () => ttl.authorizationCode,
      IdToken: () => ttl.idToken,
      RefreshToken: () => ttl.refreshToken,
      Session: () => ttl.session,
      Grant: () => Math.max(ttl.refreshToken, ttl.session),
      Interaction: () => 60 * 60,
      ClientCredentials: () => ttl.accessToken,
      DeviceCode: () => 10 * 60,
      BackchannelAuthenticationRequest: () => 10 * 60,
    },
  };

  const provider = new Provider(options.issuer, configuration);

  // Redirect URIs match exactly. oidc-provider lets native clients vary a loopback port
  // (RFC 8252); the app's contract is exact matching, like Logto's.
  provider.Client.prototype.redirectUriAllowed = function (this: { redirectUris: string[] }, value: string) {
    return this.redirectUris.includes(value);
  };
  provider.Client.prototype.postLogoutRedirectUriAllowed = function (this: { postLogoutRedirectUris: string[] }, value: string) {
    return this.postLogoutRedirectUris.includes(value);
  };

  provider.on('server_error', (ctx: KoaContextWithOIDC, error: Error) => {
    options.log(`[oidc] server error on ${ctx.method} ${ctx.path}: ${error.message}`);
  });

  return provider;
}

/**
 * An unknown client id is `invalid_client` with status 400, as in Logto: its Client adapter throws
 * `InvalidClient` where oidc-provider's own lookup would answer 401 ("client authentication
 * failed") for a client it did not find.
 */
function unknownClientRefused(adapter: Adapter): Adapter {
  return {
    ...adapter,
    find: async (id: string) => {
      const found = await adapter.find(id);
      // Only a client id someone sent is refused; oidc-provider also looks up no id at all.
      if (!found && typeof id === 'string' && id !== '') {
        throw new errors.InvalidClient(`invalid client ${id}`);
      }
      return found;
    },
    upsert: adapter.upsert.bind(adapter),
    findByUid: adapter.findByUid.bind(adapter),
    findByUserCode: adapter.findByUserCode.bind(adapter),
    consume: adapter.consume.bind(adapter),
    destroy: adapter.destroy.bind(adapter),
    revokeByGrantId: adapter.revokeByGrantId.bind(adapter),
  };
}

/** oidc-provider's Client model read from the tenant's registrations (read-only). */
function registryAdapter(registry: ClientRegistry): Adapter {
  const readOnly = async () => undefined;
  return {
    // As Logto's client adapter: an unknown client id is `invalid_client` with status 400
    // (oidc-provider alone answers 401 at the token endpoint, which reads as a wrong secret).
    find: async (id: string) => {
      const client = registry.find(id);
      if (!client) throw new errors.InvalidClient(`invalid client ${id}`);
      return client;
    },
    upsert: readOnly,
    findByUid: readOnly,
    findByUserCode: readOnly,
    consume: readOnly,
    destroy: readOnly,
    revokeByGrantId: readOnly,
  };
}
