/**
 * The local server's "tenant": what a Logto tenant's database holds for the Management API
 * subset we speak — applications (the app, M2M apps), API resources and their scopes, the email
 * connector, the sign-in experience. Persisted in the data directory (tenant.json), so what
 * `npm run logto:setup` changed survives a restart. Listeners hear every change, so the OIDC
 * client registration, the connector that mails and the sign-in pages follow it at once.
 */
import { randomBytes } from 'node:crypto';

import type { JsonFile } from '../persistence/json-file.ts';

export type ApplicationType = 'Native' | 'SPA' | 'Traditional' | 'MachineToMachine' | 'Protected' | 'SAML';

export interface TenantApplication {
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  readonly type: ApplicationType;
  /** M2M apps only: their client secret. */
  readonly secret?: string;
  readonly oidcClientMetadata: { readonly redirectUris: string[]; readonly postLogoutRedirectUris: string[] } & Record<string, unknown>;
  readonly customClientMetadata: Record<string, unknown>;
  /** M2M apps only: holds the "Logto Management API access" role (scope `all`). */
  readonly managementApiAccess?: boolean;
  readonly createdAt: number;
}

export interface TenantScope {
  readonly id: string;
  readonly resourceId: string;
  readonly name: string;
  readonly description: string | null;
  readonly createdAt: number;
}

export interface TenantResource {
  readonly id: string;
  readonly name: string;
  readonly indicator: string;
  readonly accessTokenTtl: number;
  readonly scopes: TenantScope[];
}

/**
 * A role, as in Logto: User roles give people permissions (scopes of API resources); a default
 * role is given to every user created afterwards. (M2M apps' Management API access stays the
 * `managementApiAccess` flag above.)
 */
export interface TenantRole {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly type: 'User' | 'MachineToMachine';
  readonly isDefault: boolean;
  readonly scopeIds: string[];
  readonly createdAt: number;
}

export interface TenantConnector {
  readonly id: string;
  readonly connectorId: string;
  readonly config: Record<string, unknown>;
  readonly createdAt: number;
}

/** The sign-in experience fields the local pages read (Logto's shape). */
export interface TenantSignInExperience {
  signInMode: 'SignIn' | 'Register' | 'SignInAndRegister';
  signUp: { identifiers: string[]; password: boolean; verify: boolean; secondaryIdentifiers?: unknown[] };
  signIn: { methods: { identifier: string; password: boolean; verificationCode: boolean; isPasswordPrimary: boolean }[] };
  forgotPasswordMethods: string[] | null;
  [field: string]: unknown;
}

export interface TenantStateFile {
  readonly version: 1;
  applications: TenantApplication[];
  resources: TenantResource[];
  connectors: TenantConnector[];
  signInExperience: TenantSignInExperience;
  /** Absent in a tenant saved before the local server knew roles (see local-tenant.ts). */
  roles?: TenantRole[];
  usersRoles?: { userId: string; roleId: string }[];
}

/** A brand-new Logto tenant's sign-in experience: username + password. */
export function newTenantSignInExperience(): TenantSignInExperience {
  return {
    signInMode: 'SignInAndRegister',
    signUp: { identifiers: ['username'], password: true, verify: false },
    signIn: { methods: [{ identifier: 'username', password: true, verificationCode: false, isPasswordPrimary: true }] },
    forgotPasswordMethods: null,
    // Logto's defaults: the browser's language, Logto's purple, no dark mode, no logo.
    languageInfo: { autoDetect: true, fallbackLanguage: 'en' },
    color: { primaryColor: '#6139F6', isDarkModeEnabled: false, darkPrimaryColor: '#8476FF' },
    branding: {},
  };
}

/** Logto-style ids: lower-case letters and digits. */
export function generateId(length = 21): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(length)].map((byte) => alphabet[byte % alphabet.length]).join('');
}

export function generateSecret(): string {
  return randomBytes(24).toString('base64url');
}

export class TenantState {
  #state: TenantStateFile;
  readonly #file: JsonFile<TenantStateFile> | undefined;
  readonly #listeners = new Set<() => void>();

  /** Loads the saved tenant, or takes `seed()` on a first start (and saves it). */
  constructor(file: JsonFile<TenantStateFile> | undefined, seed: () => TenantStateFile) {
    this.#file = file;
    const saved = file?.read();
    if (saved?.version === 1) {
      this.#state = saved;
    } else {
      this.#state = seed();
      this.#save();
    }
  }

  get applications(): readonly TenantApplication[] {
    return this.#state.applications;
  }

  get resources(): readonly TenantResource[] {
    return this.#state.resources;
  }

  get connectors(): readonly TenantConnector[] {
    return this.#state.connectors;
  }

  get signInExperience(): TenantSignInExperience {
    return this.#state.signInExperience;
  }

  application(id: string): TenantApplication | undefined {
    return this.#state.applications.find((app) => app.id === id);
  }

  resource(id: string): TenantResource | undefined {
    return this.#state.resources.find((resource) => resource.id === id);
  }

  get roles(): readonly TenantRole[] {
    return this.#state.roles ?? [];
  }

  role(id: string): TenantRole | undefined {
    return this.roles.find((role) => role.id === id);
  }

  /** Ids of the users holding the role. */
  roleUserIds(roleId: string): string[] {
    return (this.#state.usersRoles ?? []).filter((entry) => entry.roleId === roleId).map((entry) => entry.userId);
  }

  /** Gives roles to users (skipping what they hold already). */
  assignRoles(userIds: readonly string[], roleIds: readonly string[]): void {
    if (userIds.length === 0 || roleIds.length === 0) return;
    this.update((state) => {
      const entries = (state.usersRoles ??= []);
      for (const userId of userIds) {
        for (const roleId of roleIds) {
          if (!entries.some((entry) => entry.userId === userId && entry.roleId === roleId)) entries.push({ userId, roleId });
        }
      }
    });
  }

  /** Logto: a new user gets every default User role. */
  assignDefaultRoles(userId: string): void {
    this.assignRoles(
      [userId],
      this.roles.filter((role) => role.type === 'User' && role.isDefault).map((role) => role.id),
    );
  }

  /**
   * The names of the resource's permissions the user holds through roles: the only way a
   * permission reaches a person's access token in Logto.
   */
  userScopes(userId: string, indicator: string): string[] {
    const resource = this.#state.resources.find((candidate) => candidate.indicator === indicator);
    if (!resource) return [];
    const roleIds = new Set((this.#state.usersRoles ?? []).filter((entry) => entry.userId === userId).map((entry) => entry.roleId));
    const granted = new Set(this.roles.filter((role) => roleIds.has(role.id)).flatMap((role) => role.scopeIds));
    return resource.scopes.filter((scope) => granted.has(scope.id)).map((scope) => scope.name);
  }

  /** The tenant's one email connector (the only connector type the local server runs). */
  get emailConnector(): TenantConnector | undefined {
    return this.#state.connectors[0];
  }

  onChange(listener: () => void): void {
    this.#listeners.add(listener);
  }

  /** Every mutation goes through here: saved, then announced. */
  update(mutate: (state: TenantStateFile) => void): void {
    mutate(this.#state);
    this.#save();
    for (const listener of this.#listeners) listener();
  }

  async flush(): Promise<void> {
    await this.#file?.flush();
  }

  #save(): void {
    this.#file?.save(() => this.#state);
  }
}
