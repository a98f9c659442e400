/**
 * The production web build against the real open-source Logto server: sign in through Logto's
 * own sign-in pages (its React experience, served by Logto) with an email code that Logto's real
 * Aliyun DM connector mailed to the fake DirectMail, call the sample API (which verifies Logto's
 * token), reload without asking Logto, sign out through Logto's end-session page, sign in again.
 *
 * Runs in `npm run test:logto`; without a running Logto the global setup says so and this skips.
 */
import { expect, test, type Page } from '@playwright/test';
import { claimValue, expectSignedIn, openSignIn, signOutThroughEndSession } from '../e2e/support/app-flows';
import { watchCspViolations } from '../e2e/support/fixtures';
import { readLaneStack, type LaneStack } from './support/lane-stack';

type FakeMail = { messages: readonly { to: string; subject: string; html: string }[]; stop(): Promise<void> };

const stack = readLaneStack() as LaneStack;
let mail: FakeMail;
let email: string;

test.skip(!stack, 'the real Logto server is not running: set LOGTO_SOURCE and run `npm run test:logto`');
test.use({ baseURL: stack?.appUrl });

test.beforeAll(async () => {
  // ESM support modules (import.meta): loaded through import(), see support/global-setup.ts.
  const { realLogto, startLaneFakeAliyun } = await import('../test/logto-oss/support/real-logto.ts');
  const { createReader, ensureBooksReaderRole, freshEmail } = await import('../test/logto-oss/support/tenant.ts');
  const logto = realLogto()!;
  mail = await startLaneFakeAliyun(logto);
  // A person who may read the bookshelf: Logto grants read:books only through a role.
  email = freshEmail('e2e-logto');
  await createReader(logto, email, await ensureBooksReaderRole(logto));
});

test.afterAll(async () => {
  await mail?.stop();
});

/** The newest code the fake DirectMail accepted for `to` after `before` messages, from the mail's HTML. */
async function codeMailedTo(to: string, before: number): Promise<string> {
  let code: string | undefined;
  await expect
    .poll(
      () => {
        const message = mail.messages.slice(before).findLast((m) => m.to === to);
        code = message ? /\b(\d{6})\b/.exec(message.html)?.[1] : undefined;
        return code;
      },
      { message: `a code mailed to ${to} through Logto's Aliyun DM connector` },
    )
    .toBeTruthy();
  return code!;
}

