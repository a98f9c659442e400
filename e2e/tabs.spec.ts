/**
 * Several tabs, one session: two pages of ONE browser context share localStorage, as two tabs of
 * one browser profile do. Renewals take turns and adopt each other's tokens (no refresh token is
 * presented twice, so the grant lives), a sign-out or sign-in in one tab reaches the other within
 * a second, with the true reason. And a screen whose code cannot download (offline) is a readable
 * notice with Retry that recovers by itself, never a blank page.
 */
import type { BrowserContext, Page } from '@playwright/test';

import { expectSignedIn, openSignIn, signIn } from './support/app-flows';
import { expect, expectAuthState, type IdpControl, test } from './support/fixtures';

const TWO_HOURS = 2 * 60 * 60 * 1000;

/** One call of the sample API from home; its status. */
async function callApi(page: Page, apiUrl: string): Promise<number> {
  const answer = page.waitForResponse((response) => response.url() === `${apiUrl}bookshelf`);
  await page.getByTestId('call-api').click();
  return (await answer).status();
}

/** Tab A signs in with a code; tab B, opened afterwards on home, shows the same person. */
async function twoSignedInTabs(context: BrowserContext, idp: IdpControl, email: string): Promise<{ a: Page; b: Page }> {
  const a = await context.newPage();
  await signIn(a, idp, email);
  const b = await context.newPage();
  await b.goto('/home');
  await expectSignedIn(b, email);
  return { a, b };
}

/** The refresh grants the tabs send from now on (one entry each). */
function recordRefreshGrants(context: BrowserContext, idpEndpoint: string): string[] {
  const grants: string[] = [];
  context.on('request', (request) => {
    if (request.url() === `${idpEndpoint}/oidc/token` && /grant_type=refresh_token/.test(request.postData() ?? ''))
      grants.push(request.url());
  });
  return grants;
}

test('renewals in A, then B, then A: every API call answers 200 and both tabs stay signed in', async ({ context, idp, stack, email }) => {
  // The person's clocks ran ahead: every access token the tabs hold is expired at their next call.
  await context.clock.install();
  const { a, b } = await twoSignedInTabs(context, idp, email);
  const grants = recordRefreshGrants(context, stack.idpEndpoint);

  for (const [page, name] of [
    [a, 'A'],
    [b, 'B'],
    [a, 'A'],
  ] as const) {
    await context.clock.setSystemTime(Date.now() + TWO_HOURS * (grants.length + 1));
    expect(await callApi(page, stack.apiUrl), `tab ${name}'s API call`).toBe(200);
    await expect(page.getByTestId('api-result')).toContainText(`Your bookshelf, ${email}:`);
  }
  expect(grants.length, 'refresh grants (one per renewal at most)').toBeGreaterThanOrEqual(1);
  await expectSignedIn(a, email);
  await expectSignedIn(b, email);
  // The grant is alive: after a reload (storage only) both still call the API.
  await b.reload();
  await expectSignedIn(b, email);
  expect(await callApi(b, stack.apiUrl)).toBe(200);
  expect(await callApi(a, stack.apiUrl)).toBe(200);
});

test('without the Web Locks API (the storage lease), two tabs renewing at once make one grant and both calls answer 200', async ({
  context,
  idp,
  stack,
  email,
}) => {
  // A browser without navigator.locks (older Safari, some embedded views): the lease in localStorage.
  await context.addInitScript(() => {
    delete (Navigator.prototype as { locks?: unknown }).locks;
  });
  await context.clock.install();
  const { a, b } = await twoSignedInTabs(context, idp, email);
  expect(await b.evaluate(() => 'locks' in navigator)).toBe(false);
  const grants = recordRefreshGrants(context, stack.idpEndpoint);

  // Both tabs' access tokens are expired at once, and both call the API at the same moment.
  await context.clock.setSystemTime(Date.now() + TWO_HOURS);
  const [statusA, statusB] = await Promise.all([callApi(a, stack.apiUrl), callApi(b, stack.apiUrl)]);
  expect([statusA, statusB]).toEqual([200, 200]);
  // One renewal: the tab that waited for the lease found the new tokens stored and used them.
  expect(grants).toHaveLength(1);
  await expectSignedIn(a, email);
  await expectSignedIn(b, email);
  // The grant is alive: the next renewal (from either tab) is answered.
  await context.clock.setSystemTime(Date.now() + 2 * TWO_HOURS);
  expect(await callApi(b, stack.apiUrl)).toBe(200);
  expect(grants).toHaveLength(2);
});

test('a sign-out in A signs B out within a second, saying it happened in another tab', async ({ context, idp, stack, email }) => {
  const { a, b } = await twoSignedInTabs(context, idp, email);

  // B calls the API no more with the old token once A signed out.
  const bearer: string[] = [];
  b.on('request', (request) => {
    if (request.url().startsWith(stack.apiUrl) && request.headers()['authorization']) bearer.push(request.url());
  });
  const started = Date.now();
  await a.getByTestId('sign-out').click();
  await expectAuthState(b, 'idle', 1_500);
  expect(Date.now() - started).toBeLessThan(3_000);
  await expect(b.getByText('You signed out in another tab.')).toBeVisible();
  await expect(b.getByText('For your security you were signed out on this device.')).toHaveCount(0);
  expect(bearer).toEqual([]);
  await expectAuthState(a, 'idle');
});

test('a sign-in in A signs B in without a reload', async ({ context, idp, email }) => {
  const b = await context.newPage();
  await openSignIn(b);
  const a = await context.newPage();
  await signIn(a, idp, email);
  await expectAuthState(b, 'authenticated', 3_000);
  await b.waitForURL('**/home');
  await expectSignedIn(b, email);
});

test('signing out while offline shows a readable screen with Retry, and recovers when back online', async ({
  page,
  context,
  browser,
  stack,
  idp,
  email,
}) => {
  await signIn(page, idp, email);
  // A later visit straight to home, in a browser whose cache never held the sign-in screen's code.
  const later = await browser.newContext({ storageState: await context.storageState(), baseURL: stack.appUrl, locale: 'en-US' });
  try {
    const tab = await later.newPage();
    await tab.goto('/home');
    await expectSignedIn(tab, email);
    // Home has been on screen a while: its own deferred parts (the sign-out button) are loaded.
    await expect(tab.getByTestId('sign-out')).toBeVisible();
    await later.setOffline(true);
    await tab.getByTestId('sign-out').click();
    // The sign-in screen's code cannot download: the shell says so instead of a blank page.
    const notice = tab.getByTestId('chunk-failure');
    await expect(notice).toBeVisible();
    await expect(notice.getByRole('heading', { name: 'This screen could not load' })).toBeVisible();
    await tab.getByTestId('chunk-failure-retry').click();
    await expect(notice).toBeVisible();
    await later.setOffline(false);
    await expect(notice).toBeHidden();
    await expectAuthState(tab, 'idle');
    await expect(tab.getByRole('heading', { name: 'Sign in', level: 1 })).toBeVisible();
  } finally {
    await later.close();
  }
});
