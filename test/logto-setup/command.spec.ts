/**
 * `npm run logto:setup` end to end against the local identity server on a free port, started as
 * a brand-new tenant (only an M2M app): the command's requests go through @logto/api to the
 * local Management API, which checks them with Logto's guards and applies them; the codes of
 * the sign-in afterwards go through the real Aliyun DM connector to the fake DirectMail
 * endpoint. Nothing here is a canned answer: a wrong body, token or role fails like Logto.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startIdentityServer, type RunningIdp } from '../../dev-idp/factory.ts';
import type { FakeAliyunDm } from '../../dev-idp/fake-aliyun/server.ts';
import { codeIn } from '../../dev-idp/mail/aliyun-fixtures.ts';
import { startFakeAliyunDm } from '../../dev-idp/fake-aliyun/server.ts';
import { HttpBrowser } from '../support/http-browser.ts';
import { createNodeLogtoClient } from '../support/node-logto-client.ts';
import { runSetup } from '../../scripts/logto-setup/run.ts';

const m2m = { id: 'setup-m2m', secret: 'm2m-secret-for-tests-only', managementApiAccess: true };
const noRole = { id: 'no-role-m2m', secret: 'another-secret-for-tests', managementApiAccess: false };
const aliyunKeys = { id: 'LTAI-setup-test', secret: 'aliyun-secret-for-tests-only' };
const signInUri = 'com.example.app://callback';

let fake: FakeAliyunDm;
let idp: RunningIdp;
let sender: string;

beforeAll(async () => {
  sender = (JSON.parse(await readFile(new URL('../../tenant/aliyun-dm.json', import.meta.url), 'utf8')) as { accountName: string })
    .accountName;
  fake = await startFakeAliyunDm({ accessKeys: { [aliyunKeys.id]: aliyunKeys.secret }, accounts: [sender] });
  idp = await startIdentityServer({ port: 0, tenant: 'empty', m2mApps: [m2m, noRole], connectorEndpoint: fake.url, log: () => undefined });
});

afterAll(async () => {
  await idp?.stop();
  await fake?.stop();
});

function environment(server: RunningIdp, overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return {
    LOGTO_ENDPOINT: server.endpoint,
    LOGTO_M2M_APP_ID: m2m.id,
    LOGTO_M2M_APP_SECRET: m2m.secret,
    LOGTO_MANAGEMENT_RESOURCE: server.management.resource,
    ALIYUN_DM_ACCESS_KEY_ID: aliyunKeys.id,
    ALIYUN_DM_ACCESS_KEY_SECRET: aliyunKeys.secret,
    ...overrides,
  };
}

async function run(argv: string[], env: NodeJS.ProcessEnv, tenantFile?: string): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runSetup(argv, {
    env,
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    ...(tenantFile ? { tenantFile } : {}),
  });
  const result = { code, out: out.join('\n'), err: err.join('\n') };
  // Whatever happened: no stack trace, no secret.
  for (const text of [result.out, result.err]) {
    expect(text).not.toMatch(/\n\s+at \S/);
    for (const secret of [m2m.secret, noRole.secret, aliyunKeys.secret]) expect(text).not.toContain(secret);
  }
  return result;
}

const writesOf = (server: RunningIdp, since = 0) => server.management.requests.slice(since).filter((request) => request.method !== 'GET');

describe('npm run logto:setup against the local identity server', () => {
  let appId: string;

  it('--dry-run on a new tenant prints the whole plan and writes nothing', async () => {
    // Before: the new tenant's sign-in experience (username + password) is not what the pages offer.
    expect((await fetch(`${idp.endpoint}/sign-in`)).status).toBe(409);

    const { code, out } = await run(['--dry-run'], environment(idp));
    expect(code).toBe(0);
    expect(out).toContain('Plan (');
    expect(out).toContain('+ create API resource "Bookstore API" (https://api.bookstore.local)');
    expect(out).toContain('+ add permission read:books to API resource https://api.bookstore.local');
    expect(out).toContain(
      '+ create user role "Bookstore reader" (default: given to every new user) granting read:books on https://api.bookstore.local, ' +
        'read:books on https://api.reviews.local, read:books on https://api.billing.local',
    );
    expect(out).toContain(
      '+ create Native application "Bookstore (Capacitor)" (2 redirect URIs, 2 post sign-out redirect URIs, refresh-token rotation on)',
    );
    expect(out).toContain(`+ create email connector aliyun-direct-mail (sender ${sender})`);
    expect(out).toContain('~ update sign-in experience: sign-up, sign-in methods');
    expect(out).toContain('Dry run: nothing was changed.');
    expect(idp.management.requests.length).toBeGreaterThan(0);
    expect(writesOf(idp)).toEqual([]);
  });

  it('creates everything on the first run and prints the app id and the command that runs the app', async () => {
    const { code, out } = await run([], environment(idp));
    expect(code).toBe(0);
    expect(out).toMatch(/✓ create Native application "Bookstore \(Capacitor\)"/);
    expect(out).toMatch(/Done: \d+ changes applied\./);
    appId = /App id: (\w+)/.exec(out)?.[1] ?? '';
    expect(appId).toMatch(/^[a-z0-9]{21}$/);
    expect(out).toContain(`  LOGTO_ENDPOINT=${idp.endpoint} LOGTO_APP_ID=${appId} npm start`);
    expect(writesOf(idp).map((request) => `${request.method} ${request.status}`)).not.toContainEqual(expect.stringMatching(/ [45]\d\d$/));
  });

  it('changes nothing on a second run, sending no write', async () => {
    const before = idp.management.requests.length;
    const { code, out } = await run([], environment(idp));
    expect(code).toBe(0);
    expect(out).toContain('Nothing to change');
    expect(out).toContain(`App id: ${appId}`);
    expect(writesOf(idp, before)).toEqual([]);
  });

  it('signs a person in with the printed app id, the code mailed through the configured connector', async () => {
    const email = 'first.reader@example.com';
    let authUrl = '';
    const { client } = createNodeLogtoClient(
      { endpoint: idp.endpoint, appId, scopes: ['email', 'read:books'], resources: ['https://api.bookstore.local'] },
      (url) => {
        authUrl = url;
      },
    );
    await client.signIn({ redirectUri: signInUri });
    const readCode = async (to: string) => {
      const mail = fake.messages.filter((message) => message.to === to).at(-1);
      return (mail && codeIn(mail.html)) ?? '';
    };
    const { redirectedTo } = await new HttpBrowser().signIn(authUrl, { email, readCode });
    await client.handleSignInCallback(redirectedTo ?? '');
    expect(await client.getIdTokenClaims()).toMatchObject({ aud: appId, email });
    // The SignIn template of tenant/aliyun-dm.json (the sign-in page's event picks it, new address
    // or not, as in Logto), sent as the configured sender.
    expect(fake.messages.at(-1)).toMatchObject({
      to: email,
      accountName: sender,
      subject: 'Your Bookstore sign-in code · 你的 Bookstore 登录验证码',
    });
    // The API resource and permission the command created are what the token carries.
    const token = await client.getAccessToken('https://api.bookstore.local');
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ aud: 'https://api.bookstore.local', client_id: appId });
    // Through the default role the command created: a newcomer's token carries read:books.
    expect(String(claims['scope']).split(' ')).toContain('read:books');
  });

  it('--send-test-email has Logto send a Generic test code through the connector', async () => {
    const { code, out } = await run(['--send-test-email', 'tester@example.com'], environment(idp));
    expect(code).toBe(0);
    expect(out).toContain('Test email sent to tester@example.com');
    expect(fake.messages.at(-1)).toMatchObject({
      to: 'tester@example.com',
      subject: 'Your Bookstore verification code · 你的 Bookstore 验证码',
    });
    expect(codeIn(fake.messages.at(-1)!.html)).toBe('000000');
  });

  it('--send-test-email tests a new key pair before saving it: Aliyun refusing it leaves the working connector as it was', async () => {
    const before = idp.management.requests.length;
    const { code, err } = await run(
      ['--send-test-email', 'tester@example.com'],
      environment(idp, { ALIYUN_DM_ACCESS_KEY_SECRET: 'not-the-aliyun-secret' }),
    );
    expect(code).toBe(1);
    expect(err).toMatch(/^Aliyun DirectMail refused the test message: .*SignatureDoesNotMatch/);
    expect(err).toContain('Nothing was saved: the tenant keeps the email connector it had.');
    expect(err).not.toContain('not-the-aliyun-secret');
    expect(writesOf(idp, before).map((request) => request.path)).toEqual(['/api/connectors/aliyun-direct-mail/test']);
    // The saved connector still has the working pair: with it, nothing is to change.
    expect((await run([], environment(idp))).out).toContain('Nothing to change');
  });

  it('--send-test-email says the mail service could not be reached from the Logto server (500 without a code)', async () => {
    const port = Number(new URL(fake.url).port);
    await fake.stop();
    try {
      const { code, err } = await run(['--send-test-email', 'tester@example.com'], environment(idp));
      expect(code).toBe(1);
      expect(err).toContain(`The mail service (Aliyun DirectMail) could not be reached from the Logto server ${idp.endpoint}`);
      expect(err).not.toContain('Internal server error');
    } finally {
      fake = await startFakeAliyunDm({ port, accessKeys: { [aliyunKeys.id]: aliyunKeys.secret }, accounts: [sender] });
    }
  });

  it('names a missing variable', async () => {
    const { code, err } = await run([], environment(idp, { LOGTO_M2M_APP_SECRET: undefined, ALIYUN_DM_ACCESS_KEY_ID: '' }));
    expect(code).toBe(1);
    expect(err).toContain('Missing environment variables: LOGTO_M2M_APP_SECRET, ALIYUN_DM_ACCESS_KEY_ID');
  });

  it('says when the endpoint cannot be reached', async () => {
    const stopped = await startIdentityServer({ port: 0, tenant: 'empty', log: () => undefined });
    await stopped.stop();
    const { code, err } = await run([], environment(stopped));
    expect(code).toBe(1);
    expect(err).toBe(
      `Cannot reach LOGTO_ENDPOINT ${stopped.endpoint}: the connection was refused (nothing listens there). Is the address right, and is the server up?`,
    );
  });

  it('says the M2M app secret is wrong on a 401 from the token endpoint', async () => {
    const { code, err } = await run([], environment(idp, { LOGTO_M2M_APP_SECRET: 'not-the-secret' }));
    expect(code).toBe(1);
    expect(err).toMatch(/refused the M2M app credentials \(401 invalid_client.*\): LOGTO_M2M_APP_SECRET is not the secret of setup-m2m/);
  });

  it('says the app id is unknown on a 400 invalid_client, and the Management API indicator on 400 invalid_target', async () => {
    const unknown = await run([], environment(idp, { LOGTO_M2M_APP_ID: 'no-such-app' }));
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/does not know the app id no-such-app \(400 invalid_client\): check LOGTO_M2M_APP_ID/);
    expect(unknown.err).not.toContain('LOGTO_MANAGEMENT_RESOURCE');

    const target = await run([], environment(idp, { LOGTO_MANAGEMENT_RESOURCE: 'https://tenant.logto.app/api' }));
    expect(target.code).toBe(1);
    expect(target.err).toMatch(
      /does not know the API resource https:\/\/tenant\.logto\.app\/api \(400 invalid_target\)\. Check LOGTO_MANAGEMENT_RESOURCE/,
    );
  });

  it('says which M2M app lacks the Management API role (403)', async () => {
    const before = idp.management.requests.length;
    const { code, err } = await run([], environment(idp, { LOGTO_M2M_APP_ID: noRole.id, LOGTO_M2M_APP_SECRET: noRole.secret }));
    expect(code).toBe(1);
    expect(err).toMatch(/^The M2M app no-role-m2m lacks the Management API role \(403\)/);
    // The local Management API itself refuses such a token with 403, as Logto does.
    expect(writesOf(idp, before)).toEqual([]);
  });

  it('names the field and template the connector guard rejects, before anything is sent', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'logto-setup-'));
    try {
      const config = JSON.parse(await readFile(new URL('../../tenant/aliyun-dm.json', import.meta.url), 'utf8')) as {
        templates: { usageType: string; content: string }[];
      };
      config.templates = config.templates
        .filter((template) => template.usageType !== 'ForgotPassword')
        .map((template) => (template.usageType === 'SignIn' ? { ...template, content: 'Your code is ready.' } : template));
      await writeFile(join(dir, 'aliyun-dm.json'), JSON.stringify(config));
      const tenant = JSON.parse(await readFile(new URL('../../tenant/tenant.json', import.meta.url), 'utf8')) as Record<string, unknown>;
      await writeFile(join(dir, 'tenant.json'), JSON.stringify(tenant));
      const before = idp.management.requests.length;
      const { code, err } = await run([], environment(idp), join(dir, 'tenant.json'));
      expect(code).toBe(1);
      expect(err).toContain('templates has no ForgotPassword template');
      expect(err).toContain('templates[usageType=SignIn].content must contain {{code}}');
      expect(err).toContain('Nothing was sent to Logto.');
      expect(idp.management.requests.length).toBe(before);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('does not replace another email connector without --replace-email-connector', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'logto-setup-tenant-'));
    // A tenant whose email connector is SendGrid (what the Console would have left there).
    await writeFile(
      join(dataDir, 'tenant.json'),
      JSON.stringify({
        version: 1,
        applications: [
          {
            ...m2m,
            name: 'setup',
            description: null,
            type: 'MachineToMachine',
            oidcClientMetadata: { redirectUris: [], postLogoutRedirectUris: [] },
            customClientMetadata: {},
            createdAt: 0,
          },
        ],
        resources: [],
        connectors: [{ id: 'sg1', connectorId: 'sendgrid-email-service', config: { apiKey: 'x' }, createdAt: 0 }],
        signInExperience: {
          signInMode: 'SignInAndRegister',
          signUp: { identifiers: ['email'], password: false, verify: true },
          signIn: { methods: [{ identifier: 'email', password: false, verificationCode: true, isPasswordPrimary: false }] },
          forgotPasswordMethods: [],
        },
      }),
    );
    const other = await startIdentityServer({ port: 0, dataDir, connectorEndpoint: fake.url, log: () => undefined });
    try {
      const refused = await run([], environment(other));
      expect(refused.code).toBe(1);
      expect(refused.out).toContain('+ replace email connector sendgrid-email-service (sg1) with aliyun-direct-mail');
      expect(refused.err).toContain('already has an email connector, sendgrid-email-service (sg1)');
      expect(refused.err).toContain('--replace-email-connector');
      expect(writesOf(other)).toEqual([]);

      const replaced = await run(['--replace-email-connector'], environment(other));
      expect(replaced.code).toBe(0);
      const again = await run([], environment(other));
      expect(again.out).toContain('Nothing to change');
    } finally {
      await other.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('keeps what it set up across a restart of the local server (the tenant lives in the data directory)', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'logto-setup-restart-'));
    try {
      const first = await startIdentityServer({
        port: 0,
        dataDir,
        tenant: 'empty',
        m2mApps: [m2m],
        connectorEndpoint: fake.url,
        log: () => undefined,
      });
      const setUp = await run([], environment(first));
      await first.stop();
      const second = await startIdentityServer({
        port: first.port,
        dataDir,
        tenant: 'empty',
        m2mApps: [m2m],
        connectorEndpoint: fake.url,
        log: () => undefined,
      });
      try {
        const again = await run([], environment(second));
        expect(again.out).toContain('Nothing to change');
        expect(/App id: (\w+)/.exec(again.out)?.[1]).toBe(/App id: (\w+)/.exec(setUp.out)?.[1]);
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('a run that lost the connection part-way is completed by the next run', async () => {
    const fresh = await startIdentityServer({
      port: 0,
      tenant: 'empty',
      m2mApps: [m2m],
      connectorEndpoint: fake.url,
      log: () => undefined,
    });
    const realFetch = globalThis.fetch;
    try {
      // The connection drops on the connector's creation: resources and the app are already there.
      globalThis.fetch = async (input, init) => {
        const request = new Request(input, init);
        if (request.method === 'POST' && new URL(request.url).pathname === '/api/connectors') {
          throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });
        }
        return realFetch(request);
      };
      const broken = await run([], environment(fresh));
      globalThis.fetch = realFetch;
      expect(broken.code).toBe(1);
      expect(broken.out).toMatch(/✓ create Native application/);
      expect(broken.err).toBe(
        `Lost ${fresh.endpoint} during POST /api/connectors: the connection was reset. Run the command again: it continues where it stopped.`,
      );

      const resumed = await run([], environment(fresh));
      expect(resumed.code).toBe(0);
      expect(resumed.out).toContain('+ create email connector aliyun-direct-mail');
      expect(resumed.out).not.toContain('create Native application');
      expect((await run([], environment(fresh))).out).toContain('Nothing to change');
    } finally {
      globalThis.fetch = realFetch;
      await fresh.stop();
    }
  });

  it('sets refresh-token rotation as the desired state says, and the server honours it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'logto-setup-rotation-'));
    const fresh = await startIdentityServer({
      port: 0,
      tenant: 'empty',
      m2mApps: [m2m],
      connectorEndpoint: fake.url,
      log: () => undefined,
    });
    try {
      const tenant = JSON.parse(await readFile(new URL('../../tenant/tenant.json', import.meta.url), 'utf8')) as {
        application: Record<string, unknown>;
      };
      tenant.application['rotateRefreshToken'] = false;
      await writeFile(join(dir, 'tenant.json'), JSON.stringify(tenant));
      await writeFile(join(dir, 'aliyun-dm.json'), await readFile(new URL('../../tenant/aliyun-dm.json', import.meta.url), 'utf8'));
      const { out } = await run([], environment(fresh), join(dir, 'tenant.json'));
      expect(out).toContain('refresh-token rotation off');
      const freshAppId = /App id: (\w+)/.exec(out)?.[1] ?? '';

      let authUrl = '';
      const { client } = createNodeLogtoClient(
        { endpoint: fresh.endpoint, appId: freshAppId, scopes: ['email'], resources: ['https://api.bookstore.local'] },
        (url) => {
          authUrl = url;
        },
      );
      await client.signIn({ redirectUri: signInUri });
      const readCode = async (to: string) => codeIn(fake.messages.filter((message) => message.to === to).at(-1)?.html ?? '') ?? '';
      const { redirectedTo } = await new HttpBrowser().signIn(authUrl, { email: 'no.rotation@example.com', readCode });
      await client.handleSignInCallback(redirectedTo ?? '');
      const before = await client.getRefreshToken();
      await client.getAccessToken('https://api.bookstore.local');
      expect(await client.getRefreshToken()).toBe(before);

      // Back to the repo's desired state (on): only the application changes, and rotation is back.
      const back = await run([], environment(fresh));
      expect(back.out).toMatch(/~ update application .*: refresh-token rotation → on/);
    } finally {
      await fresh.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('explains itself with --help', async () => {
    const { code, out } = await run(['--help'], {});
    expect(code).toBe(0);
    for (const word of [
      '--dry-run',
      '--replace-email-connector',
      '--send-test-email',
      'LOGTO_MANAGEMENT_RESOURCE',
      'https://default.logto.app/api',
    ]) {
      expect(out).toContain(word);
    }
  });
});
