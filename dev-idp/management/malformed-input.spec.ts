/**
 * Malformed input to the local Management API is the caller's mistake: 400 with Logto's
 * `guard.invalid_input`, never a 500 — on every route that reads a body or a path id.
 */
import { serverWithManagementToken } from '../../test/support/management-token.ts';

const m2m = { id: 'malformed-m2m', secret: 'malformed-m2m-secret-for-tests', managementApiAccess: true };

const server = serverWithManagementToken(m2m);

async function send(method: string, path: string, body?: string): Promise<{ status: number; code: unknown }> {
  const response = await fetch(`${server.idp.endpoint}/api${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
    ...(body === undefined ? {} : { body }),
  });
  const json = (await response.json().catch(() => ({}))) as { code?: unknown };
  return { status: response.status, code: json.code };
}

const bodyRoutes: [string, string][] = [
  ['POST', '/applications'],
  ['PATCH', '/applications/some-app'],
  ['POST', '/resources'],
  ['POST', '/resources/some-resource/scopes'],
  ['POST', '/connectors'],
  ['PATCH', '/connectors/some-connector'],
  ['POST', '/connectors/aliyun-direct-mail/test'],
  ['PATCH', '/sign-in-exp'],
];

describe('malformed input to the local Management API', () => {
  it.each(bodyRoutes.flatMap(([method, path]) => ['null', '[]', '"text"', '42', 'true'].map((body) => [method, path, body] as const)))(
    '%s %s with the body %s answers 400',
    async (method, path, body) => {
      expect(await send(method, path, body)).toEqual({ status: 400, code: 'guard.invalid_input' });
    },
  );

  it.each([
    ['GET', '/applications/%E0%A4%A'],
    ['PATCH', '/applications/%'],
    ['GET', '/resources/%zz/scopes'],
  ])('%s %s (malformed percent-encoding) answers 400', async (method, path) => {
    expect(await send(method, path, method === 'GET' ? undefined : '{}')).toEqual({ status: 400, code: 'guard.invalid_input' });
  });
});
