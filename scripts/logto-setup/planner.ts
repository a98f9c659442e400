/**
 * Desired vs current tenant → the Management API writes that make them equal. Pure: no I/O, so
 * idempotence and the email-connector replacement rule are unit-tested on their own.
 * Summaries name fields, never values of the connector config (it holds the access key pair).
 */
import type { DesiredApplication, DesiredResource, DesiredRole, DesiredSignInExperience, DesiredTenant } from './desired-state.ts';

export interface CurrentApplication {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly description?: string | null;
  readonly oidcClientMetadata: { readonly redirectUris: readonly unknown[]; readonly postLogoutRedirectUris: readonly unknown[] };
  readonly customClientMetadata: Readonly<Record<string, unknown>>;
}

export interface CurrentResource {
  readonly id: string;
  readonly name: string;
  readonly indicator: string;
  readonly scopes: readonly { readonly id: string; readonly name: string; readonly description?: string | null }[];
}

/** A permission (Logto: a scope of an API resource), named by its resource's indicator. */
export interface Permission {
  readonly resourceIndicator: string;
  readonly scope: string;
}

export interface CurrentRole {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** `User` or `MachineToMachine` */
  readonly type: string;
  readonly isDefault: boolean;
  readonly scopes: readonly { readonly id: string; readonly name: string; readonly resourceIndicator: string }[];
}

export interface CurrentConnector {
  readonly id: string;
  /** The factory id, e.g. `aliyun-direct-mail`. */
  readonly connectorId: string;
  readonly type: string;
  readonly config: Readonly<Record<string, unknown>>;
}

export interface CurrentSignInExperience {
  readonly signInMode?: string;
  readonly signUp?: { readonly identifiers?: readonly string[]; readonly password?: boolean; readonly verify?: boolean };
  readonly signIn?: { readonly methods?: readonly Readonly<Record<string, unknown>>[] };
  readonly forgotPasswordMethods?: readonly string[] | null;
  readonly languageInfo?: Readonly<Record<string, unknown>>;
  readonly color?: Readonly<Record<string, unknown>>;
  readonly branding?: Readonly<Record<string, unknown>> | null;
}

export interface CurrentTenant {
  readonly applications: readonly CurrentApplication[];
  readonly resources: readonly CurrentResource[];
  /** Roles named like the desired user role (names are unique in a tenant). */
  readonly roles: readonly CurrentRole[];
  readonly connectors: readonly CurrentConnector[];
  readonly signInExperience: CurrentSignInExperience;
}

export interface ApplicationBody {
  readonly name: string;
  readonly description: string;
  readonly type: 'Native';
  readonly oidcClientMetadata: { readonly redirectUris: string[]; readonly postLogoutRedirectUris: string[] };
  readonly customClientMetadata: Record<string, unknown>;
}

export type Operation =
  | { readonly kind: 'create-application'; readonly summary: string; readonly body: ApplicationBody }
  | { readonly kind: 'update-application'; readonly summary: string; readonly id: string; readonly body: Partial<ApplicationBody> }
  | { readonly kind: 'create-resource'; readonly summary: string; readonly body: { readonly name: string; readonly indicator: string } }
  | {
      readonly kind: 'create-scope';
      readonly summary: string;
      /** The resource is found by indicator when the scope is added, so it may be created in the same run. */
      readonly resourceIndicator: string;
      readonly body: { readonly name: string; readonly description: string };
    }
  | {
      readonly kind: 'create-role';
      readonly summary: string;
      readonly body: { readonly name: string; readonly description: string; readonly type: 'User'; readonly isDefault: boolean };
      /** Resolved to scope ids when the role is created: the permissions may be created in the same run. */
      readonly permissions: readonly Permission[];
    }
  | {
      readonly kind: 'update-role';
      readonly summary: string;
      readonly id: string;
      readonly body: { readonly description?: string; readonly isDefault?: boolean };
    }
  | { readonly kind: 'add-role-permissions'; readonly summary: string; readonly id: string; readonly permissions: readonly Permission[] }
  | {
      readonly kind: 'create-connector';
      readonly summary: string;
      readonly body: { readonly connectorId: string; readonly config: Record<string, unknown> };
      /** Logto replaces a tenant's email connector when another is created: this is the one that goes. */
      readonly replaces?: { readonly id: string; readonly connectorId: string };
    }
  | {
      readonly kind: 'update-connector';
      readonly summary: string;
      readonly id: string;
      readonly body: { readonly config: Record<string, unknown> };
    }
  | { readonly kind: 'update-sign-in-experience'; readonly summary: string; readonly body: DesiredSignInExperienceBody };

