import type { RunningIdp } from '../../dev-idp/factory.ts';
import type { M2mAppSeed } from '../../dev-idp/management/seed.ts';
import { useIdentityServer } from './identity-server.ts';

/**
 * A machine-to-machine app's client-credentials request for a Management API token (scope
 * "all"), as `npm run logto:setup` makes it; the answer as it came.
 */
export function requestManagementToken(
  idp: Pick<RunningIdp, 'endpoint' | 'management'>,
  app: { readonly id: string; readonly secret: string },
): Promise<Response> {
  return fetch(`${idp.endpoint}/oidc/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: app.id,
      client_secret: app.secret,
      resource: idp.management.resource,
      scope: 'all',
    }),
  });
}

/** The Management API access token for `app`; a refused request fails with its status. */
export async function managementToken(
  idp: Pick<RunningIdp, 'endpoint' | 'management'>,
  app: { readonly id: string; readonly secret: string },
): Promise<string> {
  const response = await requestManagementToken(idp, app);
  if (!response.ok) throw new Error(`Management API token: HTTP ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/**
 * For one spec file: a local server on a new tenant ('empty') whose machine-to-machine app is
 * `app`, started before the file's tests together with `app`'s Management API token, and stopped
 * after them. Read `idp` and `token` inside the tests (they are set once the server is up).
 */
export function serverWithManagementToken(app: M2mAppSeed): { readonly idp: RunningIdp; readonly token: string } {
  const server = useIdentityServer({ tenant: 'empty', m2mApps: [app] });
  const state = {
    get idp() {
      return server.idp;
    },
    token: '',
  };
  beforeAll(async () => {
    state.token = await managementToken(server.idp, app);
  });
  return state;
}
