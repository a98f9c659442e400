/**
 * `npm run logto:setup` against the real open-source Logto server (run in-process, as
 * test/logto-setup/command.spec.ts does against the local server): dry run, apply, "Nothing to
 * change" with no write sent, drift repair (role, app, sign-in experience), another email
 * connector with and without --replace-email-connector, every error a person can cause (wrong
 * secret, unknown app id, an M2M app without the Management API role, an unreachable endpoint,
 * Aliyun refusing the key pair, the mail service unreachable from Logto), and the point of the
 * user role: a person who signs up afterwards gets read:books in the Bookstore API token and the
 * sample API answers; an existing user without the role gets it from
 * --assign-role-to-existing-users.
 *
 * Runs in `npm run test:logto` (which starts Logto); skipped with a note otherwise.
 */
import { createServer, type AddressInfo } from 'node:net';

import { afterAll, beforeAll, expect, jest } from '@jest/globals';
import { decodeJwt } from 'jose';

import type { FakeAliyunDm } from '../../dev-idp/fake-aliyun/server.ts';
import { codeIn } from '../../dev-idp/mail/aliyun-fixtures.ts';
import { sampleApiSettings } from '../../dev-idp/sample-api-main.ts';
import { startSampleApi } from '../../dev-idp/sample-api.ts';
import { createNodeLogtoClient } from '../support/node-logto-client.ts';
import { runSetup } from '../../scripts/logto-setup/run.ts';
import { ExperienceBrowser } from './support/experience-browser.ts';
import {
  aliyunTestKeys,
  describeWithRealLogto,
  managementApi,
  setupEnv,
  startLaneFakeAliyun,
  type RealLogto,
} from './support/real-logto.ts';
import { freshEmail } from './support/tenant.ts';

jest.setTimeout(120_000);

const bookstore = 'https://api.bookstore.local';
const roleName = 'Bookstore reader';

interface Sent {
  readonly method: string;
  readonly url: string;
}