export type DesiredSignInExperienceBody = {
  signInMode: DesiredSignInExperience['signInMode'];
  signUp: { identifiers: 'email'[]; password: boolean; verify: boolean };
  signIn: { methods: { identifier: 'email'; password: boolean; verificationCode: boolean; isPasswordPrimary: boolean }[] };
  forgotPasswordMethods: 'EmailVerificationCode'[];
  languageInfo: { autoDetect: boolean; fallbackLanguage: DesiredSignInExperience['languageInfo']['fallbackLanguage'] };
  color?: { primaryColor: string; isDarkModeEnabled: boolean; darkPrimaryColor: string };
  /** The tenant's branding with our logo URLs (Logto replaces the whole object: a favicon stays). */
  branding?: Record<string, unknown>;
};

export interface Plan {
  readonly operations: readonly Operation[];
  /** Set when the plan must not run as is (another email connector exists and may not be replaced). */
  readonly conflict?: string;
}

export interface PlanOptions {
  /** The connector config with the access key pair merged in, already validated. */
  readonly connectorConfig: Readonly<Record<string, unknown>>;
  readonly replaceEmailConnector: boolean;
}

/**
 * Resources first (the app may ask for them), then the user role granting their permissions,
 * the app, the connector, and last the sign-in experience, which needs an email connector.
 */
export function planTenant(desired: DesiredTenant, current: CurrentTenant, options: PlanOptions): Plan {
  const connector = planConnector(desired, current, options);
  return {
    operations: [
      ...planResources(desired.resources, current.resources),
      ...planRole(desired.userRole, current.roles),
      ...planApplication(desired.application, current.applications),
      ...connector.operations,
      ...planSignInExperience(desired.signInExperience, current.signInExperience),
    ],
    ...(connector.conflict ? { conflict: connector.conflict } : {}),
  };
}

/** Matched by name and type, as a person finds it in the Console. */
export function findApplication(desired: DesiredApplication, applications: readonly CurrentApplication[]): CurrentApplication | undefined {
  const matches = applications.filter((app) => app.name === desired.name && app.type === desired.type);
  if (matches.length > 1) {
    throw new PlanError(
      `The tenant has ${matches.length} ${desired.type} applications named "${desired.name}" (${matches.map((app) => app.id).join(', ')}): delete or rename all but one, then run again.`,
    );
  }
  return matches[0];
}

export class PlanError extends Error {
  override readonly name = 'PlanError';
}

function planApplication(desired: DesiredApplication, applications: readonly CurrentApplication[]): Operation[] {
  const existing = findApplication(desired, applications);
  const wanted = {
    redirectUris: [...desired.redirectUris],
    postLogoutRedirectUris: [...desired.postLogoutRedirectUris],
    corsAllowedOrigins: [...desired.corsAllowedOrigins],
    rotateRefreshToken: desired.rotateRefreshToken,
  };
  if (!existing) {
    return [
      {
        kind: 'create-application',
        summary:
          `create ${desired.type} application "${desired.name}" (${wanted.redirectUris.length} redirect URIs, ` +
          `${wanted.postLogoutRedirectUris.length} post sign-out redirect URIs, refresh-token rotation ${onOff(wanted.rotateRefreshToken)})`,
        body: {
          name: desired.name,
          description: desired.description,
          type: desired.type,
          oidcClientMetadata: { redirectUris: wanted.redirectUris, postLogoutRedirectUris: wanted.postLogoutRedirectUris },
          customClientMetadata: { corsAllowedOrigins: wanted.corsAllowedOrigins, rotateRefreshToken: wanted.rotateRefreshToken },
        },
      },
    ];
  }
  const changes: string[] = [];
  const body: { -readonly [K in keyof ApplicationBody]?: ApplicationBody[K] } = {};
  const oidc = existing.oidcClientMetadata;
  if (!sameList(oidc.redirectUris, wanted.redirectUris) || !sameList(oidc.postLogoutRedirectUris, wanted.postLogoutRedirectUris)) {
    if (!sameList(oidc.redirectUris, wanted.redirectUris)) changes.push('redirect URIs');
    if (!sameList(oidc.postLogoutRedirectUris, wanted.postLogoutRedirectUris)) changes.push('post sign-out redirect URIs');
    // The whole oidcClientMetadata object, so fields we do not manage are kept as they are.
    body.oidcClientMetadata = { ...oidc, redirectUris: wanted.redirectUris, postLogoutRedirectUris: wanted.postLogoutRedirectUris };
  }
  const custom = existing.customClientMetadata;
  const corsChanged = !sameList((custom['corsAllowedOrigins'] as unknown[] | undefined) ?? [], wanted.corsAllowedOrigins);
  // Set explicitly even when Logto's default (on) would already apply: the tenant states the choice.
  const rotationChanged = custom['rotateRefreshToken'] !== wanted.rotateRefreshToken;
  if (corsChanged || rotationChanged) {
    if (corsChanged) changes.push('CORS allowed origins');
    if (rotationChanged) changes.push(`refresh-token rotation → ${onOff(wanted.rotateRefreshToken)}`);
    // Logto replaces customClientMetadata wholesale (a JSONB column): send what is there too.
    body.customClientMetadata = { ...custom, corsAllowedOrigins: wanted.corsAllowedOrigins, rotateRefreshToken: wanted.rotateRefreshToken };
  }
  if ((existing.description ?? '') !== desired.description) {
    changes.push('description');
    body.description = desired.description;
  }
  return changes.length === 0
    ? []
    : [
        {
          kind: 'update-application',
          id: existing.id,
          summary: `update application "${desired.name}" (${existing.id}): ${changes.join(', ')}`,
          body,
        },
      ];
}

