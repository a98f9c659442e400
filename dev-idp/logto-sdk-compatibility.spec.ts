import { jest } from '@jest/globals';
import { Prompt } from '@logto/client';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { startIdentityServer, type RunningIdp } from './factory.ts';
import { loadIdentityConfig } from './identity-config.ts';
import { refreshTokenReuseSeconds } from './oidc/model-store.ts';
import { startSampleApi, type RunningSampleApi } from './sample-api.ts';
import { HttpBrowser, mailboxCodeReader } from '../test/support/http-browser.ts';
import { createNodeLogtoClient } from '../test/support/node-logto-client.ts';

const config = loadIdentityConfig();
const bookstore = 'https://api.bookstore.local';
const signInUri = config.redirectUris.native.signIn;
const signOutUri = config.redirectUris.native.signOut;

describe('the real Logto SDK against the local identity server', () => {
  let idp: RunningIdp;
  let api: RunningSampleApi;

  beforeAll(async () => {
    // A returning person signs in again within seconds: no 60 s between their codes here.
    idp = await startIdentityServer({ port: 0, log: () => undefined, codeLimits: { resendCooldownSeconds: 0 } });
    api = await startSampleApi({ port: 0, issuer: idp.issuer });
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  afterAll(async () => {
    await api?.stop();
    await idp?.stop();
  });

  function newApp() {
    const navigations: string[] = [];
    const { client } = createNodeLogtoClient(
      {
        endpoint: idp.endpoint,
        appId: idp.appId,
        scopes: [...config.scopes],
        resources: [...config.resources],
      },
      (url) => {
        navigations.push(url);
      },
    );
    return { client, navigations };
  }

  it('signs a new person up by email code, then serves userinfo, a rotated resource token, the API and sign-out', async () => {
    const email = 'Reader.One@Example.com';
    const { client, navigations } = newApp();
    const browser = new HttpBrowser();

    await client.signIn(signInUri);
    const signIn = await browser.signIn(navigations[0]!, { email, readCode: mailboxCodeReader(idp.endpoint) });
    expect(signIn.redirectedTo).toMatch(/^com\.example\.app:\/\/callback\?code=/);

    await client.handleSignInCallback(signIn.redirectedTo!);
    expect(await client.isAuthenticated()).toBe(true);
    // Through the sign-in page a new address gets the SignIn mail, as in Logto (the event picks the template).
    expect(idp.mailbox.all()[0]).toMatchObject({ to: 'reader.one@example.com', usageType: 'SignIn' });

    const claims = await client.getIdTokenClaims();
    expect(claims).toMatchObject({ iss: idp.issuer, aud: idp.appId, email: 'reader.one@example.com', email_verified: true });
    expect(claims.sub).toMatch(/^[a-z0-9]{12}$/);

    const userInfo = await client.fetchUserInfo();
    expect(userInfo).toMatchObject({ sub: claims.sub, email: 'reader.one@example.com', email_verified: true, username: null });

    const firstRefreshToken = await client.getRefreshToken();
    expect(firstRefreshToken).toBeTruthy();
    const accessToken = await client.getAccessToken(bookstore);
    const secondRefreshToken = await client.getRefreshToken();
    expect(secondRefreshToken).toBeTruthy();
    expect(secondRefreshToken).not.toBe(firstRefreshToken);
    expect(decodeProtectedHeader(accessToken)).toMatchObject({ alg: 'ES384', typ: 'at+jwt' });
    expect(decodeJwt(accessToken)).toMatchObject({ aud: bookstore, sub: claims.sub, client_id: idp.appId, iss: idp.issuer });
    expect(String(decodeJwt(accessToken)['scope']).split(' ')).toContain('read:books');

    const shelf = await fetch(`${api.url}/bookshelf`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(shelf.status).toBe(200);
    const body = (await shelf.json()) as { owner: string; books: unknown[] };
    expect(body.owner).toBe(claims.sub);
    expect(body.books).toHaveLength(3);

    expect(idp.counters).toMatchObject({ authorizationCodeGrants: 1, refreshGrants: 1, revocations: 0 });

    await client.signOut(signOutUri);
    expect(idp.counters.revocations).toBe(1);
    const signOut = await browser.follow(navigations[1]!);
    expect(signOut.redirectedTo).toBe(signOutUri);
    expect(await client.isAuthenticated()).toBe(false);

    // Revoked server-side: neither the current nor the rotated-away refresh token works.
    for (const token of [firstRefreshToken, secondRefreshToken]) {
      const refresh = await fetch(`${idp.issuer}/token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'refresh_token', client_id: idp.appId, refresh_token: token! }),
      });
      expect(refresh.status).toBe(400);
      expect(await refresh.json()).toMatchObject({ error: 'invalid_grant', code: 'oidc.invalid_grant' });
    }

    // The browser session ended too: the next sign-in asks for the email again.
    const again = newApp();
    await again.client.signIn(signInUri);
    const page = await browser.signIn(again.navigations[0]!, { email, readCode: mailboxCodeReader(idp.endpoint), stopAt: 'email' });
    expect(page.redirectedTo).toBeNull();
    expect(page.lastPageText).toContain('Continue with email');
  });

  it('signs a known person in with a SignIn code and the same subject', async () => {
    const email = 'returning@example.com';
    const first = newApp();
    await first.client.signIn(signInUri);
    const registered = await new HttpBrowser().signIn(first.navigations[0]!, { email, readCode: mailboxCodeReader(idp.endpoint) });
    await first.client.handleSignInCallback(registered.redirectedTo!);

    const second = newApp();
    await second.client.signIn(signInUri);
    const signedIn = await new HttpBrowser().signIn(second.navigations[0]!, { email, readCode: mailboxCodeReader(idp.endpoint) });
    await second.client.handleSignInCallback(signedIn.redirectedTo!);

    expect(
      idp.mailbox
        .all()
        .filter((record) => record.to === email)
        .map((record) => record.usageType),
    ).toEqual(['SignIn', 'SignIn']);
    expect((await second.client.getIdTokenClaims()).sub).toBe((await first.client.getIdTokenClaims()).sub);
  });

  it('rejects a refresh token rotated away more than 3 s ago, ending that grant (reuse detection after Logto’s leeway)', async () => {
    const { client, navigations } = newApp();
    await client.signIn(signInUri);
    const { redirectedTo } = await new HttpBrowser().signIn(navigations[0]!, {
      email: 'rotation@example.com',
      readCode: mailboxCodeReader(idp.endpoint),
    });
    await client.handleSignInCallback(redirectedTo!);
    const original = await client.getRefreshToken();
    await client.getAccessToken(bookstore);

    // Within 3 s of the rotation Logto (and this server) would still answer it: wait them out.
    await new Promise((resolve) => setTimeout(resolve, (refreshTokenReuseSeconds + 0.3) * 1000));
    const replay = await fetch(`${idp.issuer}/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: idp.appId, refresh_token: original!, resource: bookstore }),
    });
    expect(replay.status).toBe(400);
    jest.spyOn(console, 'error').mockImplementation(() => undefined); // the SDK logs the refused request
    await expect(client.getAccessToken('https://api.reviews.local')).rejects.toMatchObject({ code: 'oidc.invalid_grant' });
  });

  it('asks for an email again with prompt=login consent while the browser session lives, and the new person gets a refresh token', async () => {
    const browser = new HttpBrowser();
    const readCode = mailboxCodeReader(idp.endpoint);
    const first = newApp();
    await first.client.signIn(signInUri);
    await first.client.handleSignInCallback(
      (await browser.signIn(first.navigations[0]!, { email: 'before@example.com', readCode })).redirectedTo!,
    );
    const before = await first.client.getIdTokenClaims();
    const beforeRefreshToken = await first.client.getRefreshToken();

    // The SDK's default (prompt=consent): the live session answers at once, whatever the hint.
    const reused = newApp();
    await reused.client.signIn({ redirectUri: signInUri, loginHint: 'after@example.com', clearTokens: false });
    const silent = await browser.signIn(reused.navigations[0]!, { email: 'after@example.com', readCode, stopAt: 'email' });
    expect(silent.redirectedTo).toMatch(/^com\.example\.app:\/\/callback\?code=/);
    await reused.client.handleSignInCallback(silent.redirectedTo!);
    expect((await reused.client.getIdTokenClaims()).sub).toBe(before.sub);

    const switched = newApp();
    await switched.client.signIn({ redirectUri: signInUri, loginHint: 'after@example.com', prompt: [Prompt.Login, Prompt.Consent] });
    expect(new URL(switched.navigations[0]!).searchParams.get('prompt')).toBe('login consent');
    const page = await browser.signIn(switched.navigations[0]!, { email: 'after@example.com', readCode, stopAt: 'email' });
    expect(page.redirectedTo).toBeNull();
    expect(page.lastPageText).toContain('Continue with email');
    const { redirectedTo } = await browser.signIn(switched.navigations[0]!, { email: 'after@example.com', readCode });
    await switched.client.handleSignInCallback(redirectedTo!);

    const after = await switched.client.getIdTokenClaims();
    expect(after).toMatchObject({ email: 'after@example.com' });
    expect(after.sub).not.toBe(before.sub);
    expect(await switched.client.getRefreshToken()).toBeTruthy();
    expect(decodeJwt(await switched.client.getAccessToken(bookstore))).toMatchObject({ aud: bookstore, sub: after.sub });

    // Another account signing in ends the previous browser session, but not its offline grant
    // (oidc-provider keeps offline_access grants through a logout): the old refresh token still works.
    const refresh = await fetch(`${idp.issuer}/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: idp.appId, refresh_token: beforeRefreshToken! }),
    });
    expect(refresh.status).toBe(200);
  });

  it('releases email claims only when the app asks for the email scope', async () => {
    const navigations: string[] = [];
    const { client } = createNodeLogtoClient({ endpoint: idp.endpoint, appId: idp.appId, scopes: [] }, (url) => {
      navigations.push(url);
    });
    await client.signIn(signInUri);
    const { redirectedTo } = await new HttpBrowser().signIn(navigations[0]!, {
      email: 'private@example.com',
      readCode: mailboxCodeReader(idp.endpoint),
    });
    await client.handleSignInCallback(redirectedTo!);
    const userInfo = await client.fetchUserInfo();
    expect(userInfo).toHaveProperty('username', null);
    expect(userInfo).not.toHaveProperty('email');
    expect(await client.getIdTokenClaims()).not.toHaveProperty('email');
  });

  it('ends the session on a page of its own when the app gives no post-logout URI', async () => {
    const { client, navigations } = newApp();
    const browser = new HttpBrowser();
    await client.signIn(signInUri);
    const { redirectedTo } = await browser.signIn(navigations[0]!, {
      email: 'plain-signout@example.com',
      readCode: mailboxCodeReader(idp.endpoint),
    });
    await client.handleSignInCallback(redirectedTo!);
    await client.signOut();
    expect(await browser.follow(navigations[1]!)).toEqual({ redirectedTo: null, status: 200 });
    const page = await browser.open(`${idp.issuer}/session/end/success`);
    expect(page.text).toContain('You are signed out');
  });

  it('keeps sign-in working when the app asks for the organizations scope', async () => {
    const navigations: string[] = [];
    const { client } = createNodeLogtoClient(
      { endpoint: idp.endpoint, appId: idp.appId, scopes: ['email', 'urn:logto:scope:organizations'], resources: [bookstore] },
      (url) => {
        navigations.push(url);
      },
    );
    await client.signIn(signInUri);
    expect(new URL(navigations[0]!).searchParams.getAll('resource')).toContain('urn:logto:resource:organizations');
    const { redirectedTo } = await new HttpBrowser().signIn(navigations[0]!, {
      email: 'orgs@example.com',
      readCode: mailboxCodeReader(idp.endpoint),
    });
    await client.handleSignInCallback(redirectedTo!);
    expect(await client.getIdTokenClaims()).toMatchObject({ organizations: [] });
  });
});
