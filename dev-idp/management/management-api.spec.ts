/**
 * The local Management API refuses what Logto refuses: no token, a token without the Management
 * API role, a body Logto's guards reject, a connector config the connector's guard rejects, an
 * email sign-in experience without an email connector. What it accepts, it applies.
 */
import { startIdentityServer, type RunningIdp } from '../factory.ts';
import { requestManagementToken } from '../../test/support/management-token.ts';

const m2m = { id: 'api-m2m', secret: 'api-m2m-secret-for-tests', managementApiAccess: true };
const noRole = { id: 'api-no-role', secret: 'api-no-role-secret-for-tests', managementApiAccess: false };

let idp: RunningIdp;

beforeAll(async () => {
  idp = await startIdentityServer({ port: 0, tenant: 'empty', m2mApps: [m2m, noRole], log: () => undefined });
});

afterAll(async () => {
  await idp?.stop();
});

async function tokenFor(app: { id: string; secret: string }): Promise<{ access_token: string; scope?: string }> {
  const response = await requestManagementToken(idp, app);
  expect(response.status).toBe(200);
  return (await response.json()) as { access_token: string; scope?: string };
}

async function api(
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${idp.endpoint}/api${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: response.status === 204 ? {} : ((await response.json()) as Record<string, unknown>) };
}