/** On Logto's own pages: confirm the prefilled address, then type the mailed code. */
async function completeLogtoSignIn(page: Page, to: string): Promise<void> {
  // The app asks for Logto's identifier-first screen with the address as login hint.
  await page.waitForURL(`${stack.logtoEndpoint}/identifier-sign-in?**`);
  await expect(page.locator('input[name="identifier"]')).toHaveValue(to);
  const before = mail.messages.length;
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${stack.logtoEndpoint}/**/verification-code?**`);
  await expect(page.getByText('Verify your email')).toBeVisible();
  expect(mail.messages.length).toBeGreaterThanOrEqual(before);
  const code = await codeMailedTo(to, before);
  expect(mail.messages.at(-1)?.subject).toBe('Your Bookstore sign-in code · 你的 Bookstore 登录验证码');
  await page.locator('input[name="passcode_0"]').click();
  await page.keyboard.type(code);
}

/** From the app's sign-in screen, "Continue with email" through Logto's pages, back home signed in. */
async function signInThroughLogto(page: Page, email: string): Promise<void> {
  await openSignIn(page);
  await page.getByTestId('email-input').locator('input').fill(email);
  await page.getByTestId('sign-in').click();
  await completeLogtoSignIn(page, email);
  // Back in the app: the code exchange (PKCE) at Logto's token endpoint, then home.
  await page.waitForURL(`${stack.appUrl}/home`);
  await expectSignedIn(page, email);
}

/** The payload of a JWT (the token stays in this process; nothing prints it). */
function jwtPayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

test('signs in on real Logto’s own pages with a code from its Aliyun DM connector, calls the API, reloads, signs out and in again', async ({
  page,
  context,
}) => {
  const cspViolations = await watchCspViolations(context);
  await signInThroughLogto(page, email);
  await expect(claimValue(page, 'iss')).toHaveText(`${stack.logtoEndpoint}/oidc`);
  await expect(claimValue(page, 'aud')).toHaveText(stack.appId);

  // The sample API accepts Logto's access token for the Bookstore API, which carries read:books.
  const apiResponse = page.waitForResponse((response) => response.url() === `${stack.apiUrl}bookshelf`);
  await page.getByTestId('call-api').click();
  const response = await apiResponse;
  expect(response.status()).toBe(200);
  const token = /^Bearer (\S+)$/.exec(response.request().headers()['authorization'] ?? '')?.[1] ?? '';
  const claims = jwtPayload(token);
  expect(claims).toMatchObject({ iss: `${stack.logtoEndpoint}/oidc`, aud: 'https://api.bookstore.local' });
  expect(String(claims['scope']).split(' ')).toContain('read:books');
  await expect(page.getByTestId('api-result')).toContainText(`Your bookshelf, ${email}:`);

  // A reload restores the session from storage: no request to Logto before home shows.
  const toLogto: string[] = [];
  let homeShown = false;
  page.on('request', (request) => {
    if (!homeShown && request.url().startsWith(stack.logtoEndpoint)) toLogto.push(`${request.method()} ${new URL(request.url()).pathname}`);
  });
  await page.reload();
  await expectSignedIn(page, email);
  homeShown = true;
  expect(toLogto, 'requests to Logto while restoring the session').toEqual([]);

  // Sign-out goes through Logto's end-session page and back to the app.
  await signOutThroughEndSession(page, { idpEndpoint: stack.logtoEndpoint, appUrl: stack.appUrl });

  // Logto's session ended too: signing in again goes through its pages and a new code.
  const mailedBefore = mail.messages.length;
  await page.getByTestId('email-input').locator('input').fill(email);
  await page.getByTestId('sign-in').click();
  await completeLogtoSignIn(page, email);
  await page.waitForURL(`${stack.appUrl}/home`);
  await expectSignedIn(page, email);
  expect(mail.messages.length).toBe(mailedBefore + 1);
  expect(cspViolations, 'Content-Security-Policy violations').toEqual([]);
});

test('a missing permission: the API’s 403 names it and the role to grant; once granted, signing in again (no code: Logto’s session) makes it work', async ({
  page,
}) => {
  const { managementApi, managementToken, realLogto } = await import('../test/logto-oss/support/real-logto.ts');
  const { ensureBooksReaderRole, freshEmail } = await import('../test/logto-oss/support/tenant.ts');
  const logto = realLogto()!;
  const roleId = await ensureBooksReaderRole(logto);
  const token = await managementToken(logto);
  // A person without any role (Logto gives new users the default roles: take them away).
  const who = freshEmail('e2e-logto-no-role');
  const user = await managementApi<{ id: string }>(logto, 'POST', '/api/users', { primaryEmail: who }, token);
  for (const role of await managementApi<{ id: string }[]>(logto, 'GET', `/api/users/${user.id}/roles`, undefined, token)) {
    await managementApi(logto, 'DELETE', `/api/users/${user.id}/roles/${role.id}`, undefined, token);
  }

  await signInThroughLogto(page, who);

  const answers: number[] = [];
  page.on('response', (response) => {
    if (response.url() === `${stack.apiUrl}bookshelf` && response.request().method() === 'GET') answers.push(response.status());
  });
  await page.getByTestId('call-api').click();
  await expect(page.getByTestId('api-error')).toContainText('lacks the permission read:books');
  await expect(page.getByTestId('api-error')).toContainText('a role that grants read:books');
  // One fresh token and one retry before the app reports.
  expect(answers).toEqual([403, 403]);

  // An admin grants the role. Logto records what a sign-in may use when it is made, so a fresh
  // token alone still lacks it (measured): the page says so and offers to sign in again.
  await managementApi(logto, 'POST', `/api/users/${user.id}/roles`, { roleIds: [roleId] }, token);
  answers.length = 0;
  await page.getByTestId('call-api').click();
  await expect(page.getByTestId('api-error')).toContainText('counts once you sign in again');
  expect(answers).toEqual([403, 403]);

  // Signing in again as the same person (the session stays meanwhile). Logto still has its own
  // session for this browser, so it answers at once (consent, no code) with a grant that now
  // includes the role's permission.
  const mailed = mail.messages.length;
  await page.getByTestId('api-sign-in-again').click();
  await page.waitForURL(`${stack.appUrl}/callback?**`);
  await page.waitForURL(`${stack.appUrl}/home`);
  expect(mail.messages.length).toBe(mailed);
  await expectSignedIn(page, who);
  answers.length = 0;
  await page.getByTestId('call-api').click();
  await expect(page.getByTestId('api-result')).toContainText(`Your bookshelf, ${who}:`);
  expect(answers).toEqual([200]);
});
