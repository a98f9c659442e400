/**
 * End to end: the real @logto/client signs in against the local identity server, whose codes go
 * through the real Aliyun DM connector to the fake DirectMail endpoint (signature verified);
 * the person reads the code from the HTML the endpoint received.
 */
import { startIdentityServer, type RunningIdp } from '../factory.ts';
import type { FakeAliyunDm } from '../fake-aliyun/server.ts';
import { HttpBrowser, type BrowserPage } from '../../test/support/http-browser.ts';
import { createNodeLogtoClient } from '../../test/support/node-logto-client.ts';
import { deliveryMessages } from './aliyun-delivery-errors.ts';
import { codeIn, consoleConfig, startTestAliyun, testSender } from './aliyun-fixtures.ts';
import { createAliyunDmTransport } from './aliyun-transport.ts';

const redirectUri = 'com.example.app://callback';

let fake: FakeAliyunDm;
let idp: RunningIdp;
let serverLog: string[];

beforeEach(async () => {
  serverLog = [];
  const log = (line: string): void => {
    serverLog.push(line);
  };
  fake = await startTestAliyun();
  const mail = await createAliyunDmTransport(consoleConfig(), { log, endpoint: fake.url });
  idp = await startIdentityServer({ port: 0, mail, log, resendCooldown: 0 });
});

afterEach(async () => {
  await idp.stop();
  await fake.stop();
});

/** The newest code the fake DirectMail endpoint accepted for this address, read from the HTML. */
async function codeFromDirectMail(email: string): Promise<string> {
  const mail = fake.messages.filter((message) => message.to === email).at(-1);
  const code = mail && codeIn(mail.html);
  if (!code) throw new Error(`DirectMail received no code for ${email}`);
  return code;
}

async function startSignIn(): Promise<{ client: ReturnType<typeof createNodeLogtoClient>['client']; authUrl: string }> {
  let authUrl = '';
  const { client } = createNodeLogtoClient({ endpoint: idp.endpoint, appId: idp.appId, scopes: ['email'] }, (url) => {
    authUrl = url;
  });
  await client.signIn({ redirectUri });
  return { client, authUrl };
}

describe('signing in with a code delivered by the Aliyun DM connector', () => {
  it('registers a new email and signs in a known one, each with the code from the mail DirectMail accepted', async () => {
    const email = 'reader@example.com';

    // Both through the sign-in page: its event picks the SignIn template, new address or not (as in Logto).
    for (const expectedUsage of ['SignIn', 'SignIn'] as const) {
      const { client, authUrl } = await startSignIn();
      const { redirectedTo } = await new HttpBrowser().signIn(authUrl, { email, readCode: codeFromDirectMail });
      await client.handleSignInCallback(redirectedTo ?? '');

      expect(await client.isAuthenticated()).toBe(true);
      expect(await client.getIdTokenClaims()).toMatchObject({ email });
      const [recorded] = idp.mailbox.all();
      expect(recorded).toMatchObject({ to: email, usageType: expectedUsage, subject: `Bookstore ${expectedUsage} code` });
      expect(recorded?.code).toBe(codeIn(fake.messages.at(-1)?.html ?? ''));
    }
    expect(fake.requests.map((request) => request.status)).toEqual([200, 200]);
    expect(fake.messages.map((message) => message.accountName)).toEqual([testSender, testSender]);
  });

  it('shows the specific delivery failure on the code page, and a resend works once DirectMail recovers', async () => {
    const email = 'reader@example.com';
    const { client, authUrl } = await startSignIn();
    const browser = new HttpBrowser();
    const codePage = await browser.signIn(authUrl, { email, readCode: codeFromDirectMail, stopAt: 'code' });
    expect(codePage.redirectedTo).toBeNull();

    fake.setFailure('throttling');
    const failed = await resend(browser, await browser.open(`${idp.endpoint}/verify`));

    expect(failed.status).toBe(502);
    expect(failed.text).toContain(deliveryMessages.tryAgain);
    expect(failed.text).not.toMatch(/Throttling|RequestId|\bat .+:\d+:\d+/);
    expect(serverLog.join('\n')).toMatch(/Throttling\.User .*RequestId [0-9A-F-]{36}/);

    fake.setFailure(null);
    const resent = await resend(browser, failed);
    expect(resent.text).toContain('We sent you a new code.');
    const finished = await browser.submit(resent, 'code', { code: await codeFromDirectMail(email) });
    await client.handleSignInCallback(finished.redirectedTo ?? '');

    expect(await client.isAuthenticated()).toBe(true);
    expect(idp.mailbox.all().map((record) => record.code)).toEqual([await codeFromDirectMail(email), expect.any(String)]);
  });

  it('a failed resend does not cost the person the code they already received', async () => {
    const email = 'reader@example.com';
    const { client, authUrl } = await startSignIn();
    const browser = new HttpBrowser();
    await browser.signIn(authUrl, { email, readCode: codeFromDirectMail, stopAt: 'code' });
    const delivered = await codeFromDirectMail(email);

    fake.setFailure('unavailable');
    const failed = await resend(browser, await browser.open(`${idp.endpoint}/verify`));
    expect(failed.text).toContain(deliveryMessages.unavailable);
    const finished = await browser.submit(failed, 'code', { code: delivered });
    expect(finished.text).toBe(''); // left the identity server, rather than "That code is not right…"
    await client.handleSignInCallback(finished.redirectedTo ?? '');

    expect(await client.isAuthenticated()).toBe(true);
  });

  it('a refused first email leaves the person on the email page with the reason, and trying again works', async () => {
    const email = 'new-reader@example.com';
    const { client, authUrl } = await startSignIn();
    const browser = new HttpBrowser();
    fake.setFailure('unknownSender');

    const refused = await browser.signIn(authUrl, { email, readCode: codeFromDirectMail });

    expect(refused.redirectedTo).toBeNull();
    expect(refused.lastPageText).toContain(deliveryMessages.misconfigured);
    expect(idp.mailbox.all()).toEqual([]);

    fake.setFailure(null);
    const emailPage = await browser.open(`${idp.endpoint}/sign-in`);
    const codeStep = await browser.submit(emailPage, 'email', { email });
    const finished = await browser.submit(codeStep, 'code', { code: await codeFromDirectMail(email) });
    await client.handleSignInCallback(finished.redirectedTo ?? '');

    expect(await client.isAuthenticated()).toBe(true);
  });
});

function resend(browser: HttpBrowser, page: BrowserPage): Promise<BrowserPage> {
  const form = page.forms.find((candidate) => candidate.action.endsWith('/verify/resend'));
  if (!form) throw new Error(`no resend button on ${page.url}: ${page.text.slice(0, 200)}`);
  return browser.submit(page, form);
}
