/**
 * What the person is told at each step is true, and they stay in control.
 * A slow or unreachable identity server is simulated with routing in the browser (a held or
 * delayed request) or by stopping the server, as identity-server-down.spec.ts does.
 */
import type { Page } from '@playwright/test';
import { expectSignedIn, holdDiscovery, openSignIn, signIn } from './support/app-flows';
import { checkScreen, currentScreen, expect, expectAuthState, test } from './support/fixtures';
import type { Stack } from './support/stack';

/** Top-level navigations to the identity server from now on. */
function watchIdpNavigations(page: Page, stack: Stack): string[] {
  const seen: string[] = [];
  page.on('request', (request) => {
    if (request.isNavigationRequest() && request.url().startsWith(stack.idpEndpoint)) seen.push(new URL(request.url()).pathname);
  });
  return seen;
}

test('1. Cancel while the sign-in service is slow to answer: no redirect happens later, and it says "You cancelled sign-in"', async ({
  page,
  stack,
}, testInfo) => {
  await openSignIn(page);
  const held = await holdDiscovery(page, stack.idpEndpoint);
  await page.getByTestId('sign-in').click();
  await expect(page.getByTestId('contacting-provider')).toBeVisible();
  await page.getByTestId('cancel-sign-in').click();

  await expectAuthState(page, 'idle');
  await expect(page.getByTestId('sign-in-notice')).toHaveText(/You cancelled sign-in\./);
  await expect(page.getByTestId('auth-error')).toHaveCount(0);
  // The service answers after all: the app must not leave for it.
  const navigations = watchIdpNavigations(page, stack);
  await held.release();
  await page.waitForTimeout(3_500);
  expect(navigations).toEqual([]);
  await expect(page).toHaveURL(`${stack.appUrl}/sign-in`);
  await checkScreen(page, 'cancelled-notice', testInfo);
});

test('1. Cancel after the page started leaving for a slow identity page stops that navigation', async ({ page, stack }) => {
  await openSignIn(page);
  // The identity server's authorization endpoint takes 4 s to answer.
  await page.route(`${stack.idpEndpoint}/oidc/auth**`, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    await route.continue().catch(() => undefined); // cancelled by then
  });
  const leaving = page.waitForRequest(
    (request) => request.isNavigationRequest() && request.url().startsWith(`${stack.idpEndpoint}/oidc/auth`),
  );
  // Playwright waits for a pending navigation before it acts on the page; a person's tap does
  // not. So the page itself taps Cancel 0.5 s after the navigation started (state `waiting`).
  await page.evaluate(() => {
    const observer = new MutationObserver(() => {
      if (document.documentElement.getAttribute('data-auth-state') !== 'signingIn.redirecting.waiting') return;
      observer.disconnect();
      setTimeout(() => (document.querySelector('[data-testid="cancel-sign-in"]') as HTMLElement | null)?.click(), 500);
    });
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-auth-state'] });
  });
  await page.getByTestId('sign-in').click({ noWaitAfter: true });
  await leaving;
  await page.waitForTimeout(5_000);
  await expect(page).toHaveURL(`${stack.appUrl}/sign-in`);
  await expectAuthState(page, 'idle');
  await expect(page.getByTestId('sign-in-notice')).toHaveText(/You cancelled sign-in\./);
});

test("2. Switch account with the identity server unreachable: the app's \"The sign-in service isn't answering\" card, never the browser's error page", async ({
  page,
  idp,
  stack,
  email,
}, testInfo) => {
  await signIn(page, idp, email);
  await idp.stop();
  await page.getByTestId('switch-account').click();

  await expectAuthState(page, 'error');
  await expect(page).toHaveURL(`${stack.appUrl}/sign-in`);
  const screen = await currentScreen(page);
  await expect(screen.getByTestId('auth-error')).toHaveAttribute('data-error-kind', 'network');
  await expect(screen.getByTestId('auth-error-title')).toHaveText("The sign-in service isn't answering");
  await expect(screen.getByRole('heading', { level: 1 })).toHaveText('Switch account');
  // The card's title is as dark as body text (in grey it looked disabled).
  expect(await screen.getByTestId('auth-error-title').evaluate((el) => getComputedStyle(el).color)).toBe('rgb(0, 0, 0)');
  await expect(screen.getByTestId('auth-error-kept-session')).toHaveText(`You're still signed in as ${email}.`);
  await checkScreen(page, 'switch-unreachable', testInfo);

  // Retry while still down: the same card, in the app.
  await screen.getByTestId('error-retry').click();
  await expectAuthState(page, 'error');
  await expect(screen.getByTestId('auth-error-again')).toBeVisible();
  await expect(page).toHaveURL(`${stack.appUrl}/sign-in`);

  // "Stay signed in" returns home as the same person.
  await screen.getByTestId('error-dismiss').click();
  await page.waitForURL(`${stack.appUrl}/home`);
  await expectSignedIn(page, email);

  // Once it is back, Switch account reaches the identity page.
  await idp.start();
  await page.getByTestId('switch-account').click();
  await page.waitForURL(`${stack.idpEndpoint}/**`);
});

