/**
 * The Logto Management API subset `npm run logto:setup` uses, on the local server, under /api:
 * applications, API resources and scopes, connectors (plus the Console's "Send" test), and the
 * sign-in experience. Each request body is checked with the guard Logto's own route uses
 * (`@logto/schemas`; the connector's config with the connector package's guard) and then
 * applied to the tenant, which the OIDC provider, the mailer and the sign-in pages read.
 * Authorization as in Logto: a client-credentials access token for the Management API
 * indicator carrying scope `all` (an M2M app with the Management API role); else 401/403.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { applicationCreateGuard, applicationPatchGuard, Connectors, Resources, Roles, Scopes, SignInExperiences } from '@logto/schemas';
import type Provider from 'oidc-provider';

import { sendJson } from '../http/http-util.ts';
import { AliyunDmConfigError, validateAliyunDmConfig } from '../mail/aliyun-config.ts';
import { deliveryMessages } from '../mail/aliyun-delivery-errors.ts';
import { DeliveryError } from '../mail/types.ts';
import { managementResource, managementScope } from './tenant-oidc.ts';
import { transportFor } from './tenant-mail.ts';
import { generateId, type TenantApplication, type TenantConnector, type TenantRole, type TenantState } from './tenant-state.ts';

/** The only connector factory the local server ships (Logto's real package). */
export const aliyunFactoryId = 'aliyun-direct-mail';
const jsonLimitBytes = 256 * 1024;

export interface ManagementRoutesOptions {
  readonly tenant: TenantState;
  readonly provider: Provider;
  /** ALIYUN_DM_ENDPOINT for the connector test route. */
  readonly connectorEndpoint?: string | undefined;
  /** The server's users (for the user list and role assignments). */
  readonly users: { all(): readonly { readonly id: string; readonly primaryEmail: string; readonly createdAt: number }[] };
  readonly log: (line: string) => void;
  /** Every request answered, for tests that assert "no write was sent". */
  readonly record: (entry: { method: string; path: string; status: number }) => void;
}

class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly data: unknown;

  constructor(status: number, code: string, message: string, data?: unknown) {
    super(message);
    this.status = status;
    this.code = code;
    this.data = data;
  }
}

/** A 201 answer (Logto's status for the relation routes). */
class Created {
  // A plain field: the local server runs as TypeScript with types stripped only (no parameter properties).
  readonly body: unknown;
  constructor(body: unknown) {
    this.body = body;
  }
}

type Guard = { safeParse(value: unknown): { success: true; data: unknown } | { success: false; error: { issues: unknown[] } } };

