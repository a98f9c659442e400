/**
 * The identity server goes away (stopped; it refuses connections) and comes back on the same
 * port with the same data dir (keys, users, the pending authorization code survive): the app
 * shows a network error whose Retry works once the server is back. The device itself is online
 * then, so the app says the sign-in service is not answering; only a device that is offline is
 * told to check its connection.
 */
import { expectSignedIn, isIn, openDebugPage, openSignIn, readFlightRecorder } from './support/app-flows';
import { checkScreen, expect, expectAuthState, test } from './support/fixtures';
import { completeIdentityPages } from './support/identity-pages';

const SERVICE_DOWN = "The sign-in service isn't answering";

test('server down while the app exchanges the code: "The sign-in service isn\'t answering", and Retry completes the same sign-in', async ({
  page,
  idp,
  stack,
  email,
}, testInfo) => {
  await openSignIn(page);
  await page.getByTestId('sign-in').click();
  await page.waitForURL(`${stack.idpEndpoint}/**`);

  // The browser comes back with the authorization code, and the server dies right then: the
  // first request the booted app makes to it (discovery, before the code exchange) finds it
  // stopped. (page.route cannot catch the /callback navigation itself: it is the end of the
  // identity server's redirect chain, and Playwright routes only a chain's first request.)
  const isCallback = (url: URL) => url.origin === stack.appUrl && url.pathname === '/callback' && url.searchParams.has('code');
  let callbackArrived = false;
  let stopped = false;
  page.on('request', (request) => {
    if (request.isNavigationRequest() && isCallback(new URL(request.url()))) callbackArrived = true;
  });
  await page.route(`${stack.idpEndpoint}/oidc/**`, async (route) => {
    if (callbackArrived && !stopped) {
      stopped = true;
      await idp.stop();
    }
    await route.continue();
  });
  await completeIdentityPages(page, idp, email);

  await expectAuthState(page, 'error');
  expect(stopped).toBe(true);
  const card = page.getByTestId('auth-error');
  await expect(card).toHaveAttribute('data-error-kind', 'network');
  await expect(page.getByTestId('auth-error-title')).toHaveText(SERVICE_DOWN);
  await expect(page).toHaveURL(`${stack.appUrl}/sign-in`);
  await checkScreen(page, 'error-network', testInfo);

  // Still down: Retry meets the same failure (no dead end).
  await page.getByTestId('error-retry').click();
  await expectAuthState(page, 'error');
  await expect(card).toHaveAttribute('data-error-kind', 'network');

  await idp.start();
  const navigations: string[] = [];
  page.on('request', (request) => {
    if (request.isNavigationRequest()) navigations.push(request.url());
  });
  await page.getByTestId('error-retry').click();
  await page.waitForURL(`${stack.appUrl}/home`);
  await expectSignedIn(page, email);
  // The same callback was exchanged: the identity server's pages were not visited again.
  expect(navigations.filter((url) => url.startsWith(stack.idpEndpoint))).toEqual([]);

  // The flight recorder tells the story: the exchange failed twice, the third try signed in.
  await openDebugPage(page);
  const rows = await readFlightRecorder(page);
  expect(isIn(rows[0]!.from, 'signingIn.callback') && rows[0]!.to === 'authenticated').toBe(true);
  const failures = rows.filter((row) => row.errorKind === 'network');
  expect(failures).toHaveLength(2);
  expect(failures.every((row) => isIn(row.from, 'signingIn.callback'))).toBe(true);
  const retries = rows.filter((row) => row.event === 'RETRY');
  expect(retries).toHaveLength(2);
  expect(retries.every((row) => isIn(row.from, 'error') && isIn(row.to, 'signingIn.callback'))).toBe(true);
});

test('server down when sign-in starts: "The sign-in service isn\'t answering", and Retry opens the identity page once it is back', async ({
  page,
  idp,
  stack,
  email,
}) => {
  await openSignIn(page);
  await idp.stop();
  await page.getByTestId('sign-in').click();

  await expectAuthState(page, 'error');
  await expect(page.getByTestId('auth-error')).toHaveAttribute('data-error-kind', 'network');
  await expect(page.getByTestId('auth-error-title')).toHaveText(SERVICE_DOWN);

  await idp.start();
  await page.getByTestId('error-retry').click();
  await page.waitForURL(`${stack.idpEndpoint}/**`);
  await completeIdentityPages(page, idp, email);
  await page.waitForURL(`${stack.appUrl}/home`);
  await expectSignedIn(page, email);
});

test('the device offline when sign-in starts: "Check your connection", and Retry works once it is back online', async ({
  page,
  context,
  stack,
}) => {
  await openSignIn(page);
  await context.setOffline(true);
  await page.getByTestId('sign-in').click();

  await expectAuthState(page, 'error');
  await expect(page.getByTestId('auth-error')).toHaveAttribute('data-error-kind', 'network');
  await expect(page.getByTestId('auth-error-title')).toHaveText('Check your connection');
  await expect(page.getByTestId('auth-error-message')).toContainText('Check your connection');

  await context.setOffline(false);
  // Back online, the same card no longer blames the connection.
  await expect(page.getByTestId('auth-error-title')).toHaveText(SERVICE_DOWN);
  await page.getByTestId('error-retry').click();
  await page.waitForURL(`${stack.idpEndpoint}/**`);
});
