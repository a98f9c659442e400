/**
 * The Logto Management API through Logto's own client, `@logto/api` (`createApiClient`:
 * openapi-fetch typed by Logto's generated OpenAPI paths), with the M2M app's client-credentials
 * token fetched here rather than by `@logto/api`'s helper, so that:
 *
 * - a failed token request is explained by what Logto answered (`invalid_client` with 400 is an
 *   unknown app id, 401 a wrong secret, `invalid_target` an unknown Management API indicator),
 *   not guessed from the status alone;
 * - credentials never leave the endpoint's origin: every request is sent with
 *   `redirect: 'manual'` and a redirect is an error, so neither the M2M secret (token request)
 *   nor a bearer token nor the Aliyun secret (connector bodies) is re-sent to wherever a
 *   redirect points;
 * - nothing a server wrote is printed raw (safe-text.ts), and no status text is printed at all
 *   (a server can put anything there, including the request it received).
 *
 * Request bodies are checked with `@logto/schemas` guards before they are sent; every failure
 * becomes a SetupError that says what to do.
 */
import { createApiClient } from '@logto/api/management';
import {
  applicationCreateGuard,
  applicationPatchGuard,
  Connectors,
  Resources,
  Roles,
  Scopes,
  signInGuard,
  signUpGuard,
} from '@logto/schemas';

import { networkReason, SetupError } from './errors.ts';
import type {
  CurrentApplication,
  CurrentConnector,
  CurrentResource,
  CurrentRole,
  CurrentSignInExperience,
  CurrentTenant,
  Operation,
  Permission,
} from './planner.ts';
import { serverText } from './safe-text.ts';
import type { SetupSettings } from './settings.ts';

type ApiClient = ReturnType<typeof createApiClient>;
type Guard = { safeParse(value: unknown): { success: boolean; error?: { issues: { path: (string | number)[]; message: string }[] } } };

/** What every openapi-fetch call returns. */
interface ApiResult {
  readonly data?: unknown;
  readonly error?: unknown;
  readonly response: Response;
}

/** Ids the operations of one run need: resources by indicator, permissions by "indicator name". */
export interface KnownIds {
  readonly resources: Map<string, string>;
  readonly scopes: Map<string, string>;
}

export function permissionKey(permission: Permission): string {
  return `${permission.resourceIndicator} ${permission.scope}`;
}

/** The Management API answers at most this many entries per page (Logto's koaPagination). */
const pageSize = 100;

export class TenantClient {
  readonly #settings: SetupSettings;
  readonly #api: ApiClient;
  /** Secrets that must never appear in what we print, even when a server echoes them. */
  readonly #secrets: string[];
  #token: { value: string; expiresAt: number; scope: string } | undefined;
  /** Writes sent, for the summary line. */
  writes = 0;