export function createManagementRoutes(options: ManagementRoutesOptions) {
  const { tenant, provider, log } = options;

  return async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    if (url.pathname !== '/api' && !url.pathname.startsWith('/api/')) return false;
    const method = req.method ?? 'GET';
    let status = 200;
    try {
      await authorize(req);
      const result = await route(method, pathSegments(url.pathname), req, url.searchParams);
      status = result === undefined ? 204 : result instanceof Created ? 201 : 200;
      if (result === undefined) {
        res.writeHead(204, { 'Cache-Control': 'no-store' }).end();
      } else if (result instanceof Created && result.body === undefined) {
        // Koa's default body for a 201 without one, as Logto answers role assignments.
        res.writeHead(201, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }).end('Created');
      } else {
        sendJson(res, status, result instanceof Created ? result.body : result);
      }
    } catch (error) {
      const apiError = error instanceof ApiError ? error : new ApiError(500, '', 'Internal server error (details in the server log).');
      if (!(error instanceof ApiError)) log(`[management] ${method} ${url.pathname} failed: ${(error as Error).message}`);
      status = apiError.status;
      // Logto's unexpected errors are a 500 with a message and no code.
      sendJson(res, status, {
        ...(apiError.code ? { code: apiError.code } : {}),
        message: apiError.message,
        ...(apiError.data ? { data: apiError.data } : {}),
      });
    }
    options.record({ method, path: url.pathname, status });
    return true;
  };

  async function authorize(req: IncomingMessage): Promise<void> {
    const match = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    if (!match) throw new ApiError(401, 'auth.authorization_header_missing', 'Authorization header is missing.');
    const token = await provider.ClientCredentials.find(match[1]!);
    const audience = token ? [token.aud].flat() : [];
    if (!token || !audience.includes(managementResource)) {
      throw new ApiError(401, 'auth.unauthorized', 'Unauthorized. Please check credentials and its scope.');
    }
    if (
      !String(token.scope ?? '')
        .split(' ')
        .includes(managementScope)
    ) {
      throw new ApiError(403, 'auth.forbidden', 'Forbidden. Please check your permissions.');
    }
  }

  async function route(method: string, path: string[], req: IncomingMessage, query: URLSearchParams): Promise<unknown> {
    const [collection, id, sub, subId] = path;
    switch (
      `${method} ${collection}${id === undefined ? '' : '/:id'}${sub === undefined ? '' : `/${sub}`}${subId === undefined ? '' : '/:id'}`
    ) {
      case 'GET applications':
        return tenant.applications.map(applicationResponse);
      case 'POST applications':
        return createApplication(parse(applicationCreateGuard, await readJson(req)));
      case 'GET applications/:id':
        return applicationResponse(findApplication(id!));
      case 'PATCH applications/:id':
        return patchApplication(id!, parse(applicationPatchGuard, await readJson(req)));
      case 'GET resources':
        return tenant.resources.map(({ scopes: _scopes, ...resource }) => ({ ...resource, isDefault: false }));
      case 'POST resources':
        return createResource(parse(Resources.createGuard.omit({ tenantId: true, id: true }), await readJson(req)));
      case 'GET resources/:id/scopes':
        return findResource(id!).scopes;
      case 'POST resources/:id/scopes':
        return createScope(id!, parse(Scopes.createGuard.pick({ name: true, description: true }), await readJson(req)));
      case 'GET roles':
        return page(tenant.roles.filter((role) => !query.get('type') || role.type === query.get('type')).map(roleListResponse), query);
      case 'POST roles':
        return createRole(
          parse(Roles.createGuard.omit({ id: true }).extend({ scopeIds: Scopes.guard.shape.id.array().optional() }), await readJson(req)),
        );
      case 'GET roles/:id':
        return roleResponse(findRole(id!));
      case 'PATCH roles/:id':
        return patchRole(
          id!,
          parse(Roles.createGuard.pick({ name: true, description: true, isDefault: true }).partial(), await readJson(req)),
        );
      case 'GET roles/:id/scopes': {
        const role = findRole(id!);
        const scopes = tenant.resources.flatMap((resource) =>
          resource.scopes
            .filter((scope) => role.scopeIds.includes(scope.id))
            .map((scope) => ({ ...scope, resource: resourceResponse(resource) })),
        );
        return query.has('page') || query.has('page_size') ? page(scopes, query) : scopes;
      }
      case 'POST roles/:id/scopes':
        return addRoleScopes(
          id!,
          parse(Roles.guard.pick({}).extend({ scopeIds: Scopes.guard.shape.id.array().nonempty() }), await readJson(req)),
        );
      case 'GET roles/:id/users': {
        findRole(id!);
        const holders = new Set(tenant.roleUserIds(id!));
        return page(
          options.users
            .all()
            .filter((user) => holders.has(user.id))
            .map(userResponse),
          query,
        );
      }
      case 'POST roles/:id/users':
        return assignRole(
          id!,
          parse(Roles.guard.pick({}).extend({ userIds: Scopes.guard.shape.id.array().nonempty() }), await readJson(req)),
        );
      case 'GET users':
        return page(options.users.all().map(userResponse), query);
      case 'GET connectors':
        return tenant.connectors.map(connectorResponse);
      case 'POST connectors':
        return createConnector(
          parse(
            Connectors.createGuard
              .pick({ config: true, connectorId: true, metadata: true, syncProfile: true, enableTokenStorage: true })
              .merge(Connectors.createGuard.pick({ id: true }).partial()),
            await readJson(req),
          ),
        );
      case 'GET connectors/:id':
        return connectorResponse(findConnector(id!));
      case 'PATCH connectors/:id':
        return patchConnector(
          id!,
          parse(Connectors.createGuard.pick({ config: true, metadata: true, syncProfile: true }).partial(), await readJson(req)),
        );
      case 'DELETE connectors/:id':
        findConnector(id!);
        tenant.update((state) => {
          state.connectors = state.connectors.filter((connector) => connector.id !== id);
        });
        return undefined;
      case 'POST connectors/:id/test':
        return testConnector(id!, await readJson(req));
      case 'GET sign-in-exp':
        return { tenantId: 'default', id: 'default', ...tenant.signInExperience };
      case 'PATCH sign-in-exp':
        return patchSignInExperience(
          parse(SignInExperiences.createGuard.omit({ tenantId: true, id: true }).partial(), await readJson(req)),
        );
      default:
        throw new ApiError(404, 'guard.invalid_input', `The local Management API has no ${method} /api/${path.join('/')}.`);
    }
  }

  function createApplication(body: Record<string, unknown>): unknown {
    if (body['type'] !== 'Native') {
      throw new ApiError(
        422,
        'application.type_not_supported',
        `The local server runs Native applications only, not ${String(body['type'])}.`,
      );
    }
    const oidc = (body['oidcClientMetadata'] ?? {
      redirectUris: [],
      postLogoutRedirectUris: [],
    }) as TenantApplication['oidcClientMetadata'];
    const app: TenantApplication = {
      id: generateId(),
      name: String(body['name']),
      description: (body['description'] as string | null | undefined) ?? null,
      type: 'Native',
      oidcClientMetadata: oidc,
      customClientMetadata: (body['customClientMetadata'] as Record<string, unknown> | undefined) ?? {},
      createdAt: Date.now(),
    };
    tenant.update((state) => state.applications.push(app));
    log(`[management] registered Native application "${app.name}" (${app.id})`);
    return applicationResponse(app);
  }

  function patchApplication(id: string, body: Record<string, unknown>): unknown {
    const existing = findApplication(id);
    const updated: TenantApplication = {
      ...existing,
      ...(body['name'] === undefined ? {} : { name: String(body['name']) }),
      ...(body['description'] === undefined ? {} : { description: body['description'] as string | null }),
      ...(body['oidcClientMetadata'] === undefined
        ? {}
        : { oidcClientMetadata: body['oidcClientMetadata'] as TenantApplication['oidcClientMetadata'] }),
      ...(body['customClientMetadata'] === undefined
        ? {}
        : { customClientMetadata: body['customClientMetadata'] as Record<string, unknown> }),
    };
    tenant.update((state) => {
      state.applications = state.applications.map((app) => (app.id === id ? updated : app));
    });
    log(`[management] updated application "${updated.name}" (${id})`);
    return applicationResponse(updated);
  }

  function createResource(body: Record<string, unknown>): unknown {
    const indicator = String(body['indicator']);
    if (tenant.resources.some((resource) => resource.indicator === indicator)) {
      throw new ApiError(422, 'resource.resource_exists', `An API resource with indicator ${indicator} already exists.`);
    }
    const resource = {
      id: generateId(12),
      name: String(body['name']),
      indicator,
      accessTokenTtl: typeof body['accessTokenTtl'] === 'number' ? body['accessTokenTtl'] : 3600,
      scopes: [],
    };
    tenant.update((state) => state.resources.push(resource));
    const { scopes: _scopes, ...response } = resource;
    return { ...response, isDefault: false };
  }

  function createScope(resourceId: string, body: Record<string, unknown>): unknown {
    const resource = findResource(resourceId);
    const name = String(body['name']);
    if (resource.scopes.some((scope) => scope.name === name)) {
      throw new ApiError(422, 'scope.name_exists_error', `The API resource already has a permission named ${name}.`);
    }
    const scope = {
      id: generateId(12),
      resourceId,
      name,
      description: (body['description'] as string | null | undefined) ?? null,
      createdAt: Date.now(),
    };
    tenant.update(() => resource.scopes.push(scope));
    return scope;
  }

  function createRole(body: Record<string, unknown>): unknown {
    const name = String(body['name']);
    if (tenant.roles.some((role) => role.name === name)) {
      throw new ApiError(422, 'role.name_in_use', `This role name "${name}" is already in use`);
    }
    const scopeIds = (body['scopeIds'] as string[] | undefined) ?? [];
    for (const scopeId of scopeIds) findScope(scopeId);
    const role: TenantRole = {
      id: generateId(),
      name,
      description: String(body['description']),
      type: body['type'] === 'MachineToMachine' ? 'MachineToMachine' : 'User',
      isDefault: body['isDefault'] === true,
      scopeIds: [...new Set(scopeIds)],
      createdAt: Date.now(),
    };
    tenant.update((state) => (state.roles ??= []).push(role));
    log(`[management] created ${role.type} role "${role.name}"${role.isDefault ? ' (default)' : ''} (${role.id})`);
    return roleResponse(role);
  }

  function patchRole(id: string, body: Record<string, unknown>): unknown {
    const existing = findRole(id);
    const name = body['name'] === undefined ? existing.name : String(body['name']);
    if (tenant.roles.some((role) => role.name === name && role.id !== id)) {
      throw new ApiError(422, 'role.name_in_use', `This role name "${name}" is already in use`);
    }
    const updated: TenantRole = {
      ...existing,
      name,
      ...(body['description'] === undefined ? {} : { description: String(body['description']) }),
      ...(body['isDefault'] === undefined ? {} : { isDefault: body['isDefault'] === true }),
    };
    tenant.update((state) => {
      state.roles = (state.roles ?? []).map((role) => (role.id === id ? updated : role));
    });
    log(`[management] updated role "${updated.name}" (${id})${updated.isDefault ? ', default' : ''}`);
    return roleResponse(updated);
  }

  function addRoleScopes(id: string, body: Record<string, unknown>): Created {
    const role = findRole(id);
    const scopeIds = body['scopeIds'] as string[];
    for (const scopeId of scopeIds) {
      if (role.scopeIds.includes(scopeId))
        throw new ApiError(422, 'role.scope_exists', `The scope id ${scopeId} has already been added to this role`);
      findScope(scopeId);
    }
    tenant.update((state) => {
      state.roles = (state.roles ?? []).map((candidate) =>
        candidate.id === id ? { ...candidate, scopeIds: [...candidate.scopeIds, ...scopeIds] } : candidate,
      );
    });
    const granted = new Set([...role.scopeIds, ...scopeIds]);
    return new Created(tenant.resources.flatMap((resource) => resource.scopes.filter((scope) => granted.has(scope.id))));
  }

  function assignRole(id: string, body: Record<string, unknown>): Created {
    findRole(id);
    const userIds = body['userIds'] as string[];
    const holders = new Set(tenant.roleUserIds(id));
    const already = userIds.find((userId) => holders.has(userId));
    if (already) throw new ApiError(422, 'role.user_exists', `The user id ${already} is already been added to this role`);
    const known = new Set(options.users.all().map((user) => user.id));
    const unknown = userIds.find((userId) => !known.has(userId));
    if (unknown) throw new ApiError(404, 'entity.not_exists_with_id', `The user with ID \`${unknown}\` does not exist.`);
    tenant.assignRoles(userIds, [id]);
    log(`[management] gave role ${id} to ${userIds.length} user${userIds.length > 1 ? 's' : ''}`);
    return new Created(undefined);
  }

  function roleResponse(role: TenantRole) {
    const { scopeIds: _scopeIds, createdAt: _createdAt, ...rest } = role;
    return { tenantId: 'default', ...rest };
  }

  function roleListResponse(role: TenantRole) {
    return {
      ...roleResponse(role),
      usersCount: tenant.roleUserIds(role.id).length,
      featuredUsers: [],
      applicationsCount: 0,
      featuredApplications: [],
    };
  }

  function findRole(id: string): TenantRole {
    const role = tenant.role(id);
    if (!role) throw new ApiError(404, 'entity.not_exists_with_id', `The role with ID \`${id}\` does not exist.`);
    return role;
  }

  function findScope(id: string) {
    const scope = tenant.resources.flatMap((resource) => resource.scopes).find((candidate) => candidate.id === id);
    if (!scope) throw new ApiError(404, 'entity.not_exists_with_id', `The scope with ID \`${id}\` does not exist.`);
    return scope;
  }

  async function createConnector(body: Record<string, unknown>): Promise<unknown> {
    if (body['connectorId'] !== aliyunFactoryId) {
      throw new ApiError(
        422,
        'connector.not_found_with_connector_id',
        `The local server has no connector factory ${String(body['connectorId'])}.`,
      );
    }
    const config = await connectorConfig(body['config']);
    const connector: TenantConnector = {
      id: typeof body['id'] === 'string' ? body['id'] : generateId(12),
      connectorId: aliyunFactoryId,
      config,
      createdAt: Date.now(),
    };
    // As in Logto: a tenant has one email connector; creating one replaces the others.
    tenant.update((state) => {
      state.connectors = [connector];
    });
    log(`[management] email connector is now ${aliyunFactoryId} (${connector.id}), sender ${String(config['accountName'])}`);
    return connectorResponse(connector);
  }

  async function patchConnector(id: string, body: Record<string, unknown>): Promise<unknown> {
    const existing = findConnector(id);
    const updated = body['config'] === undefined ? existing : { ...existing, config: await connectorConfig(body['config']) };
    tenant.update((state) => {
      state.connectors = state.connectors.map((connector) => (connector.id === id ? updated : connector));
    });
    log(`[management] updated email connector ${updated.connectorId} (${id})`);
    return connectorResponse(updated);
  }

  /** The Console's "Send" button: a Generic message with code 000000 through a connector built from the given config. */
  async function testConnector(factoryId: string, raw: unknown): Promise<undefined> {
    const body = raw as { email?: unknown; phone?: unknown; config?: unknown };
    if (factoryId !== aliyunFactoryId) throw new ApiError(404, 'connector.not_found', `No email connector factory ${factoryId}.`);
    if (typeof body.email !== 'string' || !/^\S+@\S+\.\S+$/.test(body.email)) {
      throw new ApiError(400, 'guard.invalid_input', 'email must be an email address.');
    }
    const config = await connectorConfig(body.config);
    const transport = await transportFor(config as never, { endpoint: options.connectorEndpoint, log });
    try {
      await transport.send({ to: body.email, usageType: 'Generic', code: '000000' });
    } catch (error) {
      // As Logto: the connector's request failing (network, timeout) is an unexpected error, a
      // 500 without a code; DirectMail refusing is `400 connector.general` with its message.
      if (!(error instanceof DeliveryError)) throw error;
      if (error.userMessage === deliveryMessages.unreachable || error.userMessage === deliveryMessages.timeout) {
        throw new ApiError(500, '', 'Internal server error.');
      }
      throw new ApiError(400, 'connector.general', `Error occurred in connector: ${error.detail}`, { errorDescription: error.detail });
    }
    return undefined;
  }

  function patchSignInExperience(body: Record<string, unknown>): unknown {
    const next = { ...tenant.signInExperience, ...body } as typeof tenant.signInExperience;
    checkSignInExperience(next, Boolean(tenant.emailConnector));
    tenant.update((state) => {
      state.signInExperience = next;
    });
    log(`[management] sign-in experience: ${describeExperience(next)}`);
    return { tenantId: 'default', id: 'default', ...next };
  }

  async function connectorConfig(raw: unknown): Promise<Record<string, unknown>> {
    try {
      // The connector's own guard plus the {{code}} rule; no environment: the config is what was sent.
      return { ...(await validateAliyunDmConfig(raw, { env: {}, source: 'request body' })) };
    } catch (error) {
      if (error instanceof AliyunDmConfigError) {
        throw new ApiError(400, 'connector.invalid_config', error.problems.join('; '), { problems: error.problems });
      }
      throw error;
    }
  }

  function findApplication(id: string): TenantApplication {
    const app = tenant.application(id);
    if (!app) throw new ApiError(404, 'entity.not_exists_with_id', `The application with ID \`${id}\` does not exist.`);
    return app;
  }

  function findResource(id: string) {
    const resource = tenant.resource(id);
    if (!resource) throw new ApiError(404, 'entity.not_exists_with_id', `The resource with ID \`${id}\` does not exist.`);
    return resource;
  }

  function findConnector(id: string): TenantConnector {
    const connector = tenant.connectors.find((candidate) => candidate.id === id);
    if (!connector) throw new ApiError(404, 'entity.not_exists_with_id', `The connector with ID \`${id}\` does not exist.`);
    return connector;
  }
}

