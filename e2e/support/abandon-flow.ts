/** Steps of the abandoned-sign-in flows (abandoned-sign-in*.spec.ts). */
import type { Page, TestInfo } from '@playwright/test';
import { expectSignedIn, openSignIn } from './app-flows';
import { checkScreen, expect, expectAuthState, type IdpControl } from './fixtures';
import { completeIdentityPages } from './identity-pages';
import type { Stack } from './stack';

/** From the app's sign-in screen to the identity server's email page, then the browser's Back. */
export async function leaveIdentityPageWithBack(page: Page, stack: Stack): Promise<void> {
  await openSignIn(page);
  await page.getByTestId('sign-in').click();
  await page.waitForURL(`${stack.idpEndpoint}/**`);
  await expect(page.locator('form[data-step="email"]')).toBeVisible();
  // 'commit': a page restored from the back-forward cache fires no new `load`.
  await page.goBack({ waitUntil: 'commit' });
  await expect(page).toHaveURL(`${stack.appUrl}/sign-in`);
}

/** The cancelled error card with Retry and Dismiss, focused. */
export async function expectInterrupted(page: Page, testInfo?: TestInfo): Promise<void> {
  await expectAuthState(page, 'error');
  const card = page.getByTestId('auth-error');
  await expect(card).toHaveAttribute('data-error-kind', 'cancelled');
  await expect(page.getByTestId('auth-error-title')).toHaveText('Sign-in was interrupted');
  await expect(page.getByTestId('error-retry')).toBeVisible();
  await expect(page.getByTestId('error-dismiss')).toBeVisible();
  await expect(card).toBeFocused(); // announced and reachable by keyboard
  if (testInfo) await checkScreen(page, 'error-cancelled', testInfo);
}

/** Retry opens the identity server's pages again, and this time the person finishes. */
export async function retrySignsIn(page: Page, idp: IdpControl, stack: Stack, email: string): Promise<void> {
  await page.getByTestId('error-retry').click();
  await page.waitForURL(`${stack.idpEndpoint}/**`);
  await completeIdentityPages(page, idp, email);
  await page.waitForURL(`${stack.appUrl}/home`);
  await expectSignedIn(page, email);
}
