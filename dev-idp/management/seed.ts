/**
 * The local tenant on a first start: seeded from the desired state in the repo (tenant/tenant.json
 * + identity.config.json), so plain `npm start` behaves as it always did; or a brand-new
 * tenant (what a fresh Logto Cloud tenant holds), for proving `npm run logto:setup` end to end.
 * Either way one M2M app with the Management API role exists: on a real tenant a person creates
 * it in the Console (docs/configuration.md, "Use your own Logto").
 */
import { loadDesiredTenant, type DesiredRole } from '../../scripts/logto-setup/desired-state.ts';
import {
  generateId,
  newTenantSignInExperience,
  type TenantApplication,
  type TenantResource,
  type TenantRole,
  type TenantStateFile,
} from './tenant-state.ts';

export interface M2mAppSeed {
  readonly id: string;
  readonly secret: string;
  /** false = an M2M app someone forgot to give the Management API role (tests the 403 path). */
  readonly managementApiAccess: boolean;
}

export interface TenantSeed {
  /** 'desired' (default): the repo's desired state; 'empty': a new tenant. */
  readonly kind: 'desired' | 'empty';
  readonly appId: string;
  /** Default: derived from identity.config.json, as `npm run logto:setup` registers them. */
  readonly redirectUris?: readonly string[] | undefined;
  readonly postLogoutRedirectUris?: readonly string[] | undefined;
  readonly m2mApps: readonly M2mAppSeed[];
  /** The connector config with the access key pair (validated); absent = no connector: the dev mailbox delivers. */
  readonly connectorConfig?: Record<string, unknown> | undefined;
}

const accessTokenTtl = 3600;

export function seedTenant(seed: TenantSeed): TenantStateFile {
  const now = Date.now();
  const m2mApps: TenantApplication[] = seed.m2mApps.map((app) => ({
    id: app.id,
    name: 'logto:setup (local M2M app)',
    description: 'Machine-to-machine app for npm run logto:setup against the local identity server',
    type: 'MachineToMachine',
    secret: app.secret,
    oidcClientMetadata: { redirectUris: [], postLogoutRedirectUris: [] },
    customClientMetadata: {},
    managementApiAccess: app.managementApiAccess,
    createdAt: now,
  }));
  if (seed.kind === 'empty') {
    return {
      version: 1,
      applications: m2mApps,
      resources: [],
      roles: [],
      usersRoles: [],
      connectors: [],
      signInExperience: newTenantSignInExperience(),
    };
  }
  const desired = loadDesiredTenant();
  const native: TenantApplication = {
    id: seed.appId,
    name: desired.application.name,
    description: desired.application.description,
    type: 'Native',
    oidcClientMetadata: {
      redirectUris: [...(seed.redirectUris ?? desired.application.redirectUris)],
      postLogoutRedirectUris: [...(seed.postLogoutRedirectUris ?? desired.application.postLogoutRedirectUris)],
    },
    customClientMetadata: {
      corsAllowedOrigins: [...desired.application.corsAllowedOrigins],
      rotateRefreshToken: desired.application.rotateRefreshToken,
    },
    createdAt: now,
  };
  const resources = desired.resources.map((resource) => {
    const id = generateId(12);
    return {
      id,
      name: resource.name,
      indicator: resource.indicator,
      accessTokenTtl,
      scopes: resource.scopes.map((scope) => ({ id: generateId(12), resourceId: id, ...scope, createdAt: now })),
    };
  });
  return {
    version: 1,
    applications: [native, ...m2mApps],
    resources,
    // The user role of tenant/tenant.json, default: everyone who signs up gets read:books, as
    // on a tenant `npm run logto:setup` prepared.
    roles: [desiredRole(desired.userRole, resources, now)],
    usersRoles: [],
    connectors: seed.connectorConfig
      ? [{ id: generateId(12), connectorId: desired.emailConnector.connectorId, config: seed.connectorConfig, createdAt: now }]
      : [],
    signInExperience: {
      signInMode: desired.signInExperience.signInMode,
      signUp: { ...desired.signInExperience.signUp, identifiers: [...desired.signInExperience.signUp.identifiers] },
      signIn: { methods: desired.signInExperience.signIn.methods.map((method) => ({ ...method })) },
      forgotPasswordMethods: [...desired.signInExperience.forgotPasswordMethods],
      languageInfo: { ...desired.signInExperience.languageInfo },
      ...(desired.signInExperience.color ? { color: { ...desired.signInExperience.color } } : {}),
      branding: { ...desired.signInExperience.branding },
    },
  };
}

/** The desired user role over the tenant's resources: the permissions it grants that exist there. */
export function desiredRole(role: DesiredRole, resources: readonly TenantResource[], now = Date.now()): TenantRole {
  return {
    id: generateId(),
    name: role.name,
    description: role.description,
    type: 'User',
    isDefault: role.isDefault,
    scopeIds: role.permissions.flatMap((permission) => {
      const resource = resources.find((candidate) => candidate.indicator === permission.resourceIndicator);
      const scope = resource?.scopes.find((candidate) => candidate.name === permission.scope);
      return scope ? [scope.id] : [];
    }),
    createdAt: now,
  };
}
