import { startIdentityServer, type RunningIdp } from '../factory.ts';
import { authorizationUrl, createPkce, exchangeCode } from '../../test/support/authorization-request.ts';
import { HttpBrowser, mailboxCodeReader } from '../../test/support/http-browser.ts';
import { refreshTokenReuseSeconds } from './model-store.ts';

const bookstore = 'https://api.bookstore.local';

/**
 * Logto's refresh-token reuse leeway: a rotated refresh token presented again within 3 s still
 * works (another new token, the grant kept); after 3 s it is `invalid_grant` and the grant is gone,
 * the newest token included. The local server must answer the same, or a client tuned on it would
 * behave differently against Logto.
 */
describe('refresh-token rotation with Logto’s 3-second reuse leeway', () => {
  let idp: RunningIdp;
  let people = 0;

  beforeAll(async () => {
    idp = await startIdentityServer({ port: 0, log: () => undefined });
  });

  afterAll(async () => {
    await idp?.stop();
  });

  async function firstRefreshToken(): Promise<string> {
    const pkce = createPkce();
    const { redirectedTo } = await new HttpBrowser().signIn(authorizationUrl(idp.issuer, { client_id: idp.appId }, pkce), {
      email: `reuse-${++people}@example.com`,
      readCode: mailboxCodeReader(idp.endpoint),
    });
    const code = new URL(redirectedTo!).searchParams.get('code')!;
    const tokens = (await (await exchangeCode(idp.issuer, { clientId: idp.appId, code, verifier: pkce.verifier })).json()) as {
      refresh_token: string;
    };
    return tokens.refresh_token;
  }

  async function refresh(refreshToken: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${idp.issuer}/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: idp.appId, refresh_token: refreshToken, resource: bookstore }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('is 3 seconds, the value Logto hard-codes', () => {
    expect(refreshTokenReuseSeconds).toBe(3);
  });

  it('answers a just-rotated refresh token again with another new token, and the grant stays usable', async () => {
    const original = await firstRefreshToken();
    const first = await refresh(original);
    expect(first.status).toBe(200);
    const rotated = String(first.body['refresh_token']);
    expect(rotated).not.toBe(original);

    const again = await refresh(original);
    expect(again.status).toBe(200);
    const another = String(again.body['refresh_token']);
    expect(another).not.toBe(original);
    expect(another).not.toBe(rotated);
    expect(typeof again.body['access_token']).toBe('string');

    // Both descendants work: the reuse within the leeway revoked nothing.
    expect((await refresh(rotated)).status).toBe(200);
    expect((await refresh(another)).status).toBe(200);
  });

  it('refuses a rotated refresh token after the leeway and revokes the whole grant, the newest token too', async () => {
    const original = await firstRefreshToken();
    const first = await refresh(original);
    expect(first.status).toBe(200);
    const newest = String(first.body['refresh_token']);

    await pause(refreshTokenReuseSeconds * 1000 + 300);
    const late = await refresh(original);
    expect(late.status).toBe(400);
    expect(late.body).toMatchObject({ error: 'invalid_grant' });

    const afterRevocation = await refresh(newest);
    expect(afterRevocation.status).toBe(400);
    expect(afterRevocation.body).toMatchObject({ error: 'invalid_grant' });
  });

  it('restarts the leeway on each reuse inside it, as Logto stores the latest consumption time', async () => {
    const original = await firstRefreshToken();
    expect((await refresh(original)).status).toBe(200);
    await pause(2_000);
    expect((await refresh(original)).status).toBe(200);
    // 4 s after the first rotation but only 2 s after the reuse: still inside.
    await pause(2_000);
    expect((await refresh(original)).status).toBe(200);
  });
});