describe('the local Management API', () => {
  it('gives scope "all" only to an M2M app with the Management API role, and refuses others with 401/403', async () => {
    expect(idp.management.resource).toBe('https://default.logto.app/api');
    const withRole = await tokenFor(m2m);
    expect(withRole.scope).toBe('all');
    const withoutRole = await tokenFor(noRole);
    expect(withoutRole.scope).toBeUndefined();

    expect((await api('GET', '/applications')).status).toBe(401);
    expect((await api('GET', '/applications', undefined, 'forged-token')).status).toBe(401);
    expect(await api('GET', '/applications', undefined, withoutRole.access_token)).toMatchObject({
      status: 403,
      json: { code: 'auth.forbidden' },
    });
    expect((await api('GET', '/applications', undefined, withRole.access_token)).status).toBe(200);
  });

  it("checks bodies with Logto's guards: a bad redirect URI, a missing name, an unknown type are refused", async () => {
    const { access_token: token } = await tokenFor(m2m);
    const badUri = await api(
      'POST',
      '/applications',
      { name: 'x', type: 'Native', oidcClientMetadata: { redirectUris: ['not a uri'], postLogoutRedirectUris: [] } },
      token,
    );
    expect(badUri).toMatchObject({ status: 400, json: { code: 'guard.invalid_input' } });
    expect((await api('POST', '/applications', { type: 'Native' }, token)).status).toBe(400);
    expect((await api('POST', '/applications', { name: 'x', type: 'Desktop' }, token)).status).toBe(400);
    expect((await api('POST', '/resources', { name: 'no indicator' }, token)).status).toBe(400);
  });

  it('refuses a connector config its guard rejects, naming the field and the template, and email sign-in without a connector', async () => {
    const { access_token: token } = await tokenFor(m2m);
    const refused = await api(
      'POST',
      '/connectors',
      {
        connectorId: 'aliyun-direct-mail',
        config: { accessKeyId: 'a', accessKeySecret: 'b', accountName: 'no-reply@example.com', templates: [] },
      },
      token,
    );
    expect(refused.status).toBe(400);
    expect(String(refused.json['message'])).toContain('templates has no Register, SignIn, ForgotPassword and Generic templates');

    const experience = await api(
      'PATCH',
      '/sign-in-exp',
      {
        signUp: { identifiers: ['email'], password: false, verify: true },
        signIn: { methods: [{ identifier: 'email', password: false, verificationCode: true, isPasswordPrimary: false }] },
      },
      token,
    );
    expect(experience).toMatchObject({ status: 400, json: { code: 'sign_in_experiences.enabled_connector_not_found' } });
  });

  it('applies the sign-in experience to the pages: nothing without email sign-in, no registration in "SignIn" mode', async () => {
    const { access_token: token } = await tokenFor(m2m);
    // A new tenant: username + password, which these pages do not implement.
    const closed = await fetch(`${idp.endpoint}/register`);
    expect(closed.status).toBe(409);
    expect(await closed.text()).toContain('Email sign-in is not enabled');

    const templates = ['Register', 'SignIn', 'ForgotPassword', 'Generic'].map((usageType) => ({
      usageType,
      subject: `${usageType} code`,
      content: 'Your code: {{code}}',
    }));
    const connector = await api(
      'POST',
      '/connectors',
      {
        connectorId: 'aliyun-direct-mail',
        config: { accessKeyId: 'a', accessKeySecret: 'b', accountName: 'no-reply@example.com', templates },
      },
      token,
    );
    expect(connector.status).toBe(200);
    const emailOnly = {
      signUp: { identifiers: ['email'], password: false, verify: true },
      signIn: { methods: [{ identifier: 'email', password: false, verificationCode: true, isPasswordPrimary: false }] },
    };
    expect((await api('PATCH', '/sign-in-exp', { ...emailOnly, signInMode: 'SignIn' }, token)).status).toBe(200);
    expect((await fetch(`${idp.endpoint}/register`)).status).toBe(403);
    expect((await api('PATCH', '/sign-in-exp', { signInMode: 'SignInAndRegister' }, token)).status).toBe(200);
    // Open again: without a sign-in session the page says so (400), but it is no longer closed.
    expect((await fetch(`${idp.endpoint}/register`)).status).toBe(400);
  });

  it('applies a registered Native app: its redirect URIs become the OIDC client registration', async () => {
    const { access_token: token } = await tokenFor(m2m);
    const created = await api(
      'POST',
      '/applications',
      { name: 'Probe', type: 'Native', oidcClientMetadata: { redirectUris: ['com.probe.app://callback'], postLogoutRedirectUris: [] } },
      token,
    );
    expect(created.status).toBe(200);
    const authorize = (redirectUri: string) =>
      fetch(
        `${idp.issuer}/auth?${new URLSearchParams({
          client_id: String(created.json['id']),
          redirect_uri: redirectUri,
          response_type: 'code',
          scope: 'openid',
          code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
          code_challenge_method: 'S256',
        })}`,
        { redirect: 'manual' },
      );
    // Registered: on to the sign-in pages. Not registered: refused.
    expect((await authorize('com.probe.app://callback')).status).toBe(303);
    expect((await authorize('com.other.app://callback')).status).toBe(400);

    const patched = await api(
      'PATCH',
      `/applications/${String(created.json['id'])}`,
      { oidcClientMetadata: { redirectUris: ['com.other.app://callback'], postLogoutRedirectUris: [] } },
      token,
    );
    expect(patched.status).toBe(200);
    expect((await authorize('com.other.app://callback')).status).toBe(303);
    expect((await authorize('com.probe.app://callback')).status).toBe(400);
  });

  it("answers the roles routes as Logto's do: guards, unique names, scope and user assignments (201), pagination", async () => {
    const { access_token: token } = await tokenFor(m2m);
    const resource = await api('POST', '/resources', { name: 'Roles API', indicator: 'https://roles.example.com' }, token);
    const scope = await api('POST', `/resources/${String(resource.json['id'])}/scopes`, { name: 'read:roles', description: 'x' }, token);
    const scopeId = String(scope.json['id']);

    expect((await api('POST', '/roles', { name: 'No description' }, token)).json).toMatchObject({ code: 'guard.invalid_input' });
    expect((await api('POST', '/roles', { name: 'Bad', description: 'x', type: 'Admin' }, token)).status).toBe(400);
    const created = await api(
      'POST',
      '/roles',
      { name: 'Readers', description: 'x', type: 'User', isDefault: true, scopeIds: [scopeId] },
      token,
    );
    expect(created).toMatchObject({ status: 200, json: { name: 'Readers', type: 'User', isDefault: true } });
    const roleId = String(created.json['id']);
    expect((await api('POST', '/roles', { name: 'Readers', description: 'again' }, token)).json).toMatchObject({
      code: 'role.name_in_use',
    });
    expect((await api('POST', `/roles/${roleId}/scopes`, { scopeIds: [scopeId] }, token)).json).toMatchObject({
      code: 'role.scope_exists',
    });
    expect((await api('POST', `/roles/${roleId}/scopes`, { scopeIds: [] }, token)).status).toBe(400);

    const scopes = await fetch(`${idp.endpoint}/api/roles/${roleId}/scopes`, { headers: { authorization: `Bearer ${token}` } });
    expect(await scopes.json()).toEqual([
      expect.objectContaining({ id: scopeId, resource: expect.objectContaining({ indicator: 'https://roles.example.com' }) }),
    ]);
    expect((await api('PATCH', `/roles/${roleId}`, { isDefault: false }, token)).json).toMatchObject({ isDefault: false });
    expect((await api('POST', `/roles/${roleId}/users`, { userIds: ['nobody'] }, token)).status).toBe(404);
    expect((await api('GET', '/roles?page_size=1000', undefined, token)).status).toBe(400);
    const page = await fetch(`${idp.endpoint}/api/roles?page=1&page_size=100`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await page.json()) as { name: string; usersCount: number }[]).find((role) => role.name === 'Readers')).toMatchObject({
      usersCount: 0,
    });
  });
});
