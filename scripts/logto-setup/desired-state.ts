/**
 * The desired state of a Logto tenant: tenant/tenant.json plus what identity.config.json (the
 * single source of truth) says about redirect URIs, CORS origins, API resources and scopes.
 * Nothing derivable is copied into tenant.json, so the tenant cannot drift from the app.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { brandingGuard, colorGuard, languageInfoGuard, signInGuard, signUpGuard } from '@logto/schemas';

import { loadIdentityConfig, type IdentityConfig } from '../../dev-idp/identity-config.ts';
import { validateAliyunDmConfig, type AliyunDmConfig } from '../../dev-idp/mail/aliyun-config.ts';

export const defaultTenantFile = fileURLToPath(new URL('../../tenant/tenant.json', import.meta.url));

/** What the Management API calls an application's OIDC and custom client metadata, for ours. */
export interface DesiredApplication {
  readonly name: string;
  readonly description: string;
  readonly type: 'Native';
  readonly redirectUris: readonly string[];
  readonly postLogoutRedirectUris: readonly string[];
  readonly corsAllowedOrigins: readonly string[];
  readonly rotateRefreshToken: boolean;
}

export interface DesiredResource {
  readonly indicator: string;
  readonly name: string;
  readonly scopes: readonly { readonly name: string; readonly description: string }[];
}

/**
 * The user role through which people get the API permissions: Logto puts a permission into an
 * access token only when one of the person's roles grants it.
 */
export interface DesiredRole {
  readonly name: string;
  readonly description: string;
  /** Given to every user created afterwards (Logto's default roles). */
  readonly isDefault: boolean;
  /** Every permission of every desired resource. */
  readonly permissions: readonly { readonly resourceIndicator: string; readonly scope: string }[];
}
/** The languages the app and the local sign-in pages speak (Logto's tags). */
const appLanguages = ['en', 'zh-CN'] as const;
type AppLanguage = (typeof appLanguages)[number];

export interface DesiredSignInExperience {
  readonly signInMode: 'SignIn' | 'Register' | 'SignInAndRegister';
  readonly signUp: { readonly identifiers: readonly ['email']; readonly password: boolean; readonly verify: boolean };
  readonly signIn: {
    readonly methods: readonly [
      { readonly identifier: 'email'; readonly password: boolean; readonly verificationCode: boolean; readonly isPasswordPrimary: boolean },
    ];
  };
  /** Forgot password by email code exists only when there is a password. */
  readonly forgotPasswordMethods: readonly 'EmailVerificationCode'[];
  /** From identity.config.json `languages`: the browser's language when supported, else the first. */
  readonly languageInfo: { readonly autoDetect: boolean; readonly fallbackLanguage: AppLanguage };
  /** From identity.config.json `brand`: the primary colours, light and dark. */
  readonly color?: { readonly primaryColor: string; readonly isDarkModeEnabled: boolean; readonly darkPrimaryColor: string };
  /** Only when `brand.logoUrl` is set: Logto shows logos by URL (the repo's files are not hosted anywhere). */
  readonly branding?: { readonly logoUrl?: string; readonly darkLogoUrl?: string };
}

export interface DesiredTenant {
  readonly application: DesiredApplication;
  readonly resources: readonly DesiredResource[];
  readonly userRole: DesiredRole;
  readonly emailConnector: {
    readonly connectorId: string;
    /** The connector config as committed: no access key pair. */
    readonly config: Readonly<Record<string, unknown>>;
    readonly configFile: string;
  };
  readonly signInExperience: DesiredSignInExperience;
}

export class DesiredStateError extends Error {
  override readonly name = 'DesiredStateError';
}

/** OIDC and Logto user scopes: asked of the identity server, never permissions of an API resource. */
const userScopes = new Set(['openid', 'profile', 'email', 'phone', 'address', 'offline_access', 'custom_data', 'identities', 'roles']);

interface TenantFile {
  application?: { name?: unknown; description?: unknown; rotateRefreshToken?: unknown };
  apiResources?: { names?: Record<string, unknown>; scopeDescriptions?: Record<string, unknown> };
  userRole?: { name?: unknown; description?: unknown; isDefault?: unknown };
  emailConnector?: { connectorId?: unknown; configFile?: unknown };
  signInExperience?: Record<string, unknown>;
}

