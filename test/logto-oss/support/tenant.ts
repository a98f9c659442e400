/**
 * Puts the real Logto tenant into the state the app needs, the way a team would: `npm run
 * logto:setup` (run in-process here) registers the app, the API resources and permissions, the
 * Aliyun DM connector with the lane's key pair and the email-code sign-in experience. Then a
 * role granting `read:books`, because Logto puts a permission into a user's access token only
 * when one of the user's roles grants it.
 */
import { randomBytes } from 'node:crypto';

import { runSetup } from '../../../scripts/logto-setup/run.ts';
import { managementApi, managementToken, setupEnv, type RealLogto } from './real-logto.ts';

export const booksReaderRole = 'Bookstore reader';

/** Runs `npm run logto:setup` against the instance; answers the app id it registered. */
export async function runLogtoSetup(logto: RealLogto, argv: string[] = []): Promise<string> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runSetup(argv, { env: { ...process.env, ...setupEnv(logto) }, out: (l) => out.push(l), err: (l) => err.push(l) });
  if (code !== 0) throw new Error(`npm run logto:setup failed (exit ${code}):\n${err.join('\n')}`);
  const appId = /App id: (\w+)/.exec(out.join('\n'))?.[1];
  if (!appId) throw new Error(`npm run logto:setup printed no app id:\n${out.join('\n')}`);
  return appId;
}

interface Role {
  id: string;
  name: string;
}

/**
 * The role that grants read:books on the Bookstore API. `npm run logto:setup` creates roles
 * from tenant/tenant.json where the tenant file declares them; where it does not (yet), the lane
 * creates this one itself through the Management API so the proof does not depend on it.
 */
export async function ensureBooksReaderRole(logto: RealLogto, resource = 'https://api.bookstore.local'): Promise<string> {
  const token = await managementToken(logto);
  const roles = await managementApi<Role[]>(logto, 'GET', '/api/roles?page_size=100', undefined, token);
  const granting = await rolesGranting(logto, roles, resource, 'read:books', token);
  if (granting) return granting;
  const resources = await managementApi<{ id: string; indicator: string }[]>(
    logto,
    'GET',
    '/api/resources?page_size=100',
    undefined,
    token,
  );
  const api = resources.find((r) => r.indicator === resource);
  if (!api) throw new Error(`no API resource ${resource}: npm run logto:setup did not create it`);
  const scopes = await managementApi<{ id: string; name: string }[]>(logto, 'GET', `/api/resources/${api.id}/scopes`, undefined, token);
  const scope = scopes.find((s) => s.name === 'read:books');
  if (!scope) throw new Error(`API resource ${resource} has no permission read:books`);
  const role = await managementApi<Role>(
    logto,
    'POST',
    '/api/roles',
    { name: booksReaderRole, description: 'Reads the bookshelf (created by the real-Logto test lane)', type: 'User', scopeIds: [scope.id] },
    token,
  );
  return role.id;
}

async function rolesGranting(
  logto: RealLogto,
  roles: Role[],
  resource: string,
  permission: string,
  token: string,
): Promise<string | undefined> {
  for (const role of roles) {
    const scopes = await managementApi<{ name: string; resource?: { indicator: string } }[]>(
      logto,
      'GET',
      `/api/roles/${role.id}/scopes`,
      undefined,
      token,
    );
    if (scopes.some((s) => s.name === permission && s.resource?.indicator === resource)) return role.id;
  }
  return undefined;
}

/** A fresh address on the example domain, unique per run (the tenant outlives test runs). */
export function freshEmail(label: string): string {
  return `${label}-${randomBytes(4).toString('hex')}@example.com`;
}

/** A user with this address holding the role, created through the Management API. */
export async function createReader(logto: RealLogto, email: string, roleId: string): Promise<string> {
  const token = await managementToken(logto);
  const user = await managementApi<{ id: string }>(logto, 'POST', '/api/users', { primaryEmail: email }, token);
  await managementApi(logto, 'POST', `/api/users/${user.id}/roles`, { roleIds: [roleId] }, token);
  return user.id;
}

interface Application {
  oidcClientMetadata: { redirectUris: string[]; postLogoutRedirectUris: string[] } & Record<string, unknown>;
  customClientMetadata: { corsAllowedOrigins?: string[] } & Record<string, unknown>;
}

/**
 * Also lets the app sign in from `origin` (a test build served on a port of its own): its
 * /callback and /callback/sign-out as redirect URIs and the origin for CORS, next to those
 * `npm run logto:setup` derived from identity.config.json.
 */
export async function allowAppOrigin(logto: RealLogto, appId: string, origin: string): Promise<void> {
  const token = await managementToken(logto);
  const app = await managementApi<Application>(logto, 'GET', `/api/applications/${appId}`, undefined, token);
  const add = (list: string[] | undefined, value: string) => [...new Set([...(list ?? []), value])];
  await managementApi(
    logto,
    'PATCH',
    `/api/applications/${appId}`,
    {
      oidcClientMetadata: {
        ...app.oidcClientMetadata,
        redirectUris: add(app.oidcClientMetadata.redirectUris, `${origin}/callback`),
        postLogoutRedirectUris: add(app.oidcClientMetadata.postLogoutRedirectUris, `${origin}/callback/sign-out`),
      },
      customClientMetadata: {
        ...app.customClientMetadata,
        corsAllowedOrigins: add(app.customClientMetadata.corsAllowedOrigins, origin),
      },
    },
    token,
  );
}
