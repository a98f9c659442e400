/**
 * Wires the local tenant into the identity server: its registrations become oidc-provider's
 * clients, its API resources resource servers, its email connector the mailer, its sign-in
 * experience the gate of the sign-in pages, and /api the Management API that changes them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import type Provider from 'oidc-provider';

import { loadDesiredTenant } from '../../scripts/logto-setup/desired-state.ts';
import { aliyunDmEnvironment, validateAliyunDmConfig } from '../mail/aliyun-config.ts';
import type { MailTransport } from '../mail/types.ts';
import type { ClientRegistry } from '../oidc/provider.ts';
import type { ResourceCatalog } from '../oidc/resources.ts';
import type { JsonFile } from '../persistence/json-file.ts';
import { createManagementRoutes } from './management-routes.ts';
import { desiredRole, seedTenant, type TenantSeed } from './seed.ts';
import { gateSignInPage } from './sign-in-gate.ts';
import { tenantMailTransport } from './tenant-mail.ts';
import { managementResource, tenantClients, tenantResourceCatalog } from './tenant-oidc.ts';
import { TenantState, type TenantStateFile } from './tenant-state.ts';

export interface LocalTenantOptions {
  readonly file: JsonFile<TenantStateFile> | undefined;
  readonly seed: Omit<TenantSeed, 'connectorConfig'>;
  /** The access key pair the seeded connector gets; absent = no connector (the dev mailbox delivers). */
  readonly connectorSecrets?: { readonly accessKeyId: string; readonly accessKeySecret: string } | undefined;
  readonly connectorEndpoint?: string | undefined;
  readonly baseCatalog: ResourceCatalog;
  readonly accessTokenTtl: () => number;
  readonly fallbackMail: MailTransport;
  readonly appName: string;
  readonly log: (line: string) => void;
  /**
   * The users the server already has (its users.json). When the tenant is seeded, or was saved
   * before the local server knew roles, they get the default roles: otherwise everyone who used
   * the server before would lose read:books without a word.
   */
  readonly users: {
    all(): readonly { readonly id: string; readonly primaryEmail: string; readonly createdAt: number }[];
    onCreate(listener: (user: { readonly id: string }) => void): void;
  };
}

export interface ManagementRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

export interface LocalTenant {
  readonly state: TenantState;
  readonly clients: ClientRegistry;
  readonly resources: ResourceCatalog;
  readonly mail: MailTransport;
  readonly requests: readonly ManagementRequest[];
  /** The first M2M app holding the Management API role: what `npm run logto:setup` signs in as. */
  readonly m2mApp: { readonly id: string; readonly secret: string } | undefined;
  readonly managementResource: string;
  /** Management API routes and the sign-in page gate; true when the request was answered. */
  mount(provider: Provider): (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;
}

export async function createLocalTenant(options: LocalTenantOptions): Promise<LocalTenant> {
  const saved = options.file?.read();
  const connectorConfig = saved || !options.connectorSecrets ? undefined : await seededConnectorConfig(options.connectorSecrets);
  const state = new TenantState(options.file, () => seedTenant({ ...options.seed, connectorConfig }));
  const withoutRoles = !saved || saved.version !== 1 || saved.roles === undefined;
  if (saved?.version === 1 && saved.roles === undefined) {
    // Saved before the local server knew roles: add the repo's user role over what the tenant has.
    const role = desiredRole(loadDesiredTenant().userRole, state.resources);
    state.update((tenant) => {
      tenant.roles = role.scopeIds.length > 0 ? [role] : [];
      tenant.usersRoles = [];
    });
  }
  if (withoutRoles) {
    const userIds = options.users.all().map((user) => user.id);
    const defaults = state.roles.filter((role) => role.type === 'User' && role.isDefault);
    if (userIds.length > 0 && defaults.length > 0) {
      state.assignRoles(
        userIds,
        defaults.map((role) => role.id),
      );
      options.log(
        `[tenant] gave the default role${defaults.length > 1 ? 's' : ''} ${defaults.map((role) => `"${role.name}"`).join(', ')} to the ${userIds.length} existing user${userIds.length > 1 ? 's' : ''} (permissions now come from roles, as in Logto)`,
      );
    }
  }
  // As Logto: every new user gets the default roles.
  options.users.onCreate((user) => state.assignDefaultRoles(user.id));
  // A saved tenant wins over the seed: say so when the app id the server announces is not in it.
  if (options.seed.kind === 'desired' && !state.application(options.seed.appId)) {
    const natives = state.applications.filter((app) => app.type === 'Native').map((app) => `${app.id} ("${app.name}")`);
    options.log(
      `[tenant] app id ${options.seed.appId} is not registered in this tenant; its Native apps: ${natives.join(', ') || 'none'} (LOGTO_APP_ID picks one; delete the data directory to reseed)`,
    );
  }
  const requests: ManagementRequest[] = [];
  return {
    state,
    clients: tenantClients(state),
    resources: tenantResourceCatalog(options.baseCatalog, state, options.accessTokenTtl),
    mail: tenantMailTransport(state, options.fallbackMail, { endpoint: options.connectorEndpoint, log: options.log }),
    requests,
    get m2mApp() {
      const app = state.applications.find((candidate) => candidate.type === 'MachineToMachine' && candidate.managementApiAccess);
      return app?.secret ? { id: app.id, secret: app.secret } : undefined;
    },
    managementResource,
    mount(provider) {
      const management = createManagementRoutes({
        tenant: state,
        provider,
        connectorEndpoint: options.connectorEndpoint,
        users: options.users,
        log: options.log,
        record: (entry) => requests.push(entry),
      });
      return async (req, res, url) => (await management(req, res, url)) || gateSignInPage(state, options.appName, req, res, url);
    },
  };
}

async function seededConnectorConfig(secrets: { accessKeyId: string; accessKeySecret: string }): Promise<Record<string, unknown>> {
  const desired = loadDesiredTenant();
  const config = await validateAliyunDmConfig(desired.emailConnector.config, {
    env: { [aliyunDmEnvironment.accessKeyId]: secrets.accessKeyId, [aliyunDmEnvironment.accessKeySecret]: secrets.accessKeySecret },
    source: desired.emailConnector.configFile,
  });
  return { ...config };
}
