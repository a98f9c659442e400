import { jest } from '@jest/globals';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startIdentityServer, type IdpOptions, type RunningIdp } from './factory.ts';
import { HttpBrowser, mailboxCodeReader } from '../test/support/http-browser.ts';
import { createNodeLogtoClient } from '../test/support/node-logto-client.ts';

const bookstore = 'https://api.bookstore.local';

describe('restarting the identity server', () => {
  let dataDir: string;
  let idp: RunningIdp | undefined;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'dev-idp-'));
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await idp?.stop();
    idp = undefined;
    await rm(dataDir, { recursive: true, force: true });
  });

  async function restart(options: IdpOptions): Promise<RunningIdp> {
    const port = idp?.port ?? 0;
    await idp?.stop();
    idp = await startIdentityServer({ log: () => undefined, ...options, port });
    return idp;
  }

  async function signIn(server: RunningIdp, email: string, browser = new HttpBrowser()) {
    const navigations: string[] = [];
    const { client } = createNodeLogtoClient(
      { endpoint: server.endpoint, appId: server.appId, scopes: ['email', 'read:books'], resources: [bookstore] },
      (url) => {
        navigations.push(url);
      },
    );
    await client.signIn('com.example.app://callback');
    const result = await browser.signIn(navigations[0]!, { email, readCode: mailboxCodeReader(server.endpoint) });
    await client.handleSignInCallback(result.redirectedTo!);
    return { client, browser };
  }

  it('keeps users, signing keys, refresh tokens and browser sessions with a data directory', async () => {
    const first = await restart({ dataDir });
    const { client, browser } = await signIn(first, 'kept@example.com');
    const subject = (await client.getIdTokenClaims()).sub;
    const { keys: keysBefore } = (await (await fetch(`${first.issuer}/jwks`)).json()) as { keys: { kid: string }[] };
    expect((await readdir(dataDir)).sort()).toEqual(['keys.json', 'oidc-store.json', 'tenant.json', 'users.json']);

    const second = await restart({ dataDir });
    expect(second.issuer).toBe(first.issuer);
    const { keys: keysAfter } = (await (await fetch(`${second.issuer}/jwks`)).json()) as { keys: { kid: string }[] };
    expect(keysAfter.map((key) => key.kid)).toEqual(keysBefore.map((key) => key.kid));

    // The refresh token issued before the restart still works (and the new ID token verifies).
    const accessToken = await client.getAccessToken(bookstore);
    expect(accessToken).toBeTruthy();
    expect(second.counters.refreshGrants).toBe(1);

    // The browser session survived: signing in again needs no email.
    const again = await signIn(second, 'kept@example.com', browser);
    expect((await again.client.getIdTokenClaims()).sub).toBe(subject);
    expect(second.mailbox.all()).toEqual([]);

    // The user survived: a fresh browser gets a SignIn code, not a Register one.
    const fresh = await signIn(second, 'kept@example.com');
    expect((await fresh.client.getIdTokenClaims()).sub).toBe(subject);
    expect(second.mailbox.all()[0]?.usageType).toBe('SignIn');
  });

  it('forgets everything without a data directory', async () => {
    const first = await restart({});
    const { client } = await signIn(first, 'forgotten@example.com');
    await restart({});
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    await expect(client.getAccessToken(bookstore)).rejects.toMatchObject({ code: 'oidc.invalid_grant' });
  });
});