describeWithRealLogto('npm run logto:setup against the real Logto server', (logto: RealLogto) => {
  let mail: FakeAliyunDm;
  let sent: Sent[] = [];
  const realFetch = globalThis.fetch;

  beforeAll(async () => {
    mail = await startLaneFakeAliyun(logto);
    // Every request the command sends, to prove "no write" from the outside.
    globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = input instanceof Request ? input : new Request(input, init);
      sent.push({ method: init?.method ?? request.method, url: request.url });
      return realFetch(input, init);
    }) as typeof fetch;
  });

  afterAll(async () => {
    globalThis.fetch = realFetch;
    await mail?.stop();
  });

  async function run(argv: string[], overrides: Record<string, string> = {}) {
    const out: string[] = [];
    const err: string[] = [];
    sent = [];
    const code = await runSetup(argv, {
      env: { ...process.env, ...setupEnv(logto), ...overrides },
      out: (line) => out.push(line),
      err: (line) => err.push(line),
    });
    const result = { code, out: out.join('\n'), err: err.join('\n') };
    for (const text of [result.out, result.err]) {
      expect(text).not.toMatch(/\n\s+at \S/);
      for (const secret of [logto.m2mAppSecret, aliyunTestKeys.secret]) expect(text).not.toContain(secret);
    }
    return result;
  }

  /** Requests that change the tenant (the token request and the connector test change nothing). */
  const writes = () =>
    sent.filter((request) => request.method !== 'GET' && !/\/oidc\/token$|\/api\/connectors\/[^/]+\/test$/.test(request.url));

  const api = <T>(method: string, path: string, body?: unknown) => managementApi<T>(logto, method, path, body);

  async function role(): Promise<{ id: string; isDefault: boolean }> {
    const roles = await api<{ id: string; name: string; isDefault: boolean }[]>('GET', '/api/roles?page_size=100');
    const found = roles.find((candidate) => candidate.name === roleName);
    if (!found) throw new Error(`no role "${roleName}"`);
    return found;
  }

  let appId: string;

  it('applies the repository state, then a second run prints "Nothing to change." and sends no write', async () => {
    const first = await run([]);
    expect(first.code).toBe(0);
    appId = /App id: (\w+)/.exec(first.out)?.[1] ?? '';
    expect(appId).not.toBe('');
    expect(first.out).toContain(`LOGTO_ENDPOINT=${logto.endpoint} LOGTO_APP_ID=${appId} npm start`);

    const second = await run([]);
    expect(second.code).toBe(0);
    expect(second.out).toContain('Nothing to change');
    expect(writes()).toEqual([]);
    // The user role exists, default, granting read:books on every resource.
    const reader = await role();
    expect(reader.isDefault).toBe(true);
    const scopes = await api<{ name: string; resource: { indicator: string } }[]>('GET', `/api/roles/${reader.id}/scopes`);
    expect(scopes.map((scope) => `${scope.resource.indicator} ${scope.name}`).sort()).toEqual(
      ['https://api.billing.local', bookstore, 'https://api.reviews.local'].map((indicator) => `${indicator} read:books`),
    );
  });

  it('plans the repair of a drifted tenant in a dry run without writing, then repairs it', async () => {
    const reader = await role();
    const scopes = await api<{ id: string; resource: { indicator: string } }[]>('GET', `/api/roles/${reader.id}/scopes`);
    const bookstoreScope = scopes.find((scope) => scope.resource.indicator === bookstore)!;
    await api('PATCH', `/api/roles/${reader.id}`, { isDefault: false });
    await api('DELETE', `/api/roles/${reader.id}/scopes/${bookstoreScope.id}`);
    await api('PATCH', `/api/applications/${appId}`, {
      oidcClientMetadata: { redirectUris: ['com.example.app://old'], postLogoutRedirectUris: [] },
    });
    await api('PATCH', '/api/sign-in-exp', { signInMode: 'SignIn' });

    const dry = await run(['--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.out).toContain(`~ update role "${roleName}" (${reader.id}): make it default (given to every new user)`);
    expect(dry.out).toContain(`+ grant role "${roleName}" (${reader.id}) read:books on ${bookstore}`);
    expect(dry.out).toContain(`redirect URIs, post sign-out redirect URIs`);
    expect(dry.out).toContain('~ update sign-in experience: sign-in mode');
    expect(dry.out).toContain('Dry run: nothing was changed.');
    expect(writes()).toEqual([]);

    const repair = await run([]);
    expect(repair.code).toBe(0);
    expect(repair.out).toMatch(/Done: 4 changes applied\./);
    expect((await role()).isDefault).toBe(true);
    expect((await run([])).out).toContain('Nothing to change');
  });

  it('gives a user created afterwards read:books in the Bookstore API token, which the sample API accepts', async () => {
    const email = freshEmail('newcomer');
    await api('POST', '/api/users', { primaryEmail: email });
    const token = await signIn(email);
    expect(decodeJwt(token)).toMatchObject({ aud: bookstore, iss: `${logto.endpoint}/oidc` });
    expect(String(decodeJwt(token)['scope']).split(' ')).toContain('read:books');

    // What `LOGTO_ENDPOINT=… npm start` runs beside the app: the sample API trusting this Logto.
    const sampleApi = await startSampleApi(sampleApiSettings({ LOGTO_ENDPOINT: logto.endpoint, SAMPLE_API_PORT: '0' }));
    try {
      const response = await realFetch(`${sampleApi.url}/bookshelf`, { headers: { Authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
    } finally {
      await sampleApi.stop();
    }
  });

  it('says how many existing users lack the role and gives it to them with --assign-role-to-existing-users (idempotent)', async () => {
    const reader = await role();
    const email = freshEmail('old-user');
    const user = await api<{ id: string }>('POST', '/api/users', { primaryEmail: email });
    // A user from before the role existed (or became default) holds no role.
    const held = await api<{ id: string }[]>('GET', `/api/users/${user.id}/roles`);
    expect(held.map((candidate) => candidate.id)).toContain(reader.id);
    await api('DELETE', `/api/users/${user.id}/roles/${reader.id}`);
    expect(String(decodeJwt(await signIn(email))['scope'] ?? '')).toBe('');

    const hint = await run([]);
    expect(hint.out).toMatch(new RegExp(`\\d+ existing users? of \\d+ lacks? the role "${roleName}".*--assign-role-to-existing-users`));
    expect(writes()).toEqual([]);

    const assigned = await run(['--assign-role-to-existing-users']);
    expect(assigned.err).toBe('');
    expect(assigned.code).toBe(0);
    expect(assigned.out).toMatch(new RegExp(`Gave the role "${roleName}" to \\d+ existing users?`));
    const roles = await api<{ name: string }[]>('GET', `/api/users/${user.id}/roles`);
    expect(roles.map((held) => held.name)).toContain(roleName);

    const again = await run(['--assign-role-to-existing-users']);
    expect(again.out).toMatch(new RegExp(`Every existing user \\(\\d+\\) has the role "${roleName}"`));
    expect(writes()).toEqual([]);
  });

  it('does not replace another email connector without --replace-email-connector, and does with it', async () => {
    const factories = await api<{ id: string }[]>('GET', '/api/connector-factories');
    if (!factories.some((factory) => factory.id === 'mock-email-service')) {
      throw new Error('the lane links Logto\'s mock email connector ("mock-email-service"): it is missing');
    }
    const other = await api<{ id: string }>('POST', '/api/connectors', {
      connectorId: 'mock-email-service',
      config: {
        apiKey: 'mock',
        fromEmail: 'noreply@logto.test.io',
        templates: ['SignIn', 'Register', 'ForgotPassword', 'Generic'].map((usageType) => ({
          usageType,
          type: 'text/plain',
          subject: `Mock ${usageType}`,
          content: `Your code is {{code}}.`,
        })),
      },
    });
    const refused = await run([]);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain(`+ replace email connector mock-email-service (${other.id}) with aliyun-direct-mail`);
    expect(refused.err).toContain(`already has an email connector, mock-email-service (${other.id})`);
    expect(refused.err).toContain('--replace-email-connector');
    expect(writes()).toEqual([]);

    const replaced = await run(['--replace-email-connector']);
    expect(replaced.code).toBe(0);
    const connectors = await api<{ connectorId: string; type: string }[]>('GET', '/api/connectors');
    expect(connectors.filter((connector) => connector.type === 'Email').map((connector) => connector.connectorId)).toEqual([
      'aliyun-direct-mail',
    ]);
    expect((await run([])).out).toContain('Nothing to change');
  });

  it('--send-test-email has Logto send the Generic test code through the connector', async () => {
    const before = mail.messages.length;
    const result = await run(['--send-test-email', 'tester@example.com']);
    expect(result.code).toBe(0);
    expect(result.out).toContain('Test email sent to tester@example.com');
    expect(mail.messages.length).toBe(before + 1);
    expect(codeIn(mail.messages.at(-1)!.html)).toBe('000000');
  });

  it('tests a new key pair before saving it: Aliyun refusing it leaves the working connector untouched', async () => {
    const result = await run(['--send-test-email', 'tester@example.com'], { ALIYUN_DM_ACCESS_KEY_SECRET: 'not-the-aliyun-secret' });
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^Aliyun DirectMail refused the test message \(SignatureDoesNotMatch\): Specified signature is not matched/);
    expect(result.err).toContain('Nothing was saved');
    expect(result.err).not.toContain('not-the-aliyun-secret');
    expect(writes()).toEqual([]);
    const connectors = await api<{ connectorId: string; config: { accessKeySecret?: string } }[]>('GET', '/api/connectors');
    expect(connectors.find((connector) => connector.connectorId === 'aliyun-direct-mail')?.config.accessKeySecret).toBe(
      aliyunTestKeys.secret,
    );
  });

  it('says the mail service could not be reached from the Logto server when the test cannot get out', async () => {
    await mail.stop();
    try {
      const result = await run(['--send-test-email', 'tester@example.com']);
      expect(result.code).toBe(1);
      expect(result.err).toContain(`The mail service (Aliyun DirectMail) could not be reached from the Logto server ${logto.endpoint}`);
      expect(result.err).not.toContain('Internal server error');
      expect(writes()).toEqual([]);
    } finally {
      mail = await startLaneFakeAliyun(logto);
    }
  });

  it('names the cause of each credentials problem', async () => {
    const wrongSecret = await run([], { LOGTO_M2M_APP_SECRET: 'not-the-m2m-secret' });
    expect(wrongSecret.code).toBe(1);
    expect(wrongSecret.err).toMatch(/\(401 invalid_client.*\): LOGTO_M2M_APP_SECRET is not the secret of/);
    expect(wrongSecret.err).not.toContain('not-the-m2m-secret');

    const unknownApp = await run([], { LOGTO_M2M_APP_ID: 'no-such-app' });
    expect(unknownApp.code).toBe(1);
    expect(unknownApp.err).toMatch(/does not know the app id no-such-app \(400 invalid_client\): check LOGTO_M2M_APP_ID/);

    const unknownResource = await run([], { LOGTO_MANAGEMENT_RESOURCE: 'https://nope.logto.app/api' });
    expect(unknownResource.code).toBe(1);
    expect(unknownResource.err).toMatch(/\(400 invalid_target\)\. Check LOGTO_MANAGEMENT_RESOURCE/);

    // A machine-to-machine app nobody gave the Management API role.
    const app = await api<{ id: string }>('POST', '/api/applications', { name: 'logto:setup lane (no role)', type: 'MachineToMachine' });
    try {
      const [secret] = await api<{ value: string }[]>('GET', `/api/applications/${app.id}/secrets`);
      const noRole = await run([], { LOGTO_M2M_APP_ID: app.id, LOGTO_M2M_APP_SECRET: secret!.value });
      expect(noRole.code).toBe(1);
      expect(noRole.err).toMatch(new RegExp(`^The M2M app ${app.id} lacks the Management API role \\(403\\)`));
      expect(noRole.err).not.toContain(secret!.value);
    } finally {
      await api('DELETE', `/api/applications/${app.id}`);
    }

    const closed = await closedPort();
    const unreachable = await run([], { LOGTO_ENDPOINT: `http://localhost:${closed}` });
    expect(unreachable.code).toBe(1);
    expect(unreachable.err).toMatch(new RegExp(`^Cannot reach LOGTO_ENDPOINT http://localhost:${closed}: the connection was refused`));
  });

  /** A port nothing listens on (a listener opened and closed again). */
  async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    return port;
  }

  /** Signs `email` in through Logto's Experience API (code by the fake DirectMail); answers the Bookstore API access token. */
  async function signIn(email: string): Promise<string> {
    let authUrl = '';
    const { client } = createNodeLogtoClient(
      { endpoint: logto.endpoint, appId, scopes: ['email', 'read:books'], resources: [bookstore] },
      (url) => {
        authUrl = url;
      },
    );
    await client.signIn({ redirectUri: 'com.example.app://callback' });
    const readCode = async (to: string) => {
      for (let attempt = 0; attempt < 50; attempt += 1) {
        const message = mail.messages.filter((candidate) => candidate.to === to).at(-1);
        const code = message && codeIn(message.html);
        if (code) return code;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`no code mailed to ${to}`);
    };
    const { redirectedTo } = await new ExperienceBrowser().signIn(authUrl, { email, readCode });
    if (!redirectedTo) throw new Error(`the sign-in of ${email} did not come back to the app`);
    await client.handleSignInCallback(redirectedTo);
    return client.getAccessToken(bookstore);
  }
});