function planResources(desired: readonly DesiredResource[], current: readonly CurrentResource[]): Operation[] {
  return desired.flatMap((resource): Operation[] => {
    const existing = current.find((candidate) => candidate.indicator === resource.indicator);
    const missingScopes = resource.scopes.filter((scope) => !existing?.scopes.some((have) => have.name === scope.name));
    const scopeOps = missingScopes.map((scope): Operation => ({
      kind: 'create-scope',
      summary: `add permission ${scope.name} to API resource ${resource.indicator}`,
      resourceIndicator: resource.indicator,
      body: { name: scope.name, description: scope.description },
    }));
    return existing
      ? scopeOps
      : [
          {
            kind: 'create-resource',
            summary: `create API resource "${resource.name}" (${resource.indicator})`,
            body: { name: resource.name, indicator: resource.indicator },
          },
          ...scopeOps,
        ];
  });
}

/**
 * Logto puts a permission into a person's access token only when one of their roles grants it:
 * the role must exist, be a User role, grant every desired permission, and be default (so
 * people who register afterwards get it). Permissions it grants beyond ours are left alone.
 */
export function findRole(desired: DesiredRole, roles: readonly CurrentRole[]): CurrentRole | undefined {
  const existing = roles.find((role) => role.name === desired.name);
  if (existing && existing.type !== 'User') {
    throw new PlanError(
      `The tenant has a ${existing.type} role named "${desired.name}" (${existing.id}); the people's permissions need a User role of that name: ` +
        `rename the existing role (Console → Roles) or change userRole.name in tenant/tenant.json, then run again.`,
    );
  }
  return existing;
}

function planRole(desired: DesiredRole, roles: readonly CurrentRole[]): Operation[] {
  const existing = findRole(desired, roles);
  const describe = (permissions: readonly Permission[]) =>
    permissions.map((permission) => `${permission.scope} on ${permission.resourceIndicator}`).join(', ');
  if (!existing) {
    return [
      {
        kind: 'create-role',
        summary:
          `create user role "${desired.name}"${desired.isDefault ? ' (default: given to every new user)' : ''} granting ` +
          describe(desired.permissions),
        body: { name: desired.name, description: desired.description, type: 'User', isDefault: desired.isDefault },
        permissions: desired.permissions,
      },
    ];
  }
  const operations: Operation[] = [];
  const body: { description?: string; isDefault?: boolean } = {};
  const changes: string[] = [];
  if (existing.isDefault !== desired.isDefault) {
    body.isDefault = desired.isDefault;
    changes.push(desired.isDefault ? 'make it default (given to every new user)' : 'no longer default');
  }
  if (existing.description !== desired.description) {
    body.description = desired.description;
    changes.push('description');
  }
  if (changes.length > 0) {
    operations.push({
      kind: 'update-role',
      id: existing.id,
      summary: `update role "${desired.name}" (${existing.id}): ${changes.join(', ')}`,
      body,
    });
  }
  const missing = desired.permissions.filter(
    (permission) =>
      !existing.scopes.some((scope) => scope.name === permission.scope && scope.resourceIndicator === permission.resourceIndicator),
  );
  if (missing.length > 0) {
    operations.push({
      kind: 'add-role-permissions',
      id: existing.id,
      summary: `grant role "${desired.name}" (${existing.id}) ${describe(missing)}`,
      permissions: missing,
    });
  }
  return operations;
}

