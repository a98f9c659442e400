/**
 * The email sign-in experience with a password added: `npm run logto:setup` with
 * `password: true` in the desired state turns it on in the local server's tenant, whose pages then
 * offer "Create a password" at sign-up, password sign-in, and "Forgot password" — every code
 * mailed through the real Aliyun DM connector to the fake DirectMail endpoint. Together with the
 * command's --send-test-email (Generic), every template of the connector config is exercised.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startIdentityServer, type RunningIdp } from '../../dev-idp/factory.ts';
import { startFakeAliyunDm, type FakeAliyunDm } from '../../dev-idp/fake-aliyun/server.ts';
import { codeIn } from '../../dev-idp/mail/aliyun-fixtures.ts';
import { HttpBrowser, type BrowserPage } from '../support/http-browser.ts';
import { managementToken } from '../support/management-token.ts';
import { createNodeLogtoClient } from '../support/node-logto-client.ts';
import { runSetupAgainst } from './support/run-setup.ts';

const m2m = { id: 'setup-m2m', secret: 'm2m-secret-for-tests-only', managementApiAccess: true };
const keys = { id: 'LTAI-password-test', secret: 'aliyun-secret-for-tests-only' };
const signInUri = 'com.example.app://callback';
const strongPassword = 'Correct-Horse-Battery-42';

let fake: FakeAliyunDm;
let idp: RunningIdp;
let dir: string;
let appId: string;

async function setup(tenantFile?: string, argv: string[] = []): Promise<string> {
  const { code, out, err } = await runSetupAgainst(
    argv,
    { endpoint: idp.endpoint, m2m, managementResource: idp.management.resource, aliyunKey: keys },
    tenantFile,
  );
  expect(err).toEqual([]);
  expect(code).toBe(0);
  return out.join('\n');
}

beforeAll(async () => {
  const repoConfig = await readFile(new URL('../../tenant/aliyun-dm.json', import.meta.url), 'utf8');
  const sender = (JSON.parse(repoConfig) as { accountName: string }).accountName;
  fake = await startFakeAliyunDm({ accessKeys: { [keys.id]: keys.secret }, accounts: [sender] });
  idp = await startIdentityServer({
    port: 0,
    tenant: 'empty',
    m2mApps: [m2m],
    connectorEndpoint: fake.url,
    codeLimits: { resendCooldownSeconds: 0 },
    log: () => undefined,
  });
  // The repo's desired state with a password (what a team that wants passwords commits).
  dir = await mkdtemp(join(tmpdir(), 'password-tenant-'));
  const tenant = JSON.parse(await readFile(new URL('../../tenant/tenant.json', import.meta.url), 'utf8')) as {
    signInExperience: Record<string, unknown>;
  };
  tenant.signInExperience['password'] = true;
  await writeFile(join(dir, 'tenant.json'), JSON.stringify(tenant));
  await writeFile(join(dir, 'aliyun-dm.json'), repoConfig);
  const out = await setup(join(dir, 'tenant.json'));
  expect(out).toContain('~ update sign-in experience');
  appId = /App id: (\w+)/.exec(out)?.[1] ?? '';
});

afterAll(async () => {
  await idp?.stop();
  await fake?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The app starts a sign-in; the person's browser opens the first page. */
async function startSignIn(browser = new HttpBrowser()) {
  let authUrl = '';
  const { client } = createNodeLogtoClient({ endpoint: idp.endpoint, appId, scopes: ['email'] }, (url) => {
    authUrl = url;
  });
  await client.signIn({ redirectUri: signInUri });
  const page = await browser.open(authUrl);
  return { client, browser, page };
}

function newestMail(to: string) {
  const mail = fake.messages.filter((message) => message.to === to).at(-1);
  if (!mail) throw new Error(`DirectMail received nothing for ${to}`);
  return { subject: mail.subject, code: codeIn(mail.html) ?? '' };
}

async function finish(client: ReturnType<typeof createNodeLogtoClient>['client'], page: BrowserPage): Promise<string> {
  expect(page.redirectedTo).toMatch(/^com\.example\.app:\/\/callback\?/);
  await client.handleSignInCallback(page.redirectedTo ?? '');
  return String((await client.getIdTokenClaims()).email);
}

async function register(email: string, password: string): Promise<void> {
  const { client, browser } = await startSignIn();
  let page = await browser.open(`${idp.endpoint}/register`);
  page = await browser.submit(page, 'email', { email });
  page = await browser.submit(page, 'code', { code: newestMail(email).code });
  page = await browser.submit(page, 'password', { password });
  expect(await finish(client, page)).toBe(email);
}

