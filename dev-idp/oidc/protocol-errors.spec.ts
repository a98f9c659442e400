import { authorizationUrl, createPkce, exchangeCode } from '../../test/support/authorization-request.ts';
import { HttpBrowser, mailboxCodeReader } from '../../test/support/http-browser.ts';
import { useIdentityServer } from '../../test/support/identity-server.ts';

const appOrigin = 'http://localhost:8100';
const evilOrigin = 'https://evil.example';

describe('the identity server refuses bad protocol requests the way Logto does', () => {
  const server = useIdentityServer();

  // A new address per sign-in: codes are limited per address (60 s apart, 5 an hour).
  let people = 0;
  async function signInForCode(pkce = createPkce(), email = `protocol-${++people}@example.com`): Promise<URL> {
    const { redirectedTo } = await new HttpBrowser().signIn(authorizationUrl(server.idp.issuer, { client_id: server.idp.appId }, pkce), {
      email,
      readCode: mailboxCodeReader(server.idp.endpoint),
    });
    return new URL(redirectedTo!);
  }

  it('shows an error page, and never redirects, for an unknown client', async () => {
    const page = await new HttpBrowser().open(authorizationUrl(server.idp.issuer, { client_id: 'not-registered' }));
    expect(page.redirectedTo).toBeNull();
    expect(page.status).toBe(400);
    expect(page.text).toContain('not registered with this identity server');
    expect(page.text).toContain('invalid_client');
  });

  it('answers an unknown client at the token endpoint with 400 invalid_client, as Logto (not 401)', async () => {
    const response = await fetch(`${server.idp.issuer}/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: 'not-registered', refresh_token: 'anything' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_client' });
  });

  it.each([
    ['another path', 'com.example.app://callback/evil'],
    ['a prefix match', 'com.example.app://callbackx'],
    ['another loopback port', 'http://localhost:9999/callback'],
  ])('shows an error page for a redirect URI that is not registered exactly (%s)', async (_case, redirectUri) => {
    const page = await new HttpBrowser().open(
      authorizationUrl(server.idp.issuer, { client_id: server.idp.appId, redirect_uri: redirectUri }),
    );
    expect(page.redirectedTo).toBeNull();
    expect(page.status).toBe(400);
    expect(page.text).toContain('invalid_redirect_uri');
  });

  it('refuses to sign out towards a post-logout URI that is not registered', async () => {
    const page = await new HttpBrowser().open(
      `${server.idp.issuer}/session/end?client_id=${server.idp.appId}&post_logout_redirect_uri=${encodeURIComponent('com.example.app://callback/sign-out/evil')}`,
    );
    expect(page.redirectedTo).toBeNull();
    expect(page.status).toBe(400);
    expect(page.text).toContain('post_logout_redirect_uri not registered');
  });

  it('sends the app invalid_request when PKCE is missing', async () => {
    const page = await new HttpBrowser().open(
      authorizationUrl(server.idp.issuer, { client_id: server.idp.appId, code_challenge: undefined, code_challenge_method: undefined }),
    );
    const callback = new URL(page.redirectedTo!);
    expect(callback.searchParams.get('error')).toBe('invalid_request');
    expect(callback.searchParams.get('error_description')).toMatch(/PKCE/);
  });

  it('sends the app invalid_request for the plain PKCE method (S256 only)', async () => {
    const page = await new HttpBrowser().open(
      authorizationUrl(server.idp.issuer, { client_id: server.idp.appId, code_challenge_method: 'plain' }),
    );
    expect(new URL(page.redirectedTo!).searchParams.get('error')).toBe('invalid_request');
  });

  it('sends the app invalid_target for an unknown API resource', async () => {
    const page = await new HttpBrowser().open(
      authorizationUrl(server.idp.issuer, { client_id: server.idp.appId, resource: ['https://unknown.example'] }),
    );
    expect(new URL(page.redirectedTo!).searchParams.get('error')).toBe('invalid_target');
  });

  it('refuses a replayed authorization code and revokes what the first exchange issued', async () => {
    const pkce = createPkce();
    const code = (await signInForCode(pkce)).searchParams.get('code')!;
    const first = await exchangeCode(server.idp.issuer, { clientId: server.idp.appId, code, verifier: pkce.verifier });
    expect(first.status).toBe(200);
    const { refresh_token: refreshToken } = (await first.json()) as { refresh_token: string };

    const replay = await exchangeCode(server.idp.issuer, { clientId: server.idp.appId, code, verifier: pkce.verifier });
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: 'invalid_grant', code: 'oidc.invalid_grant' });

    const refresh = await fetch(`${server.idp.issuer}/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: server.idp.appId, refresh_token: refreshToken }),
    });
    expect(refresh.status).toBe(400);
  });

  it('refuses a code exchange with the wrong PKCE verifier', async () => {
    const code = (await signInForCode()).searchParams.get('code')!;
    const response = await exchangeCode(server.idp.issuer, { clientId: server.idp.appId, code, verifier: createPkce().verifier });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('issues a refresh token only with offline_access and prompt=consent, as Logto', async () => {
    const pkce = createPkce();
    const withoutConsent = await new HttpBrowser().signIn(
      authorizationUrl(server.idp.issuer, { client_id: server.idp.appId, prompt: undefined }, pkce),
      {
        email: 'noconsent@example.com',
        readCode: mailboxCodeReader(server.idp.endpoint),
      },
    );
    const code = new URL(withoutConsent.redirectedTo!).searchParams.get('code')!;
    const tokens = (await (
      await exchangeCode(server.idp.issuer, { clientId: server.idp.appId, code, verifier: pkce.verifier })
    ).json()) as Record<string, unknown>;
    expect(tokens['id_token']).toBeDefined();
    expect(tokens['refresh_token']).toBeUndefined();
  });

  describe('CORS', () => {
    it('answers the app origin on the token endpoint, preflight and request', async () => {
      const preflight = await fetch(`${server.idp.issuer}/token`, {
        method: 'OPTIONS',
        headers: { origin: appOrigin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
      expect(preflight.headers.get('access-control-allow-origin')).toBe(appOrigin);

      const pkce = createPkce();
      const code = (await signInForCode(pkce)).searchParams.get('code')!;
      const response = await exchangeCode(
        server.idp.issuer,
        { clientId: server.idp.appId, code, verifier: pkce.verifier },
        { origin: appOrigin },
      );
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe(appOrigin);
    });

    it('gives another origin no CORS headers on token, userinfo, discovery and JWKS', async () => {
      const preflight = await fetch(`${server.idp.issuer}/token`, {
        method: 'OPTIONS',
        headers: { origin: evilOrigin, 'access-control-request-method': 'POST' },
      });
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();

      const pkce = createPkce();
      const code = (await signInForCode(pkce)).searchParams.get('code')!;
      const token = await exchangeCode(
        server.idp.issuer,
        { clientId: server.idp.appId, code, verifier: pkce.verifier },
        { origin: evilOrigin },
      );
      expect(token.status).toBe(400);
      expect(token.headers.get('access-control-allow-origin')).toBeNull();
      expect(await token.json()).toMatchObject({ error: 'invalid_request' });

      for (const path of ['/me', '/.well-known/openid-configuration', '/jwks']) {
        const response = await fetch(`${server.idp.issuer}${path}`, { headers: { origin: evilOrigin } });
        expect(response.headers.get('access-control-allow-origin')).toBeNull();
      }
      const discovery = await fetch(`${server.idp.issuer}/.well-known/openid-configuration`, { headers: { origin: appOrigin } });
      expect(discovery.headers.get('access-control-allow-origin')).toBe(appOrigin);
    });
  });
});
