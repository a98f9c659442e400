/**
 * The web app's return page on a slow network: the browser comes back to /callback with the
 * authorization code and the app's code takes seconds to arrive. The page says "Finishing
 * sign-in…" at once (static markup in index.html, shown on /callback by a few lines of inline
 * script the Content-Security-Policy allows by hash) instead of a white page, and the app takes
 * over without a blank gap.
 */
import { expectSignedIn, openSignIn } from './support/app-flows';
import { expect, test } from './support/fixtures';
import { completeIdentityPages } from './support/identity-pages';

test('a slow network shows "Finishing sign-in…" on the return page before the app has loaded', async ({ page, idp, stack, email }) => {
  // Every test fails on a Content-Security-Policy violation (fixtures.ts): the inline script is allowed by its hash.
  await openSignIn(page);
  await page.getByTestId('sign-in').click();
  await page.waitForURL(`${stack.idpEndpoint}/**`);

  // From now on the app's scripts arrive 4 s late (a slow mobile network).
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(`${stack.appUrl}/**/*.js`, async (route) => {
    await Promise.race([released, new Promise((resolve) => setTimeout(resolve, 4_000))]);
    await route.continue();
  });
  await completeIdentityPages(page, idp, email);

  await page.waitForURL(`${stack.appUrl}/callback**`, { waitUntil: 'commit' });
  const status = page.getByTestId('boot-status');
  await expect(status).toBeVisible({ timeout: 3_000 });
  await expect(status).toHaveText('Finishing sign-in…');
  await expect(status).toHaveAttribute('role', 'status');
  // The app has not started yet: this is index.html alone.
  await expect(page.locator('html')).not.toHaveAttribute('data-auth-state', /.*/);

  release();
  await page.waitForURL(`${stack.appUrl}/home`);
  await expectSignedIn(page, email);
  await expect(status).toHaveCount(0);
});

test('the static return page stays hidden everywhere but /callback', async ({ page }) => {
  await openSignIn(page);
  await expect(page.getByTestId('boot-status')).toHaveCount(0);
  await page.goto('/sign-in', { waitUntil: 'commit' });
  await expect(page.getByTestId('boot-status')).toBeHidden();
});