function parse(guard: Guard, value: unknown): Record<string, unknown> {
  const result = guard.safeParse(value);
  if (!result.success) {
    throw new ApiError(400, 'guard.invalid_input', 'The request body is invalid.', { issues: result.error.issues });
  }
  return result.data as Record<string, unknown>;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > jsonLimitBytes) throw new ApiError(413, 'request.general', 'Request body too large.');
    chunks.push(chunk as Buffer);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    throw new ApiError(400, 'guard.invalid_input', 'The request body is not JSON.');
  }
  // Every route takes an object: `null`, an array or a string is malformed input (400), not a crash (500).
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, 'guard.invalid_input', 'The request body must be a JSON object.');
  }
  return body;
}

/** The path after /api, decoded; malformed percent-encoding (`/api/applications/%E0%A4%A`) is a 400. */
function pathSegments(pathname: string): string[] {
  try {
    return pathname.split('/').slice(2).map(decodeURIComponent);
  } catch {
    throw new ApiError(400, 'guard.invalid_input', 'The request path is not valid percent-encoding.');
  }
}

/**
 * Logto's cross-field rules for the parts of the sign-in experience we manage
 * (packages/core/src/libraries/sign-in-experience/sign-up.ts and sign-in.ts), same codes.
 */
function checkSignInExperience(experience: TenantState['signInExperience'], hasEmailConnector: boolean): void {
  const { signUp, signIn } = experience;
  const passwordless = signUp.identifiers.some((identifier) => identifier !== 'username');
  if (passwordless && !signUp.verify) {
    throw new ApiError(400, 'sign_in_experiences.passwordless_requires_verify', 'Email or phone sign-up must verify the identifier.');
  }
  const emailNeeded =
    signUp.identifiers.includes('email') || signIn.methods.some((method) => method.identifier === 'email' && method.verificationCode);
  if (emailNeeded && !hasEmailConnector) {
    throw new ApiError(
      400,
      'sign_in_experiences.enabled_connector_not_found',
      'Email sign-up or sign-in needs an email connector: set one up first.',
    );
  }
  if (!signIn.methods.every((method) => method.password || method.verificationCode)) {
    throw new ApiError(
      400,
      'sign_in_experiences.at_least_one_authentication_factor',
      'Every sign-in method needs a password or a verification code.',
    );
  }
  if (signUp.verify && !signUp.password && !signIn.methods.every((method) => method.verificationCode || method.identifier === 'username')) {
    throw new ApiError(
      400,
      'sign_in_experiences.code_sign_in_must_be_enabled',
      'Without a password at sign-up, sign-in must allow a verification code.',
    );
  }
}

