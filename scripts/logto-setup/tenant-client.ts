/**
 * The Logto Management API through Logto's own client, `@logto/api` (`createManagementApi`:
 * client-credentials token for the M2M app, then openapi-fetch typed by Logto's generated
 * OpenAPI paths). Request bodies are checked with `@logto/schemas` guards before they are sent;
 * every failure becomes a SetupError that says what to do.
 */
import { createManagementApi } from '@logto/api/management';
import { applicationCreateGuard, applicationPatchGuard, Connectors, Resources, Scopes, signInGuard, signUpGuard } from '@logto/schemas';

import { networkReason, SetupError } from './errors.ts';
import type {
  CurrentApplication,
  CurrentConnector,
  CurrentResource,
  CurrentSignInExperience,
  CurrentTenant,
  Operation,
} from './planner.ts';
import type { SetupSettings } from './settings.ts';

type ApiClient = ReturnType<typeof createManagementApi>['apiClient'];
type Guard = { safeParse(value: unknown): { success: boolean; error?: { issues: { path: (string | number)[]; message: string }[] } } };

/** What every openapi-fetch call returns. */
interface ApiResult {
  readonly data?: unknown;
  readonly error?: unknown;
  readonly response: Response;
}

export class TenantClient {
  readonly #settings: SetupSettings;
  readonly #api: ApiClient;
  readonly #token: () => Promise<{ scope?: string | undefined }>;
  /** Writes sent, for the summary line. */
  writes = 0;

  constructor(settings: SetupSettings) {
    this.#settings = settings;
    const { apiClient, clientCredentials } = createManagementApi('default', {
      clientId: settings.m2mAppId,
      clientSecret: settings.m2mAppSecret,
      baseUrl: settings.endpoint,
      apiIndicator: settings.managementResource,
    });
    this.#api = apiClient;
    this.#token = () => clientCredentials.getAccessToken();
  }

  /**
   * Gets the Management API token first, so a wrong endpoint, wrong credentials or a missing role
   * are reported as such (and not as the first API call's failure).
   */
  async connect(): Promise<void> {
    const { endpoint, m2mAppId, managementResource } = this.#settings;
    let token: { scope?: string | undefined };
    try {
      token = await this.#token();
    } catch (error) {
      const reason = networkReason(error);
      if (reason) {
        throw new SetupError(`Cannot reach LOGTO_ENDPOINT ${endpoint}: ${reason}. Is the address right, and is the server up?`);
      }
      const status = /Failed to fetch access token: (\d{3})/.exec((error as Error).message)?.[1];
      if (status === '401') {
        throw new SetupError(
          `The token endpoint ${endpoint}/oidc/token refused the M2M app credentials (401): check LOGTO_M2M_APP_ID and LOGTO_M2M_APP_SECRET ` +
            `against Console → Applications → your machine-to-machine app (App ID, App secret).`,
        );
      }
      if (status === '400') {
        throw new SetupError(
          `The token endpoint ${endpoint}/oidc/token refused the token request (400). Check LOGTO_MANAGEMENT_RESOURCE (${managementResource}): ` +
            `https://<tenant-id>.logto.app/api on Logto Cloud, https://default.logto.app/api self-hosted; and that ${m2mAppId} is a machine-to-machine app.`,
        );
      }
      if (status === '404') {
        throw new SetupError(`${endpoint} has no /oidc/token (404): is LOGTO_ENDPOINT a Logto tenant's endpoint?`);
      }
      throw new SetupError(`Getting a Management API token from ${endpoint}/oidc/token failed: ${(error as Error).message}`);
    }
    if (!(token.scope ?? '').split(' ').includes('all')) throw this.#forbidden();
  }

  #forbidden(): SetupError {
    return new SetupError(
      `The M2M app ${this.#settings.m2mAppId} lacks the Management API role (403): in the Console open Applications → that app → Roles, ` +
        `and assign a machine-to-machine role with the "Logto Management API" permission "all" (e.g. "Logto Management API access").`,
    );
  }

  async readTenant(indicators: readonly string[]): Promise<CurrentTenant> {
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
    const connectors = (await this.#call('GET /api/connectors', () => this.#api.GET('/api/connectors'))) as CurrentConnector[];
    const signInExperience = (await this.#call('GET /api/sign-in-exp', () => this.#api.GET('/api/sign-in-exp'))) as CurrentSignInExperience;
    return { applications, resources, connectors, signInExperience };
  }

  /** Runs one planned operation; returns the id of what it created or updated. */
  async apply(operation: Operation, resourceIds: Map<string, string>): Promise<string | undefined> {
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
        resourceIds.set(operation.body.indicator, created.id);
        return created.id;
      }
      case 'create-scope': {
        checked(Scopes.createGuard.pick({ name: true, description: true }), operation.body, 'the permission');
        const resourceId = resourceIds.get(operation.resourceIndicator);
        if (!resourceId)
          throw new SetupError(`The API resource ${operation.resourceIndicator} disappeared while the command ran: run it again.`);
        const created = (await this.#call('POST /api/resources/{resourceId}/scopes', () =>
          this.#api.POST('/api/resources/{resourceId}/scopes', { params: { path: { resourceId } }, body: { ...operation.body } }),
        )) as { id: string };
        return created.id;
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

  /** The Console's "Send" button: Logto sends a Generic test message (code 000000) through a connector built from `config`. */
  async sendTestEmail(connectorId: string, email: string, config: Record<string, unknown>): Promise<void> {
    await this.#call('POST /api/connectors/{factoryId}/test', () =>
      this.#api.POST('/api/connectors/{factoryId}/test', { params: { path: { factoryId: connectorId } }, body: { email, config } }),
    );
  }

  async #call(what: string, request: () => Promise<ApiResult>): Promise<unknown> {
    let result: ApiResult;
    try {
      result = await request();
    } catch (error) {
      if (error instanceof SetupError) throw error;
      const reason = networkReason(error);
      throw new SetupError(
        reason
          ? `Lost ${this.#settings.endpoint} during ${what}: ${reason}. Run the command again: it continues where it stopped.`
          : `${what} failed: ${(error as Error).message}`,
      );
    }
    const { response } = result;
    if (response.ok) return result.data;
    if (response.status === 403) throw this.#forbidden();
    if (response.status === 401) {
      throw new SetupError(
        `The Management API refused the token (401) on ${what}: check LOGTO_MANAGEMENT_RESOURCE (${this.#settings.managementResource}).`,
      );
    }
    const body = (result.error ?? {}) as { code?: string; message?: string };
    throw new SetupError(
      `Logto refused ${what} (${response.status}${body.code ? ` ${body.code}` : ''}): ${body.message ?? response.statusText}`,
    );
  }
}

/** A body our own code built must pass Logto's guard; if not, that is our bug, said plainly. */
function checked(guard: Guard, value: unknown, what: string): void {
  const result = guard.safeParse(value);
  if (!result.success) {
    const issues = result.error?.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
    throw new SetupError(`Logto's guard rejects ${what} this command built: ${issues}. Check logto/tenant.json and identity.config.json.`);
  }
}
