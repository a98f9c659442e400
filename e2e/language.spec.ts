/**
 * The app in the reader's language: a browser set to Simplified Chinese gets the app in Chinese
 * (sign-in and home), <html lang> and the document title follow, the identity provider is asked
 * for the same language (`ui_locales`), and the visible switch changes the language at once and
 * keeps it across a reload. Axe passes in both languages.
 */
import { expectSignedIn } from './support/app-flows';
import { checkScreen, currentScreen, expect, expectAuthState, test } from './support/fixtures';
import { completeIdentityPages } from './support/identity-pages';

test.describe('a browser in Simplified Chinese', () => {
  test.use({ locale: 'zh-CN' });

  test('gets the sign-in screen in Chinese and the identity provider is asked for Chinese (ui_locales)', async ({
    page,
    stack,
  }, testInfo) => {
    await page.goto('/sign-in');
    await expectAuthState(page, 'idle');
    await expect(page.getByRole('heading', { name: '登录', level: 1 })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await expect(page).toHaveTitle('登录 · Bookstore');
    await expect(page.getByTestId('sign-in')).toContainText('继续');
    await expect(page.getByTestId('language-switch').locator('button[lang="zh-CN"]')).toHaveAttribute('aria-pressed', 'true');
    await checkScreen(page, 'sign-in-zh-CN', testInfo);

    const authorize = page.waitForRequest((request) => request.url().startsWith(`${stack.idpEndpoint}/oidc/auth`));
    await page.getByTestId('sign-in').click();
    const url = new URL((await authorize).url());
    expect(url.searchParams.get('ui_locales')).toBe('zh-CN');
  });

  test('home in Chinese: switched there, kept across a reload, and the sign-in announced', async ({ page, idp, email }, testInfo) => {
    // Signed in in English (the identity pages' own language is theirs), then switched on home.
    await page.goto('/sign-in');
    await expectAuthState(page, 'idle');
    await page.getByTestId('language-switch').locator('button[lang="en"]').click();
    await expect(page.getByRole('heading', { name: 'Sign in', level: 1 })).toBeVisible();
    await page.getByTestId('sign-in').click();
    await completeIdentityPages(page, idp, email);
    await page.waitForURL('**/home');
    await expectSignedIn(page, email);
    // Focus: screen readers hear who is signed in (a polite live region).
    await expect(page.getByTestId('signed-in-announcement')).toHaveText(`Signed in as ${email}.`);

    let screen = await currentScreen(page);
    await screen.getByTestId('language-switch').locator('button[lang="zh-CN"]').click();
    await expect(screen.getByTestId('switch-account')).toContainText('切换账号');
    await expect(screen.getByRole('button', { name: '退出登录' })).toBeVisible();
    await expect(screen.getByRole('heading', { name: '你的账号' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await expect(page).toHaveTitle('首页 · Bookstore');

    await page.reload();
    await expectSignedIn(page, email);
    screen = await currentScreen(page);
    await expect(screen.getByRole('heading', { name: '你的账号' })).toBeVisible();
    await expect(screen.getByTestId('account-facts')).toContainText('注册时间');
    await checkScreen(page, 'home-zh-CN', testInfo);
  });
});

test('a browser in English gets English, and a Traditional Chinese browser falls back to English', async ({ browser, baseURL }) => {
  for (const locale of ['en-GB', 'zh-TW']) {
    const context = await browser.newContext({ locale, baseURL });
    const page = await context.newPage();
    await page.goto('/sign-in');
    await expect(page.getByRole('heading', { name: 'Sign in', level: 1 })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await context.close();
  }
});