export function describeExperience(experience: TenantState['signInExperience']): string {
  const methods = experience.signIn.methods
    .map(
      (method) => `${method.identifier} + ${[method.verificationCode && 'code', method.password && 'password'].filter(Boolean).join('/')}`,
    )
    .join(', ');
  return `${experience.signInMode}; sign-in by ${methods}`;
}

/** Logto's koaPagination: `page` (from 1) and `page_size` (default 20, at most 100). */
function page<T>(items: readonly T[], query: URLSearchParams): T[] {
  const pageNumber = Number(query.get('page') ?? '1');
  const size = Number(query.get('page_size') ?? '20');
  if (!Number.isInteger(pageNumber) || pageNumber < 1 || !Number.isInteger(size) || size < 1 || size > 100) {
    throw new ApiError(400, 'guard.invalid_pagination', 'The pagination value is not valid.');
  }
  return items.slice((pageNumber - 1) * size, pageNumber * size);
}

function resourceResponse(resource: TenantState['resources'][number]) {
  const { scopes: _scopes, ...rest } = resource;
  return { tenantId: 'default', ...rest, isDefault: false };
}

function userResponse(user: { readonly id: string; readonly primaryEmail: string; readonly createdAt: number }) {
  return { id: user.id, primaryEmail: user.primaryEmail, createdAt: user.createdAt };
}

function applicationResponse(app: TenantApplication): unknown {
  const { secret: _secret, managementApiAccess: _access, ...rest } = app;
  return {
    tenantId: 'default',
    ...rest,
    protectedAppMetadata: null,
    customData: {},
    isThirdParty: false,
    appLevelAccessControlEnabled: false,
  };
}

function connectorResponse(connector: TenantConnector): unknown {
  return {
    id: connector.id,
    connectorId: connector.connectorId,
    type: 'Email',
    config: connector.config,
    metadata: {},
    syncProfile: false,
    enableTokenStorage: false,
    target: 'aliyun-dm',
    name: { en: 'Aliyun Direct Mail' },
    platform: null,
  };
}