  constructor(settings: SetupSettings, extraSecrets: readonly string[] = []) {
    this.#settings = settings;
    this.#secrets = [settings.m2mAppSecret, ...extraSecrets];
    this.#api = createApiClient({ baseUrl: settings.endpoint, getToken: async () => (await this.#accessToken()).value });
    this.#api.use({
      // Never follow a redirect: the request carries a bearer token and maybe a secret.
      onRequest: ({ request }) => new Request(request, { redirect: 'manual' }),
    });
  }

  /**
   * Gets the Management API token first, so a wrong endpoint, wrong credentials or a missing role
   * are reported as such (and not as the first API call's failure).
   */
  async connect(): Promise<void> {
    const token = await this.#accessToken();
    if (!token.scope.split(' ').includes('all')) throw this.#forbidden();
  }

  async #accessToken(): Promise<{ value: string; expiresAt: number; scope: string }> {
    const now = Math.floor(Date.now() / 1000);
    if (this.#token && this.#token.expiresAt > now + 60) return this.#token;
    const { endpoint, m2mAppId, m2mAppSecret, managementResource } = this.#settings;
    const tokenEndpoint = `${endpoint}/oidc/token`;
    let response: Response;
    try {
      response = await fetch(tokenEndpoint, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: m2mAppId,
          client_secret: m2mAppSecret,
          resource: managementResource,
          scope: 'all',
        }).toString(),
      });
    } catch (error) {
      const reason = networkReason(error);
      throw new SetupError(
        reason
          ? `Cannot reach LOGTO_ENDPOINT ${endpoint}: ${reason}. Is the address right, and is the server up?`
          : `Getting a Management API token from ${tokenEndpoint} failed: ${serverText((error as Error).message, this.#secrets)}`,
      );
    }
    if (isRedirect(response)) throw this.#redirected(response, 'the token request (it carries the M2M app secret)');
    const body = (await readJson(response)) as Record<string, unknown> | undefined;
    if (!response.ok) throw this.#tokenRefused(response.status, body ?? {});
    if (typeof body?.['access_token'] !== 'string' || typeof body['expires_in'] !== 'number') {
      throw new SetupError(`${tokenEndpoint} answered ${response.status} without an access token: is LOGTO_ENDPOINT a Logto endpoint?`);
    }
    this.#token = {
      value: body['access_token'],
      expiresAt: now + body['expires_in'],
      scope: typeof body['scope'] === 'string' ? body['scope'] : '',
    };
    return this.#token;
  }

  /** Names the cause from the OAuth error Logto returns (measured against Logto 1.42). */
  #tokenRefused(status: number, body: Record<string, unknown>): SetupError {
    const { endpoint, m2mAppId, managementResource } = this.#settings;
    const error = typeof body['error'] === 'string' ? body['error'] : undefined;
    const description = serverText(body['error_description'] ?? body['message'], this.#secrets);
    const where = `The token endpoint ${endpoint}/oidc/token`;
    const consoleHint = 'Console → Applications → your machine-to-machine app (App ID, App secret)';
    if (error === 'invalid_client' && status === 401) {
      return new SetupError(
        `${where} refused the M2M app credentials (401 invalid_client: client authentication failed): LOGTO_M2M_APP_SECRET is not the secret of ${m2mAppId}. ` +
          `Copy it again from ${consoleHint}.`,
      );
    }
    if (error === 'invalid_client') {
      return new SetupError(
        `${where} does not know the app id ${m2mAppId} (${status} invalid_client): check LOGTO_M2M_APP_ID against ${consoleHint}, ` +
          `and that LOGTO_ENDPOINT is that app's tenant.`,
      );
    }
    if (error === 'invalid_target') {
      return new SetupError(
        `${where} does not know the API resource ${managementResource} (${status} invalid_target). Check LOGTO_MANAGEMENT_RESOURCE: ` +
          `https://<tenant-id>.logto.app/api on Logto Cloud, https://default.logto.app/api self-hosted.`,
      );
    }
    if (error === 'unauthorized_client' || (error === 'invalid_request' && /grant type/i.test(description))) {
      return new SetupError(
        `${where} refused the client-credentials grant for ${m2mAppId} (${status} ${error}: ${description}): LOGTO_M2M_APP_ID must be a machine-to-machine app, ` +
          `not the Native app or another type.`,
      );
    }
    if (error === 'invalid_scope') {
      return new SetupError(
        `${where} refused scope "all" (${status} invalid_scope): ${description}. Give ${m2mAppId} the Management API role ` +
          `(Console → Applications → that app → Roles).`,
      );
    }
    if (status === 404) return new SetupError(`${endpoint} has no /oidc/token (404): is LOGTO_ENDPOINT a Logto tenant's endpoint?`);
    return new SetupError(
      `${where} refused the token request (${status}${error ? ` ${serverText(error, this.#secrets, 80)}` : ''})${description ? `: ${description}` : ''}.`,
    );
  }

  #redirected(response: Response, what: string): SetupError {
    const { endpoint } = this.#settings;
    const location = response.headers.get('location') ?? '';
    let target: URL | undefined;
    try {
      target = new URL(location, endpoint);
    } catch {
      target = undefined;
    }
    if (target && target.origin !== new URL(endpoint).origin) {
      return new SetupError(
        `${endpoint} redirected ${what} to another host, ${serverText(target.host, this.#secrets, 200)} (${response.status}). ` +
          `Refused: credentials are only ever sent to LOGTO_ENDPOINT's own origin. Set LOGTO_ENDPOINT to the address Logto itself ` +
          `serves (its ENDPOINT setting, or the Console's endpoint), including http vs https.`,
      );
    }
    return new SetupError(
      `${endpoint} answered ${what} with a redirect (${response.status}${target ? ` to ${serverText(target.pathname, this.#secrets, 200)}` : ''}); ` +
        `Logto does not redirect API requests: is LOGTO_ENDPOINT the tenant's endpoint, without a path?`,
    );
  }

  #forbidden(): SetupError {
    return new SetupError(
      `The M2M app ${this.#settings.m2mAppId} lacks the Management API role (403): in the Console open Applications → that app → Roles, ` +
        `and assign a machine-to-machine role with the "Logto Management API" permission "all" (e.g. "Logto Management API access").`,
    );
  }

  async readTenant(indicators: readonly string[], roleName: string): Promise<CurrentTenant> {
    const applications = (await this.#call('GET /api/applications', () =>
      this.#api.GET('/api/applications', { params: { query: { types: ['Native'] } } }),
    )) as CurrentApplication[];
    const resourceList = (await this.#call('GET /api/resources', () => this.#api.GET('/api/resources'))) as Omit<
      CurrentResource,
      'scopes'
    >[];
    const resources: CurrentResource[] = [];
    for (const resource of resourceList.filter((candidate) => indicators.includes(candidate.indicator))) {
      const scopes = (await this.#call('GET /api/resources/{resourceId}/scopes', () =>
        this.#api.GET('/api/resources/{resourceId}/scopes', { params: { path: { resourceId: resource.id } } }),
      )) as CurrentResource['scopes'];
      resources.push({ ...resource, scopes });
    }
    const roles = await this.#readRoles(roleName);
    const connectors = (await this.#call('GET /api/connectors', () => this.#api.GET('/api/connectors'))) as CurrentConnector[];
    const signInExperience = (await this.#call('GET /api/sign-in-exp', () => this.#api.GET('/api/sign-in-exp'))) as CurrentSignInExperience;
    return { applications, resources, roles, connectors, signInExperience };
  }

  /** The role named `name` (role names are unique in a tenant) with its permissions, if it exists. */
  async #readRoles(name: string): Promise<CurrentRole[]> {
    const all = await this.#pages<{ id: string; name: string; description: string; type: string; isDefault: boolean }>(
      'GET /api/roles',
      (page) => this.#api.GET('/api/roles', { params: { query: { page, page_size: pageSize } } }),
    );
    const roles: CurrentRole[] = [];
    for (const role of all.filter((candidate) => candidate.name === name)) {
      const scopes = await this.#pages<{ id: string; name: string; resource?: { indicator?: string } }>(
        'GET /api/roles/{id}/scopes',
        (page) => this.#api.GET('/api/roles/{id}/scopes', { params: { path: { id: role.id }, query: { page, page_size: pageSize } } }),
      );
      roles.push({
        id: role.id,
        name: role.name,
        description: role.description,
        type: role.type,
        isDefault: role.isDefault,
        scopes: scopes.map((scope) => ({ id: scope.id, name: scope.name, resourceIndicator: scope.resource?.indicator ?? '' })),
      });
    }
    return roles;
  }

  /** Ids of every user of the tenant. */
  async userIds(): Promise<string[]> {
    const users = await this.#pages<{ id: string }>('GET /api/users', (page) =>
      this.#api.GET('/api/users', { params: { query: { page, page_size: pageSize } } }),
    );
    return users.map((user) => user.id);
  }

  /** Ids of the users holding the role. */
  async roleUserIds(roleId: string): Promise<string[]> {
    const users = await this.#pages<{ id: string }>('GET /api/roles/{id}/users', (page) =>
      this.#api.GET('/api/roles/{id}/users', { params: { path: { id: roleId }, query: { page, page_size: pageSize } } }),
    );
    return users.map((user) => user.id);
  }

  async assignRole(roleId: string, userIds: readonly string[]): Promise<void> {
    for (let start = 0; start < userIds.length; start += pageSize) {
      const chunk = userIds.slice(start, start + pageSize);
      this.writes += 1;
      await this.#call('POST /api/roles/{id}/users', () =>
        // Logto answers 201 with the text "Created" (Koa's default body), not JSON.
        this.#api.POST('/api/roles/{id}/users', { params: { path: { id: roleId } }, body: { userIds: chunk }, parseAs: 'text' }),
      );
    }
  }

  async #pages<T>(what: string, request: (page: number) => Promise<ApiResult>): Promise<T[]> {
    const items: T[] = [];
    for (let page = 1; page <= 1000; page += 1) {
      const batch = (await this.#call(what, () => request(page))) as T[];
      items.push(...batch);
      if (batch.length < pageSize) break;
    }
    return items;
  }

  /** Runs one planned operation; returns the id of what it created or updated. */
  async apply(operation: Operation, ids: KnownIds): Promise<string | undefined> {
    this.writes += 1;
    switch (operation.kind) {
      case 'create-application': {
        checked(applicationCreateGuard, operation.body, 'the application');
        const body = operation.body as never;
        const created = (await this.#call('POST /api/applications', () => this.#api.POST('/api/applications', { body }))) as { id: string };
        return created.id;
      }
      case 'update-application': {
        checked(applicationPatchGuard, operation.body, 'the application update');
        const body = operation.body as never;
        await this.#call('PATCH /api/applications/{id}', () =>
          this.#api.PATCH('/api/applications/{id}', { params: { path: { id: operation.id } }, body }),
        );
        return operation.id;
      }
      case 'create-resource': {
        checked(Resources.createGuard.omit({ tenantId: true, id: true }), operation.body, 'the API resource');
        const created = (await this.#call('POST /api/resources', () =>
          this.#api.POST('/api/resources', { body: { ...operation.body } }),
        )) as { id: string };
        ids.resources.set(operation.body.indicator, created.id);
        return created.id;
      }
      case 'create-scope': {
        checked(Scopes.createGuard.pick({ name: true, description: true }), operation.body, 'the permission');
        const resourceId = ids.resources.get(operation.resourceIndicator);
        if (!resourceId)
          throw new SetupError(`The API resource ${operation.resourceIndicator} disappeared while the command ran: run it again.`);
        const created = (await this.#call('POST /api/resources/{resourceId}/scopes', () =>
          this.#api.POST('/api/resources/{resourceId}/scopes', { params: { path: { resourceId } }, body: { ...operation.body } }),
        )) as { id: string };
        ids.scopes.set(permissionKey({ resourceIndicator: operation.resourceIndicator, scope: operation.body.name }), created.id);
        return created.id;
      }
      case 'create-role': {
        const body = { ...operation.body, scopeIds: scopeIdsOf(operation.permissions, ids) };
        checked(Roles.createGuard.omit({ id: true, tenantId: true }), operation.body, 'the role');
        const created = (await this.#call('POST /api/roles', () => this.#api.POST('/api/roles', { body }))) as { id: string };
        return created.id;
      }
      case 'update-role': {
        checked(Roles.createGuard.pick({ description: true, isDefault: true }).partial(), operation.body, 'the role update');
        await this.#call('PATCH /api/roles/{id}', () =>
          this.#api.PATCH('/api/roles/{id}', { params: { path: { id: operation.id } }, body: { ...operation.body } }),
        );
        return operation.id;
      }
      case 'add-role-permissions': {
        const scopeIds = scopeIdsOf(operation.permissions, ids);
        await this.#call('POST /api/roles/{id}/scopes', () =>
          this.#api.POST('/api/roles/{id}/scopes', { params: { path: { id: operation.id } }, body: { scopeIds } }),
        );
        return operation.id;
      }
      case 'create-connector': {
        checked(Connectors.createGuard.pick({ connectorId: true, config: true }), operation.body, 'the connector');
        const created = (await this.#call('POST /api/connectors', () =>
          this.#api.POST('/api/connectors', { body: { connectorId: operation.body.connectorId, config: operation.body.config } }),
        )) as { id: string };
        return created.id;
      }
      case 'update-connector': {
        checked(Connectors.createGuard.pick({ config: true }), operation.body, 'the connector update');
        await this.#call('PATCH /api/connectors/{id}', () =>
          this.#api.PATCH('/api/connectors/{id}', { params: { path: { id: operation.id } }, body: { config: operation.body.config } }),
        );
        return operation.id;
      }
      case 'update-sign-in-experience': {
        checked(signUpGuard, operation.body.signUp, 'the sign-up settings');
        checked(signInGuard, operation.body.signIn, 'the sign-in methods');
        await this.#call('PATCH /api/sign-in-exp', () => this.#api.PATCH('/api/sign-in-exp', { body: operation.body }));
        return undefined;
      }
    }
  }

  /**
   * The Console's "Send" button: Logto builds a connector from `config` (not the saved one) and
   * sends a Generic test message (code 000000). Run before the config is saved, so a key pair
   * that does not work never replaces one that does.
   */
  async sendTestEmail(connectorId: string, email: string, config: Record<string, unknown>): Promise<void> {
    const what = 'POST /api/connectors/{factoryId}/test';
    let result: ApiResult;
    try {
      result = await this.#api.POST('/api/connectors/{factoryId}/test', {
        params: { path: { factoryId: connectorId } },
        body: { email, config },
      });
    } catch (error) {
      throw this.#transportError(what, error);
    }
    const { response } = result;
    if (response.ok) return;
    const body = (result.error ?? {}) as { code?: unknown; message?: unknown; data?: { errorDescription?: unknown; Code?: unknown } };
    const nothingSaved = 'Nothing was saved: the tenant keeps the email connector it had.';
    if (response.status === 500 && body.code === undefined) {
      throw new SetupError(
        `The mail service (Aliyun DirectMail) could not be reached from the Logto server ${this.#settings.endpoint}: Logto answered ` +
          `500 without an error code, which is what it does when its connector's request to dm.aliyuncs.com fails. Check that ` +
          `server's outbound network (DNS, firewall, proxy). ${nothingSaved}`,
      );
    }
    if (body.code === 'connector.general') {
      const aliyun = serverText(body.data?.errorDescription ?? body.message, this.#secrets);
      const code = typeof body.data?.Code === 'string' ? ` (${serverText(body.data.Code, this.#secrets, 80)})` : '';
      throw new SetupError(
        `Aliyun DirectMail refused the test message${code}: ${aliyun}. Check ALIYUN_DM_ACCESS_KEY_ID / ALIYUN_DM_ACCESS_KEY_SECRET ` +
          `and the sender in the connector config. ${nothingSaved}`,
      );
    }
    throw this.#refused(what, result);
  }

  async #call(what: string, request: () => Promise<ApiResult>): Promise<unknown> {
    let result: ApiResult;
    try {
      result = await request();
    } catch (error) {
      throw this.#transportError(what, error);
    }
    if (result.response.ok) return result.data;
    throw this.#refused(what, result);
  }

  #transportError(what: string, error: unknown): SetupError {
    if (error instanceof SetupError) return error;
    const reason = networkReason(error);
    return new SetupError(
      reason
        ? `Lost ${this.#settings.endpoint} during ${what}: ${reason}. Run the command again: it continues where it stopped.`
        : `${what} failed: ${serverText((error as Error).message, this.#secrets)}`,
    );
  }

  #refused(what: string, { response, error }: ApiResult): SetupError {
    if (isRedirect(response)) return this.#redirected(response, what);
    if (response.status === 403) return this.#forbidden();
    if (response.status === 401) {
      return new SetupError(
        `The Management API refused the token (401) on ${what}: check LOGTO_MANAGEMENT_RESOURCE (${this.#settings.managementResource}).`,
      );
    }
    const body = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; message?: unknown };
    const code = typeof body.code === 'string' ? ` ${serverText(body.code, this.#secrets, 80)}` : '';
    const message = serverText(body.message, this.#secrets);
    // No status text: a server may echo the request there.
    return new SetupError(`Logto refused ${what} (${response.status}${code})${message ? `: ${message}` : ''}`);
  }
}

function isRedirect(response: Response): boolean {
  return response.status >= 300 && response.status < 400;
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return JSON.parse(await response.text());
  } catch {
    return undefined;
  }
}

function scopeIdsOf(permissions: readonly Permission[], ids: KnownIds): string[] {
  return permissions.map((permission) => {
    const id = ids.scopes.get(permissionKey(permission));
    if (!id) {
      throw new SetupError(
        `The permission ${permission.scope} of ${permission.resourceIndicator} disappeared while the command ran: run it again.`,
      );
    }
    return id;
  });
}

/** A body our own code built must pass Logto's guard; if not, that is our bug, said plainly. */
function checked(guard: Guard, value: unknown, what: string): void {
  const result = guard.safeParse(value);
  if (!result.success) {
    const issues = result.error?.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
    throw new SetupError(`Logto's guard rejects ${what} this command built: ${issues}. Check tenant/tenant.json and identity.config.json.`);
  }
}
