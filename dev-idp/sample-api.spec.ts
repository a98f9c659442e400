import { generateKeyPair, SignJWT, decodeJwt } from 'jose';
import { startIdentityServer, type RunningIdp } from './factory.ts';
import { sampleApiSettings, SampleApiSettingsError } from './sample-api-main.ts';
import { startSampleApi, type RunningSampleApi } from './sample-api.ts';
import { HttpBrowser, mailboxCodeReader } from '../test/support/http-browser.ts';
import { createNodeLogtoClient } from '../test/support/node-logto-client.ts';

const bookstore = 'https://api.bookstore.local';
const appOrigin = 'http://localhost:8100';

describe('the sample protected API', () => {
  let idp: RunningIdp;
  let api: RunningSampleApi;

  beforeAll(async () => {
    idp = await startIdentityServer({ port: 0, log: () => undefined, ttl: { accessToken: 2 } });
    api = await startSampleApi({ port: 0, issuer: idp.issuer });
  });

  afterAll(async () => {
    await api?.stop();
    await idp?.stop();
  });

  async function signedInClient(email: string) {
    const navigations: string[] = [];
    const { client } = createNodeLogtoClient(
      {
        endpoint: idp.endpoint,
        appId: idp.appId,
        scopes: ['email', 'read:books'],
        resources: [bookstore, 'https://api.reviews.local', 'https://api.billing.local'],
      },
      (url) => {
        navigations.push(url);
      },
    );
    await client.signIn('com.example.app://callback');
    const { redirectedTo } = await new HttpBrowser().signIn(navigations[0]!, { email, readCode: mailboxCodeReader(idp.endpoint) });
    await client.handleSignInCallback(redirectedTo!);
    return client;
  }

  function bookshelf(token?: string, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${api.url}/bookshelf`, { headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  }

  async function expectChallenge(response: Response, status: number, error: string, description: RegExp): Promise<void> {
    expect(response.status).toBe(status);
    const challenge = response.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(new RegExp(`^Bearer .*error="${error}"`));
    expect(challenge).toMatch(description);
    expect(await response.json()).toMatchObject({ error });
  }

  it("returns each person's own bookshelf for a valid token", async () => {
    const alice = await (await signedInClient('alice@example.com')).getAccessToken(bookstore);
    const bob = await (await signedInClient('bob@example.com')).getAccessToken(bookstore);
    const aliceShelf = (await (await bookshelf(alice)).json()) as { owner: string; books: { id: string }[] };
    const bobShelf = (await (await bookshelf(bob)).json()) as { owner: string; books: { id: string }[] };
    expect(aliceShelf.owner).toBe(decodeJwt(alice).sub);
    expect(bobShelf.owner).toBe(decodeJwt(bob).sub);
    expect(aliceShelf.owner).not.toBe(bobShelf.owner);
  });

  it("started for an endpoint (what npm start runs beside a real Logto) trusts that server's tokens: issuer /oidc, its JWKS, the Bookstore audience", async () => {
    const settings = sampleApiSettings({ LOGTO_ENDPOINT: `${idp.endpoint}/`, SAMPLE_API_PORT: '0' });
    expect(settings).toMatchObject({ issuer: idp.issuer, jwksUri: `${idp.issuer}/jwks`, resource: bookstore, port: 0 });
    const token = await (await signedInClient('endpoint@example.com')).getAccessToken(bookstore);
    const own = await startSampleApi(settings);
    try {
      const response = await fetch(`${own.url}/bookshelf`, { headers: { Authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
    } finally {
      await own.stop();
    }
    const other = await startSampleApi(
      sampleApiSettings({
        LOGTO_ENDPOINT: 'http://localhost:1',
        SAMPLE_API_JWKS_URI: `${idp.issuer}/jwks`,
        SAMPLE_API_PORT: '0',
      }),
    );
    try {
      expect((await fetch(`${other.url}/bookshelf`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(401);
    } finally {
      await other.stop();
    }
    expect(() => sampleApiSettings({})).toThrow(SampleApiSettingsError);
    expect(() => sampleApiSettings({ LOGTO_ENDPOINT: 'x', SAMPLE_API_JWKS_URI: 'not a url' })).toThrow(/not a URL/);
  });

  it('refuses a request without a token', async () => {
    await expectChallenge(await bookshelf(), 401, 'invalid_token', /Missing bearer access token/);
  });

  it('refuses a token for another API resource (wrong audience)', async () => {
    const client = await signedInClient('audience@example.com');
    const reviewsToken = await client.getAccessToken('https://api.reviews.local');
    expect(decodeJwt(reviewsToken).aud).toBe('https://api.reviews.local');
    await expectChallenge(await bookshelf(reviewsToken), 401, 'invalid_token', /wrong audience/);
  });

  it('refuses the opaque userinfo token', async () => {
    const client = await signedInClient('opaque@example.com');
    await expectChallenge(await bookshelf(await client.getAccessToken()), 401, 'invalid_token', /malformed/);
  });

  it('refuses a forged token signed by another key', async () => {
    const real = decodeJwt(await (await signedInClient('forger@example.com')).getAccessToken(bookstore));
    const { privateKey } = await generateKeyPair('ES384');
    const forged = await new SignJWT({ ...real }).setProtectedHeader({ alg: 'ES384', typ: 'at+jwt', kid: 'forged' }).sign(privateKey);
    await expectChallenge(await bookshelf(forged), 401, 'invalid_token', /not signed by a key of the identity server/);
  });

  it('refuses a tampered token', async () => {
    const token = await (await signedInClient('tamper@example.com')).getAccessToken(bookstore);
    const [header, , signature] = token.split('.');
    const payload = Buffer.from(JSON.stringify({ ...decodeJwt(token), sub: 'someone-else' })).toString('base64url');
    await expectChallenge(await bookshelf(`${header}.${payload}.${signature}`), 401, 'invalid_token', /signature does not verify/);
  });

  it('refuses an expired token', async () => {
    const token = await (await signedInClient('late@example.com')).getAccessToken(bookstore);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    await expectChallenge(await bookshelf(token), 401, 'invalid_token', /expired/);
  });

  it('answers 403 insufficient_scope for a token without read:books', async () => {
    const navigations: string[] = [];
    const { client } = createNodeLogtoClient(
      { endpoint: idp.endpoint, appId: idp.appId, scopes: ['email'], resources: [bookstore] },
      (url) => {
        navigations.push(url);
      },
    );
    await client.signIn('com.example.app://callback');
    const { redirectedTo } = await new HttpBrowser().signIn(navigations[0]!, {
      email: 'noscope@example.com',
      readCode: mailboxCodeReader(idp.endpoint),
    });
    await client.handleSignInCallback(redirectedTo!);
    const token = await client.getAccessToken(bookstore);
    await expectChallenge(await bookshelf(token), 403, 'insufficient_scope', /scope="read:books"/);
  });

  it('allows the app origins by CORS and exposes the challenge header; refuses others', async () => {
    const preflight = await fetch(`${api.url}/bookshelf`, {
      method: 'OPTIONS',
      headers: { origin: appOrigin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(appOrigin);
    expect(preflight.headers.get('access-control-allow-headers')).toBe('authorization');

    const denied = await bookshelf(undefined, { origin: appOrigin });
    expect(denied.headers.get('access-control-allow-origin')).toBe(appOrigin);
    expect(denied.headers.get('access-control-expose-headers')).toContain('WWW-Authenticate');

    const evil = await bookshelf(undefined, { origin: 'https://evil.example' });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers 503 (not 401) while the identity server key set is unreachable', async () => {
    const isolated = await startSampleApi({ port: 0, issuer: idp.issuer });
    try {
      const token = await (await signedInClient('jwksdown@example.com')).getAccessToken(bookstore);
      idp.faults.set('jwks', 'error500');
      const response = await fetch(`${isolated.url}/bookshelf`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(503);
      idp.faults.clear();
      const recovered = await fetch(`${isolated.url}/bookshelf`, { headers: { authorization: `Bearer ${token}` } });
      expect(recovered.status).toBe(200);
    } finally {
      idp.faults.clear();
      await isolated.stop();
    }
  });
});