function planConnector(desired: DesiredTenant, current: CurrentTenant, options: PlanOptions): Plan {
  const { connectorId } = desired.emailConnector;
  const config = { ...options.connectorConfig };
  const emailConnectors = current.connectors.filter((connector) => connector.type === 'Email');
  const ours = emailConnectors.find((connector) => connector.connectorId === connectorId);
  if (ours) {
    // Logto stores the config through cleanDeep (empty strings, arrays and objects dropped).
    const changed = changedFields(cleanDeep(ours.config), cleanDeep(config));
    return {
      operations:
        changed.length === 0
          ? []
          : [
              {
                kind: 'update-connector',
                id: ours.id,
                summary: `update email connector ${connectorId} (${ours.id}): ${changed.join(', ')}`,
                body: { config },
              },
            ],
    };
  }
  const other = emailConnectors[0];
  const create: Operation = {
    kind: 'create-connector',
    summary: other
      ? `replace email connector ${other.connectorId} (${other.id}) with ${connectorId}`
      : `create email connector ${connectorId} (sender ${String(config['accountName'])})`,
    body: { connectorId, config },
    ...(other ? { replaces: { id: other.id, connectorId: other.connectorId } } : {}),
  };
  if (other && !options.replaceEmailConnector) {
    return {
      operations: [create],
      conflict:
        `The tenant already has an email connector, ${other.connectorId} (${other.id}), and a tenant has only one: ` +
        `creating ${connectorId} would replace it. Run again with --replace-email-connector to replace it.`,
    };
  }
  return { operations: [create] };
}

function planSignInExperience(desired: DesiredSignInExperience, current: CurrentSignInExperience): Operation[] {
  const body: DesiredSignInExperienceBody = {
    signInMode: desired.signInMode,
    signUp: { identifiers: [...desired.signUp.identifiers], password: desired.signUp.password, verify: desired.signUp.verify },
    signIn: { methods: desired.signIn.methods.map((method) => ({ ...method })) },
    forgotPasswordMethods: [...desired.forgotPasswordMethods],
    languageInfo: { ...desired.languageInfo },
    ...(desired.color ? { color: { ...desired.color } } : {}),
    ...(desired.branding ? { branding: { ...current.branding, ...desired.branding } } : {}),
  };
  const changes: string[] = [];
  if (current.signInMode !== body.signInMode) changes.push('sign-in mode');
  const signUp = current.signUp ?? {};
  if (
    !sameList(signUp.identifiers ?? [], body.signUp.identifiers) ||
    signUp.password !== body.signUp.password ||
    signUp.verify !== body.signUp.verify
  ) {
    changes.push('sign-up');
  }
  const methods = (current.signIn?.methods ?? []).map((method) => ({
    identifier: method['identifier'],
    password: method['password'],
    verificationCode: method['verificationCode'],
    isPasswordPrimary: method['isPasswordPrimary'],
  }));
  if (!deepEqual(methods, body.signIn.methods)) changes.push('sign-in methods');
  if (!sameList(current.forgotPasswordMethods ?? [], body.forgotPasswordMethods)) changes.push('forgot-password methods');
  if (!deepEqual(current.languageInfo, body.languageInfo)) changes.push('languages');
  if (body.color && !deepEqual(current.color, body.color)) changes.push('brand colours');
  if (body.branding && !deepEqual(current.branding ?? {}, body.branding)) changes.push('logos');
  return changes.length === 0
    ? []
    : [{ kind: 'update-sign-in-experience', summary: `update sign-in experience: ${changes.join(', ')}`, body }];
}

/** Top-level connector fields whose values differ; templates are compared by usage type. */
function changedFields(current: Readonly<Record<string, unknown>>, desired: Readonly<Record<string, unknown>>): string[] {
  const fields = [...new Set([...Object.keys(current), ...Object.keys(desired)])];
  return fields.flatMap((field) => {
    if (field !== 'templates') return deepEqual(current[field], desired[field]) ? [] : [field];
    const byType = (value: unknown) =>
      new Map((Array.isArray(value) ? value : []).map((template: Record<string, unknown>) => [String(template['usageType']), template]));
    const have = byType(current[field]);
    const want = byType(desired[field]);
    const types = [...new Set([...have.keys(), ...want.keys()])];
    return types.filter((type) => !deepEqual(have.get(type), want.get(type))).map((type) => `templates[usageType=${type}]`);
  });
}

/** What Logto's `cleanDeep` leaves of a config: no empty strings, arrays or objects, at any depth. */
function cleanDeep(value: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const clean = (item: unknown): unknown => {
    if (Array.isArray(item)) return item.map(clean).filter((entry) => !isEmpty(entry));
    if (typeof item === 'object' && item !== null) {
      return Object.fromEntries(
        Object.entries(item)
          .map(([key, entry]) => [key, clean(entry)] as const)
          .filter(([, entry]) => !isEmpty(entry)),
      );
    }
    return item;
  };
  return clean(value) as Record<string, unknown>;
}

function isEmpty(value: unknown): boolean {
  if (value === '' || value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}

function sameList(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

function onOff(value: boolean): string {
  return value ? 'on' : 'off';
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((value, index) => deepEqual(value, b[index]));
  const ka = Object.keys(a).filter((key) => (a as Record<string, unknown>)[key] !== undefined);
  const kb = Object.keys(b).filter((key) => (b as Record<string, unknown>)[key] !== undefined);
  return ka.length === kb.length && ka.every((key) => deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}