test('2. Sign in after a sign-out with the identity server unreachable stays in the app with Retry', async ({
  page,
  idp,
  stack,
  email,
}) => {
  await signIn(page, idp, email);
  await page.getByTestId('sign-out').click();
  await page.waitForURL(`${stack.appUrl}/sign-in`);
  await expectAuthState(page, 'idle');
  await idp.stop();
  await page.getByTestId('sign-in').click();
  await expectAuthState(page, 'error');
  await expect(page).toHaveURL(`${stack.appUrl}/sign-in`);
  await expect(page.getByTestId('auth-error-title')).toHaveText("The sign-in service isn't answering");
  await expect(page.getByTestId('error-retry')).toBeVisible();
});

test('3. Switch account, then Back: "You\'re still signed in as …" at home, not a sign-in screen', async ({
  page,
  idp,
  stack,
  email,
}, testInfo) => {
  await signIn(page, idp, email);
  await page.getByTestId('switch-account').click();
  await page.waitForURL(`${stack.idpEndpoint}/**`);
  await page.goBack({ waitUntil: 'commit' });

  await page.waitForURL(`${stack.appUrl}/home`);
  await expectSignedIn(page, email);
  const notice = page.getByTestId('kept-session-notice');
  await expect(notice).toContainText(`You're still signed in as ${email}.`);
  await expect(page.getByTestId('auth-error')).toHaveCount(0);
  await checkScreen(page, 'switch-abandoned', testInfo);
  await notice.getByTestId('notice-dismiss').click();
  await expect(notice).toHaveCount(0);
  await expectSignedIn(page, email);
});

test('3. The local page for a switch says who is signed in and links back: the app then says "You\'re still signed in as …"', async ({
  page,
  idp,
  stack,
  email,
}) => {
  await signIn(page, idp, email);
  await page.getByTestId('switch-account').click();
  await page.waitForURL(`${stack.idpEndpoint}/**`);
  const current = page.getByTestId('signed-in-as');
  await expect(current).toContainText(`You are signed in as ${email}.`);
  await current.getByRole('link').click();

  await page.waitForURL(`${stack.appUrl}/home`);
  await expectSignedIn(page, email);
  await expect(page.getByTestId('kept-session-notice')).toContainText(`You're still signed in as ${email}.`);
});

test('4. Retry while the server is down shows that it is trying, then that it is still unreachable', async ({ page, idp }) => {
  await openSignIn(page);
  await idp.stop();
  await page.getByTestId('sign-in').click();
  await expectAuthState(page, 'error');
  await expect(page.getByTestId('auth-error-again')).toHaveCount(0);

  await page.getByTestId('error-retry').click();
  await expect(page.getByTestId('auth-error-trying')).toHaveText(/Trying again…/);
  await expect(page.getByTestId('auth-error-again')).toHaveText(/^Still no answer: tried again at .+ \(2 attempts\)\.$/);
  await expect(page.getByTestId('auth-error-trying')).toHaveCount(0);
  await page.getByTestId('error-retry').click();
  await expect(page.getByTestId('auth-error-again')).toHaveText(/\(3 attempts\)\.$/);
});

test('5. Sign-out ends on "You\'re signed out", which a reload keeps', async ({ page, idp, stack, email }, testInfo) => {
  await signIn(page, idp, email);
  await page.getByTestId('sign-out').click();
  await page.waitForURL(`${stack.appUrl}/sign-in`);
  await expectAuthState(page, 'idle');
  const notice = page.getByTestId('sign-out-notice');
  await expect(notice).toHaveText(/You're signed out\./);
  await expect(notice.locator('[role="status"]')).toHaveAttribute('data-tone', 'success');
  await checkScreen(page, 'signed-out', testInfo);
  await page.reload();
  await expectAuthState(page, 'idle');
  await expect(notice).toHaveText(/You're signed out\./);
});

test('5. Offline sign-out: a readable warning with an icon, kept across a reload', async ({ page, idp, stack, email }, testInfo) => {
  await signIn(page, idp, email);
  await idp.stop();
  await page.getByTestId('sign-out').click();
  await page.waitForURL(`${stack.appUrl}/sign-in`);
  await expectAuthState(page, 'idle');
  const notice = page.getByTestId('sign-out-notice');
  await expect(notice).toContainText('You are signed out on this device, but the sign-in service could not be reached');
  await expect(notice.locator('[role="status"]')).toHaveAttribute('data-tone', 'warning');
  await expect(notice.locator('ion-icon.icon')).toBeVisible();
  await checkScreen(page, 'signed-out-offline', testInfo); // axe: contrast included
  await page.reload();
  await expectAuthState(page, 'idle');
  await expect(notice).toContainText('could not be reached');
});

test('6. One entry: the typed email arrives filled in with Send code focused, and nothing is mailed before that tap', async ({
  page,
  stack,
  email,
}) => {
  await openSignIn(page);
  await expect(page.locator('ion-content ion-button')).toHaveCount(1);
  await expect(page.getByText('Create account')).toHaveCount(0);
  await page.getByTestId('email-input').locator('input').fill(email);
  await page.getByTestId('sign-in').click();
  await page.waitForURL(`${stack.idpEndpoint}/**`);

  await expect(page.getByLabel('Email')).toHaveValue(email);
  const send = page.getByRole('button', { name: 'Send code' });
  await expect(send).toBeFocused();
  const mailbox = async () =>
    (await (
      await fetch(`${stack.idpEndpoint}/dev/mailbox?to=${encodeURIComponent(email)}`, { headers: { accept: 'application/json' } })
    ).json()) as unknown[];
  expect(await mailbox()).toEqual([]);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Enter your code' })).toBeVisible();
  expect(await mailbox()).toHaveLength(1);
});
