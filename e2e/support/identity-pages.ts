/**
 * The person at the identity server's pages (dev-idp/pages/sign-in-pages.ts): the email page, then
 * the code page, with the code read from the dev mailbox like a developer would.
 */
import type { Locator, Page, TestInfo } from '@playwright/test';
import { checkScreen, expect, type IdpControl } from './fixtures';

export interface IdentityPageOptions {
  /** Scan and screenshot the email and code pages (once per run is enough). */
  checkScreens?: TestInfo;
}

/** On the identity server's email page: enter the email, ask for a code. */
export async function submitEmail(page: Page, idp: IdpControl, email: string, options: IdentityPageOptions = {}): Promise<Date> {
  await expect(page.locator('form[data-step="email"]')).toBeVisible();
  const field = page.getByLabel('Email');
  await field.fill(email);
  if (options.checkScreens) await checkScreen(page, 'idp-email', options.checkScreens);
  const since = new Date();
  await page.getByRole('button', { name: 'Send code' }).click();
  await expect(page.getByRole('heading', { name: 'Enter your code' })).toBeVisible();
  return since;
}

/** On the code page: read the code mailed since `since` and submit it. */
export async function submitCode(
  page: Page,
  idp: IdpControl,
  email: string,
  since: Date,
  options: IdentityPageOptions = {},
): Promise<void> {
  const code = await idp.readCode(email, since);
  expect(code).toMatch(/^\d{6}$/);
  if (options.checkScreens) await checkScreen(page, 'idp-code', options.checkScreens);
  await typeCode(page, code);
}

/** The code page's six digit boxes (its script, dev-idp/pages/code-page.js): one labelled group. */
export function codeBoxes(page: Page): Locator {
  return page.getByRole('group', { name: 'Verification code' }).getByRole('textbox');
}

/**
 * Types the code as a person does, key by key from the first box; the page submits itself at the
 * sixth digit (no tap on Continue). Resolves once the post has left the page.
 */
export async function typeCode(page: Page, code: string): Promise<void> {
  await expect(codeBoxes(page)).toHaveCount(6);
  const posted = page.waitForRequest((request) => request.method() === 'POST' && new URL(request.url()).pathname === '/verify');
  await codeBoxes(page).first().pressSequentially(code);
  await posted;
}

/** Both pages: the browser then returns to the app's /callback. */
export async function completeIdentityPages(page: Page, idp: IdpControl, email: string, options: IdentityPageOptions = {}): Promise<void> {
  const since = await submitEmail(page, idp, email, options);
  await submitCode(page, idp, email, since, options);
}