export function loadDesiredTenant(tenantFile: string = defaultTenantFile, identity: IdentityConfig = loadIdentityConfig()): DesiredTenant {
  const raw = readJson(tenantFile) as TenantFile;
  const problems: string[] = [];
  const text = (value: unknown, field: string, fallback?: string): string => {
    if (typeof value === 'string' && value.trim()) return value.trim();
    if (fallback !== undefined) return fallback;
    problems.push(`${field} must be a non-empty string`);
    return '';
  };
  const flag = (value: unknown, field: string, fallback: boolean): boolean => {
    if (value === undefined) return fallback;
    if (typeof value === 'boolean') return value;
    problems.push(`${field} must be true or false`);
    return fallback;
  };

  const application: DesiredApplication = {
    name: text(raw.application?.name, 'application.name'),
    description: text(raw.application?.description, 'application.description', ''),
    type: 'Native',
    redirectUris: [identity.redirectUris.native.signIn, identity.redirectUris.web.signIn],
    postLogoutRedirectUris: [identity.redirectUris.native.signOut, identity.redirectUris.web.signOut],
    corsAllowedOrigins: [...identity.appOrigins],
    // Logto's default is on; the session layer relies on rotation (docs/decisions.md).
    rotateRefreshToken: flag(raw.application?.rotateRefreshToken, 'application.rotateRefreshToken', true),
  };

  const names = raw.apiResources?.names ?? {};
  const descriptions = raw.apiResources?.scopeDescriptions ?? {};
  const permissionScopes = identity.scopes.filter((scope) => !userScopes.has(scope) && !scope.startsWith('urn:logto:'));
  const resources: DesiredResource[] = identity.resources.map((indicator) => ({
    indicator,
    name: text(names[indicator], `apiResources.names["${indicator}"]`, indicator),
    scopes: permissionScopes.map((name) => ({
      name,
      description: text(descriptions[name], `apiResources.scopeDescriptions["${name}"]`, name),
    })),
  }));

  const userRole: DesiredRole = {
    // Without a userRole section the role is still needed (no permission reaches a token without one).
    name: text(raw.userRole?.name, 'userRole.name', `${identity.appName} reader`),
    description: text(raw.userRole?.description, 'userRole.description', `Every permission of ${identity.appName}'s API resources`),
    isDefault: flag(raw.userRole?.isDefault, 'userRole.isDefault', true),
    permissions: resources.flatMap((resource) =>
      resource.scopes.map((scope) => ({ resourceIndicator: resource.indicator, scope: scope.name })),
    ),
  };

  const connectorId = text(raw.emailConnector?.connectorId, 'emailConnector.connectorId');
  const configFile = resolve(dirname(tenantFile), text(raw.emailConnector?.configFile, 'emailConnector.configFile'));
  const config = problems.length === 0 ? readJson(configFile) : {};
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    problems.push(`${configFile} must hold a JSON object (the connector config)`);
  }
  for (const secret of ['accessKeyId', 'accessKeySecret']) {
    if (secret in (config as object)) {
      problems.push(`${configFile} holds ${secret}: keep secrets out of the repo (ALIYUN_DM_ACCESS_KEY_ID / _SECRET supply them)`);
    }
  }

  const signInExperience = {
    ...desiredSignInExperience(raw.signInExperience ?? {}, problems, flag),
    ...brandAndLanguages(identity, problems),
  };
  if (problems.length > 0) {
    throw new DesiredStateError(`${tenantFile} is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  return {
    application,
    resources,
    userRole,
    emailConnector: { connectorId, config: config as Record<string, unknown>, configFile },
    signInExperience,
  };
}

/** The sign-in experience's languages, colours and logos, from identity.config.json (the app and the local pages use the same). */
function brandAndLanguages(
  identity: IdentityConfig,
  problems: string[],
): Pick<DesiredSignInExperience, 'languageInfo' | 'color' | 'branding'> {
  // The app and the local pages speak these; the first supported one is the fallback.
  const first = identity.languages?.supported?.[0] ?? 'en';
  if (!appLanguages.includes(first as AppLanguage)) {
    problems.push(
      `identity.config.json languages.supported starts with "${first}": the app and the sign-in pages speak ${appLanguages.join(', ')}`,
    );
  }
  const languageInfo = { autoDetect: true, fallbackLanguage: appLanguages.includes(first as AppLanguage) ? (first as AppLanguage) : 'en' };
  const brand = identity.brand;
  const color =
    brand?.primaryColor && brand.primaryColorDark
      ? { primaryColor: brand.primaryColor, isDarkModeEnabled: true, darkPrimaryColor: brand.primaryColorDark }
      : undefined;
  const logos = {
    ...(brand?.logoUrl ? { logoUrl: brand.logoUrl } : {}),
    ...(brand?.logoUrl && brand.darkLogoUrl ? { darkLogoUrl: brand.darkLogoUrl } : {}),
  };
  const branding = Object.keys(logos).length > 0 ? logos : undefined;
  for (const [name, guard, value] of [
    ['languages (languageInfo)', languageInfoGuard, languageInfo],
    ['brand colours (color)', colorGuard, color],
    ['brand logo URLs (branding)', brandingGuard, branding],
  ] as const) {
    const result = value === undefined ? undefined : guard.safeParse(value);
    if (result && !result.success) {
      problems.push(
        `identity.config.json gives invalid ${name}: ${result.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
      );
    }
  }
  return { languageInfo, ...(color ? { color } : {}), ...(branding ? { branding } : {}) };
}

