import { startIdentityServer, type IdpOptions, type RunningIdp } from '../factory.ts';
import { authorizationUrl, createPkce, exchangeCode } from '../../test/support/authorization-request.ts';
import { HttpBrowser, mailboxCodeReader } from '../../test/support/http-browser.ts';

interface Tokens {
  access_token: string;
  refresh_token: string;
  expires_in: number;
}

describe("the factory's test controls", () => {
  const running: RunningIdp[] = [];

  async function server(options: IdpOptions = {}): Promise<RunningIdp> {
    const idp = await startIdentityServer({ port: 0, log: () => undefined, ...options });
    running.push(idp);
    return idp;
  }

  afterEach(async () => {
    await Promise.all(running.splice(0).map((idp) => idp.stop()));
  });

  async function codeFor(idp: RunningIdp, email: string) {
    const pkce = createPkce();
    const { redirectedTo } = await new HttpBrowser().signIn(authorizationUrl(idp.issuer, { client_id: idp.appId }, pkce), {
      email,
      readCode: mailboxCodeReader(idp.endpoint),
    });
    return { code: new URL(redirectedTo!).searchParams.get('code')!, verifier: pkce.verifier };
  }

  async function tokensFor(idp: RunningIdp, email: string): Promise<Tokens> {
    const { code, verifier } = await codeFor(idp, email);
    const response = await exchangeCode(idp.issuer, { clientId: idp.appId, code, verifier });
    expect(response.status).toBe(200);
    return (await response.json()) as Tokens;
  }

  function refresh(idp: RunningIdp, refreshToken: string, signal?: AbortSignal): Promise<Response> {
    return fetch(`${idp.issuer}/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: idp.appId, refresh_token: refreshToken }),
      ...(signal ? { signal } : {}),
    });
  }

  describe('fault injection', () => {
    it('makes the token endpoint answer 500 until cleared, in a body the SDK understands', async () => {
      const idp = await server();
      const tokens = await tokensFor(idp, 'faulty@example.com');
      idp.faults.set('token', 'error500');
      const failed = await refresh(idp, tokens.refresh_token);
      expect(failed.status).toBe(500);
      expect(await failed.json()).toMatchObject({ error: 'server_error', code: 'oidc.server_error' });
      idp.faults.clear();
      expect((await refresh(idp, tokens.refresh_token)).status).toBe(200);
    });

    it('makes the token endpoint hang, and still stops cleanly', async () => {
      const idp = await server();
      const tokens = await tokensFor(idp, 'hang@example.com');
      idp.faults.set('token', 'hang');
      await expect(refresh(idp, tokens.refresh_token, AbortSignal.timeout(300))).rejects.toThrow();
      const outcome = refresh(idp, tokens.refresh_token).then(
        (response) => `answered ${response.status}`,
        (error: Error) => error.message,
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      await idp.stop();
      expect(await outcome).toBe('fetch failed');
    });

    it('makes the token endpoint slow but successful', async () => {
      const idp = await server();
      const tokens = await tokensFor(idp, 'slow@example.com');
      idp.faults.set('token', 'slow', 300);
      const started = Date.now();
      const response = await refresh(idp, tokens.refresh_token);
      expect(response.status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    });

    it.each([
      ['discovery', '/.well-known/openid-configuration', 'GET'],
      ['jwks', '/jwks', 'GET'],
      ['userinfo', '/me', 'GET'],
      ['revocation', '/token/revocation', 'POST'],
    ] as const)('takes %s down with a 500', async (target, path, method) => {
      const idp = await server();
      idp.faults.set(target, 'error500');
      expect((await fetch(`${idp.issuer}${path}`, { method })).status).toBe(500);
      idp.faults.clear();
      expect((await fetch(`${idp.issuer}${path}`, { method })).status).not.toBe(500);
    });

    it('never faults a CORS preflight', async () => {
      const idp = await server();
      idp.faults.set('token', 'error500');
      const preflight = await fetch(`${idp.issuer}/token`, {
        method: 'OPTIONS',
        headers: { origin: 'http://localhost:8100', 'access-control-request-method': 'POST' },
      });
      expect(preflight.status).toBe(204);
    });
  });

  describe('counters', () => {
    it('counts token requests by grant, revocations, and resets', async () => {
      const idp = await server();
      const tokens = await tokensFor(idp, 'counted@example.com');
      const rotated = (await (await refresh(idp, tokens.refresh_token)).json()) as Tokens;
      await fetch(`${idp.issuer}/token/revocation`, {
        method: 'POST',
        body: new URLSearchParams({ client_id: idp.appId, token: rotated.refresh_token }),
      });
      expect(idp.counters).toMatchObject({
        tokenRequests: 2,
        authorizationCodeGrants: 1,
        refreshGrants: 1,
        revocations: 1,
        maxConcurrentRefreshGrants: 1,
      });
      idp.counters.reset();
      expect(idp.counters).toMatchObject({
        tokenRequests: 0,
        authorizationCodeGrants: 0,
        refreshGrants: 0,
        revocations: 0,
        maxConcurrentRefreshGrants: 0,
      });
    });

    it('reports refresh grants that were in flight at the same time, and not sequential ones', async () => {
      const idp = await server();
      const a = await tokensFor(idp, 'parallel-a@example.com');
      const b = await tokensFor(idp, 'parallel-b@example.com');
      const rotatedA = (await (await refresh(idp, a.refresh_token)).json()) as Tokens;
      const rotatedB = (await (await refresh(idp, b.refresh_token)).json()) as Tokens;
      expect(idp.counters.maxConcurrentRefreshGrants).toBe(1);

      idp.counters.reset();
      idp.faults.set('token', 'slow', 200);
      const responses = await Promise.all([refresh(idp, rotatedA.refresh_token), refresh(idp, rotatedB.refresh_token)]);
      expect(responses.map((response) => response.status)).toEqual([200, 200]);
      expect(idp.counters.refreshGrants).toBe(2);
      expect(idp.counters.maxConcurrentRefreshGrants).toBe(2);
    });

    it('counts refresh grants refused by an injected 500', async () => {
      const idp = await server();
      const tokens = await tokensFor(idp, 'refused@example.com');
      idp.counters.reset();
      idp.faults.set('token', 'error500');
      await refresh(idp, tokens.refresh_token);
      expect(idp.counters).toMatchObject({ tokenRequests: 1, refreshGrants: 1 });
    });
  });

  describe('lifetimes', () => {
    it('issues access tokens with the configured lifetime', async () => {
      const idp = await server({ ttl: { accessToken: 120 } });
      expect((await tokensFor(idp, 'ttl@example.com')).expires_in).toBe(120);
    });

    it('expires refresh tokens after the configured lifetime', async () => {
      const idp = await server({ ttl: { refreshToken: 1 } });
      const tokens = await tokensFor(idp, 'short-refresh@example.com');
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const response = await refresh(idp, tokens.refresh_token);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
    });

    it('expires authorization codes after the configured lifetime', async () => {
      const idp = await server({ ttl: { authorizationCode: 1 } });
      const { code, verifier } = await codeFor(idp, 'short-code@example.com');
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const response = await exchangeCode(idp.issuer, { clientId: idp.appId, code, verifier });
      expect(response.status).toBe(400);
    });
  });

  describe('revokeAllGrants', () => {
    it("revokes one account's grants, tokens and sessions, leaving others alone", async () => {
      const idp = await server();
      const revoked = await tokensFor(idp, 'revoked@example.com');
      const kept = await tokensFor(idp, 'kept@example.com');
      await idp.revokeAllGrants('Revoked@example.com');

      const dead = await refresh(idp, revoked.refresh_token);
      expect(await dead.json()).toMatchObject({ error: 'invalid_grant', code: 'oidc.invalid_grant' });
      expect((await fetch(`${idp.issuer}/me`, { headers: { authorization: `Bearer ${revoked.access_token}` } })).status).toBe(401);
      expect((await refresh(idp, kept.refresh_token)).status).toBe(200);
    });

    it('revokes everyone without an email', async () => {
      const idp = await server();
      const one = await tokensFor(idp, 'one@example.com');
      const two = await tokensFor(idp, 'two@example.com');
      await idp.revokeAllGrants();
      expect((await refresh(idp, one.refresh_token)).status).toBe(400);
      expect((await refresh(idp, two.refresh_token)).status).toBe(400);
    });
  });
});
