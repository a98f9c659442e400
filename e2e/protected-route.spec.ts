/** The route guard: a signed-out visit to a protected page goes through sign-in and comes back. */
import { expectSignedIn } from './support/app-flows';
import { expect, expectAuthState, test } from './support/fixtures';
import { completeIdentityPages } from './support/identity-pages';

test('a protected page sends a signed-out visitor to sign-in and returns to that page after sign-in', async ({
  page,
  idp,
  stack,
  email,
}) => {
  // The query makes the destination differ from where a plain sign-in lands (/home).
  await page.goto('/home?shelf=e2e');
  await page.waitForURL(`${stack.appUrl}/sign-in`);
  await expectAuthState(page, 'idle');
  await expect(page.getByTestId('profile')).toHaveCount(0);

  await page.getByTestId('sign-in').click();
  await page.waitForURL(`${stack.idpEndpoint}/**`);
  await completeIdentityPages(page, idp, email);

  await page.waitForURL(`${stack.appUrl}/home?shelf=e2e`);
  await expectSignedIn(page, email);
});