describe('password sign-up, sign-in and reset when the sign-in experience enables a password', () => {
  it('opens on the password page, and signs up with a Register code, then "Create a password" (Logto\'s policy)', async () => {
    const email = 'new.reader@example.com';
    const { client, browser, page: first } = await startSignIn();
    expect(new URL(first.url).pathname).toBe('/password/sign-in');
    expect(first.text).toContain('Forgot password?');
    expect(first.text).toContain('Sign in with a code instead');

    let page = await browser.open(`${idp.endpoint}/register`);
    page = await browser.submit(page, 'email', { email });
    expect(newestMail(email).subject).toBe('Your Bookstore sign-up code · 你的 Bookstore 注册验证码');
    page = await browser.submit(page, 'code', { code: newestMail(email).code });
    expect(page.text).toContain('Create a password');

    page = await browser.submit(page, 'password', { password: 'abc123' });
    expect(page.status).toBe(400);
    expect(page.text).toContain('Use at least 8 characters.');
    page = await browser.submit(page, 'password', { password: strongPassword });
    expect(await finish(client, page)).toBe(email);
  });

  it('signs in with email and password, no code sent', async () => {
    const sentBefore = fake.messages.length;
    const { client, browser, page } = await startSignIn();
    const done = await browser.submit(page, 'password', { email: 'new.reader@example.com', password: strongPassword });
    expect(await finish(client, done)).toBe('new.reader@example.com');
    expect(fake.messages.length).toBe(sentBefore);
  });

  it('counts wrong passwords per address with the limits of codes: the 10th locks the address', async () => {
    const email = 'locked.reader@example.com';
    await register(email, strongPassword);
    const { browser, page: first } = await startSignIn();
    let page = first;
    for (let attempt = 1; attempt <= 9; attempt += 1) {
      page = await browser.submit(page, 'password', { email, password: `Wrong-Guess-${attempt}x` });
      expect(page.status).toBe(400);
    }
    expect(page.text).toContain('(1 attempt left)');
    page = await browser.submit(page, 'password', { email, password: 'Wrong-Guess-10x' });
    expect(page.status).toBe(429);
    expect(page.text).toContain('Too many wrong attempts for this email address');
    // Locked: even the right password is refused now.
    page = await browser.submit(page, 'password', { email, password: strongPassword });
    expect(page.status).toBe(429);
  });

  it('resets a forgotten password with a ForgotPassword code; the old password stops working', async () => {
    const email = 'forgetful.reader@example.com';
    await register(email, strongPassword);
    const newPassword = 'Another-Sturdy-Phrase-77';

    const { client, browser, page: first } = await startSignIn();
    let page = await browser.open(new URL('/reset-password', first.url).href);
    page = await browser.submit(page, 'email', { email });
    expect(newestMail(email).subject).toBe('Your Bookstore password reset code · 你的 Bookstore 重设密码验证码');
    page = await browser.submit(page, 'code', { code: newestMail(email).code });
    expect(page.text).toContain('Set a new password');
    page = await browser.submit(page, 'password', { password: newPassword });
    expect(new URL(page.url).pathname).toBe('/password/sign-in');
    expect(page.text).toContain('Your password was changed. Sign in with it.');

    page = await browser.submit(page, 'password', { email, password: strongPassword });
    expect(page.text).toContain('The email or password is not right');
    page = await browser.submit(page, 'password', { email, password: newPassword });
    expect(await finish(client, page)).toBe(email);
  });

  it('still signs in with a SignIn code when the person chooses it', async () => {
    const email = 'new.reader@example.com';
    const { client, browser, page: first } = await startSignIn();
    let page = await browser.open(new URL('/sign-in?method=code', first.url).href);
    page = await browser.submit(page, 'email', { email });
    expect(newestMail(email).subject).toBe('Your Bookstore sign-in code · 你的 Bookstore 登录验证码');
    page = await browser.submit(page, 'code', { code: newestMail(email).code });
    expect(await finish(client, page)).toBe(email);
  });

  it('has sent every template of the connector config through DirectMail (Generic by the Console test)', async () => {
    await setup(join(dir, 'tenant.json'), ['--send-test-email', 'console@example.com']);
    const subjects = new Set(fake.messages.map((message) => message.subject));
    for (const subject of [
      'Your Bookstore sign-up code · 你的 Bookstore 注册验证码',
      'Your Bookstore sign-in code · 你的 Bookstore 登录验证码',
      'Your Bookstore password reset code · 你的 Bookstore 重设密码验证码',
      'Your Bookstore verification code · 你的 Bookstore 验证码',
    ]) {
      expect(subjects).toContain(subject);
    }
  });

  it('lets no new account register in sign-in mode "SignIn"; known accounts still sign in', async () => {
    const token = await managementToken(idp, m2m);
    const patch = (body: unknown) =>
      fetch(`${idp.endpoint}/api/sign-in-exp`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await patch({ signInMode: 'SignIn' })).status).toBe(200);
    try {
      const stranger = 'stranger@example.com';
      const { browser, page: first } = await startSignIn();
      let page = await browser.open(new URL('/sign-in?method=code', first.url).href);
      page = await browser.submit(page, 'email', { email: stranger });
      page = await browser.submit(page, 'code', { code: newestMail(stranger).code });
      expect(page.status).toBe(403);
      expect(page.text).toContain('this tenant does not let new accounts register');

      const known = await startSignIn();
      const done = await known.browser.submit(known.page, 'password', { email: 'new.reader@example.com', password: strongPassword });
      expect(await finish(known.client, done)).toBe('new.reader@example.com');
    } finally {
      expect((await patch({ signInMode: 'SignInAndRegister' })).status).toBe(200);
    }
  });

  it('offers no password pages once the sign-in experience turns passwords off again', async () => {
    const out = await setup();
    expect(out).toContain('~ update sign-in experience: sign-up, sign-in methods, forgot-password methods');
    const { page } = await startSignIn();
    expect(new URL(page.url).pathname).toBe('/sign-in');
    expect((await fetch(`${idp.endpoint}/password/sign-in`)).status).toBe(404);
  });
});