function desiredSignInExperience(
  raw: Record<string, unknown>,
  problems: string[],
  flag: (value: unknown, field: string, fallback: boolean) => boolean,
): Omit<DesiredSignInExperience, 'languageInfo' | 'color' | 'branding'> {
  if (raw['identifier'] !== undefined && raw['identifier'] !== 'email') {
    problems.push(`signInExperience.identifier "${String(raw['identifier'])}" is not supported: this app signs in by email`);
  }
  const password = flag(raw['password'], 'signInExperience.password', false);
  const verificationCode = flag(raw['verificationCode'], 'signInExperience.verificationCode', true);
  const verify = flag(raw['verifyAtSignUp'], 'signInExperience.verifyAtSignUp', true);
  // Logto's own rules (libraries/sign-in-experience): caught here, before anything is sent.
  if (!password && !verificationCode) problems.push('signInExperience needs a password or a verificationCode (or both)');
  if (!verify) problems.push('signInExperience.verifyAtSignUp must be true: Logto requires email sign-up to verify the address');
  const modes = ['SignIn', 'Register', 'SignInAndRegister'] as const;
  const signInMode = (raw['signInMode'] ?? 'SignInAndRegister') as DesiredSignInExperience['signInMode'];
  if (!modes.includes(signInMode)) problems.push(`signInExperience.signInMode must be one of ${modes.join(', ')}`);

  const experience: Omit<DesiredSignInExperience, 'languageInfo' | 'color' | 'branding'> = {
    signInMode,
    signUp: { identifiers: ['email'], password, verify },
    signIn: { methods: [{ identifier: 'email', password, verificationCode, isPasswordPrimary: password }] },
    forgotPasswordMethods: password ? ['EmailVerificationCode'] : [],
  };
  // Logto's own guards: what we derive must be what Logto accepts.
  for (const [name, guard, value] of [
    ['signUp', signUpGuard, experience.signUp],
    ['signIn', signInGuard, experience.signIn],
  ] as const) {
    const result = guard.safeParse(value);
    if (!result.success)
      problems.push(`signInExperience gives an invalid ${name}: ${result.error.issues.map((i) => i.message).join('; ')}`);
  }
  return experience;
}

/**
 * The committed connector config with the access key pair from the environment, validated by the
 * connector's own guard plus our {{code}} rule (dev-idp/mail/aliyun-config.ts, the same check the
 * local server runs): every problem is named by field and template.
 */
export async function resolveConnectorConfig(desired: DesiredTenant, env: NodeJS.ProcessEnv): Promise<AliyunDmConfig> {
  return validateAliyunDmConfig(desired.emailConnector.config, {
    env,
    source: `${desired.emailConnector.configFile} + ALIYUN_DM_ACCESS_KEY_ID/_SECRET`,
  });
}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new DesiredStateError(`${path} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DesiredStateError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
}
