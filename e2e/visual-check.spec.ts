/**
 * Readability, checked on every screen at 360 px and 1440 px, light and dark, with a
 * 61-character address: nothing overflows the viewport, the whole address is readable (wrapped,
 * never clipped), and axe passes (contrast included) in both schemes.
 *
 * `npm run screens` runs this spec with UPDATE_SCREENS=1 and refreshes docs/screens/ (the README
 * shows a few of them).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expectSignedIn, openDebugPage, openSignIn, readFlightRecorder, signIn } from './support/app-flows';
import { checkScreen, currentScreen, expect, readIdentityConfig, test } from './support/fixtures';
import { completeIdentityPages, submitCode, submitEmail } from './support/identity-pages';

const WIDTHS = [360, 1440] as const;
const SCHEMES = ['light', 'dark'] as const;
/** The app's languages (each run in English, then again with the browser set to Chinese). */
type Language = 'en' | 'zh-CN';
/** Screens committed under docs/screens (the rest stay in test-results/screens). */
const DOC_SCREENS = new Set([
  'sign-in-360-light',
  'home-360-light',
  'home-360-dark',
  'idp-code-360-dark',
  'debug-360-dark',
  'home-1440-light',
  'sign-in-360-light-zh-CN',
  'sign-in-360-dark-zh-CN',
  'home-360-light-zh-CN',
  'home-360-dark-zh-CN',
  'debug-1440-light-zh-CN',
]);

/** A 61-character address, fresh per run (codes are limited per address). */
function longEmail(): string {
  const email = `alexandra.konstantinopoulou.${randomUUID().slice(0, 10)}@longmail-example.co.uk`;
  expect(email).toHaveLength(61);
  return email;
}

/** Elements that stick out of the viewport sideways (inside a horizontal scroller is fine). */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const found: string[] = [];
    const scrolls = (el: Element) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX) && el.tagName !== 'ION-CONTENT';
    for (const el of document.querySelectorAll('body *')) {
      if (el.closest('.ion-page-hidden') || el.closest('[aria-hidden="true"]')) continue;
      let parent = el.parentElement;
      let inScroller = false;
      while (parent) {
        if (scrolls(parent)) inScroller = true;
        parent = parent.parentElement;
      }
      if (inScroller) continue;
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      if (box.right > width + 1 || box.left < -1)
        found.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} ${Math.round(box.left)}–${Math.round(box.right)}`);
    }
    if (document.documentElement.scrollWidth > width + 1) found.push(`document ${document.documentElement.scrollWidth} > ${width}`);
    return found.slice(0, 10);
  });
}

/** The element shows all of `email`: the text is there, nothing clipped, inside the viewport. */
async function expectWholeEmail(element: Locator, email: string): Promise<void> {
  await expect(element).toBeVisible();
  await expect(element).toContainText(email);
  const fit = await element.evaluate((el) => ({
    clipped: el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible',
    ellipsis: getComputedStyle(el).textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth,
    right: el.getBoundingClientRect().right,
    viewport: document.documentElement.clientWidth,
  }));
  expect(fit.clipped || fit.ellipsis, 'the address is cut off').toBe(false);
  expect(fit.right).toBeLessThanOrEqual(fit.viewport + 1);
}

async function check(page: Page, name: string, testInfo: Parameters<typeof checkScreen>[2]): Promise<void> {
  await checkScreen(page, name, testInfo); // screenshot + axe (serious/critical fail)
  expect(await overflowing(page), `overflow on ${name}`).toEqual([]);
  if (process.env['UPDATE_SCREENS'] === '1' && DOC_SCREENS.has(name)) {
    const dir = join(process.cwd(), 'docs', 'screens');
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: join(dir, `${name}.png`), animations: 'disabled' });
  }
}

for (const width of WIDTHS) {
  for (const scheme of SCHEMES) {
    test.describe(`${width} px, ${scheme}`, () => {
      test.use({ viewport: { width, height: width < 800 ? 800 : 900 }, colorScheme: scheme });
      // A whole sign-in with a full-page screenshot and an axe scan of every screen: over a
      // minute on a busy two-core machine.
      test.describe.configure({ timeout: 150_000 });

      test(`every screen fits, shows the whole address and passes axe (${width} px, ${scheme})`, async ({ page, idp, stack }, testInfo) => {
        const suffix = `${width}-${scheme}`;
        const email = longEmail();
        await openSignIn(page);
        await check(page, `sign-in-${suffix}`, testInfo);

        await page.getByTestId('email-input').locator('input').fill(email);
        await page.getByTestId('sign-in').click();
        await page.waitForURL(`${stack.idpEndpoint}/**`);
        await expect(page.locator('form[data-step="email"]')).toBeVisible();
        await check(page, `idp-email-${suffix}`, testInfo);
        const since = await submitEmail(page, idp, email);
        await expectWholeEmail(page.locator('main p').filter({ hasText: 'We sent a 6-digit code' }), email);
        await check(page, `idp-code-${suffix}`, testInfo);
        await submitCode(page, idp, email, since);
        await page.waitForURL('**/home');
        await expectSignedIn(page, email);

        const screen = await currentScreen(page);
        await expectWholeEmail(screen.getByTestId('profile-email'), email);
        // The address once on the page (not again in a list). The "Signed in as …" announcement
        // is read by screen readers only, not drawn: left out.
        const shown = await screen.evaluate((el) => {
          const copy = el.cloneNode(true) as HTMLElement;
          copy.querySelectorAll('.visually-hidden').forEach((hidden) => hidden.remove());
          return copy.textContent ?? '';
        });
        expect(shown.split(email)).toHaveLength(2);
        await expect(screen.getByTestId('developer-details')).not.toHaveAttribute('open');
        await check(page, `home-${suffix}`, testInfo);
        await screen.getByTestId('developer-details').locator('summary').click();
        await check(page, `home-claims-${suffix}`, testInfo);

        await openDebugPage(page);
        // The recorder survived the two redirects of the sign-in (sessionStorage): the start is there.
        const rows = await readFlightRecorder(page);
        expect(rows.some((row) => row.event === 'SIGN_IN')).toBe(true);
        await page.getByTestId('copy-report').click();
        await expect(page.getByTestId('copy-status')).toBeVisible();
        await check(page, `debug-${suffix}`, testInfo);
      });

      test.describe('in Simplified Chinese', () => {
        test.use({ locale: 'zh-CN' });

        test(`the app's screens in Chinese fit and pass axe (${width} px, ${scheme})`, async ({ page, idp }, testInfo) => {
          const suffix = `${width}-${scheme}-zh-CN`;
          const email = longEmail();
          await page.goto('/sign-in');
          await expect(page.getByRole('heading', { name: '登录', level: 1 })).toBeVisible();
          await check(page, `sign-in-${suffix}`, testInfo);

          // Through the identity pages in English (their language is theirs), back to Chinese on home.
          const switchTo = async (lang: Language) =>
            (await currentScreen(page)).getByTestId('language-switch').locator(`button[lang="${lang}"]`).click();
          await switchTo('en');
          await page.getByTestId('email-input').locator('input').fill(email);
          await page.getByTestId('sign-in').click();
          await completeIdentityPages(page, idp, email);
          await page.waitForURL('**/home');
          await expectSignedIn(page, email);
          await switchTo('zh-CN');
          const screen = await currentScreen(page);
          await expect(screen.getByRole('heading', { name: '你的账号' })).toBeVisible();
          await expectWholeEmail(screen.getByTestId('profile-email'), email);
          await check(page, `home-${suffix}`, testInfo);
          await screen.getByTestId('developer-details').locator('summary').click();
          await check(page, `home-claims-${suffix}`, testInfo);

          await openDebugPage(page, '身份验证调试');
          await check(page, `debug-${suffix}`, testInfo);
        });
      });
    });
  }
}

test.describe('an address at 200 % text on a 360 px phone', () => {
  test.use({ viewport: { width: 360, height: 800 } });

  test('wraps after "@" or before a dot, never inside a word ("example.co" / "m")', async ({ page, idp, email }, testInfo) => {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Page.setFontSizes', { fontSizes: { standard: 32, fixed: 26 } });
    await signIn(page, idp, email);
    const address = (await currentScreen(page)).getByTestId('profile-email');
    await expect(address).toHaveText(email);
    // Where each line of the address starts: every break must come after "@" or "-", or before a dot.
    const breaks = await address.evaluate((el) => {
      const found: { before: string; after: string }[] = [];
      let previousTop: number | null = null;
      let text = '';
      for (const node of el.childNodes) {
        if (node.nodeType !== Node.TEXT_NODE) continue;
        for (let i = 0; i < (node.textContent ?? '').length; i++) {
          const range = document.createRange();
          range.setStart(node, i);
          range.setEnd(node, i + 1);
          const top = Math.round(range.getBoundingClientRect().top);
          const char = node.textContent![i]!;
          if (previousTop !== null && top > previousTop + 2) found.push({ before: text.slice(-1), after: char });
          previousTop = top;
          text += char;
        }
      }
      return found;
    });
    expect(breaks.length, 'the address fits on one line: the check would prove nothing').toBeGreaterThan(0);
    const midWord = breaks.filter(({ before, after }) => !['@', '-'].includes(before) && after !== '.');
    expect(midWord, 'the address broken inside a word').toEqual([]);
    await checkScreen(page, 'home-200-percent-text-360', testInfo);
  });
});

test('keyboard focus on an Ionic button shows a ring, a tapped error card none', async ({ page, idp }) => {
  // A tap: the error card takes focus (for screen readers) but draws no permanent ring.
  await openSignIn(page);
  await idp.stop();
  await page.getByTestId('sign-in').click();
  const card = (await currentScreen(page)).getByTestId('auth-error');
  await expect(card).toBeFocused();
  expect(await card.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('none');
  await idp.start();

  // The keyboard: a visible ring on the focused Ionic button.
  await openSignIn(page);
  const continueButton = page.getByTestId('sign-in');
  for (let i = 0; i < 10 && !(await continueButton.evaluate((el) => el.classList.contains('ion-focused'))); i++) {
    await page.keyboard.press('Tab');
  }
  await expect(continueButton).toHaveClass(/ion-focused/);
  expect(await continueButton.evaluate((el) => getComputedStyle(el).outlineWidth)).toBe('3px');
});

test.describe('200 % text on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('the title is not cut, initials stay inside the avatar, Sign out keeps its name', async ({ page, idp, email }) => {
    // The browser's text-size setting (default font size 32 px instead of 16 px).
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Page.setFontSizes', { fontSizes: { standard: 32, fixed: 26 } });
    await signIn(page, idp, email);
    const screen = await currentScreen(page);
    const title = screen.locator('ion-title');
    const cut = await title.evaluate((el) => {
      const inner = el.shadowRoot?.querySelector('.toolbar-title') as HTMLElement | null;
      return inner ? inner.scrollWidth > inner.clientWidth + 1 : true;
    });
    expect(cut, 'the toolbar title is ellipsized').toBe(false);
    // Ionic hands the aria-label to its inner button: that is what a screen reader meets.
    await expect(screen.getByRole('button', { name: 'Sign out' })).toBeVisible();
    const fits = await screen
      .getByTestId('avatar-initials')
      .evaluate((el) => el.scrollWidth <= el.clientWidth + 1 && el.scrollHeight <= el.clientHeight + 1);
    expect(fits, 'the initials overflow the avatar').toBe(true);
    await checkScreen(page, 'home-200-percent-text', test.info());
  });
});

/**
 * The identity pages on their own, in both languages (Simplified Chinese through `ui_locales`, as
 * the app sends it), both schemes, 360 and 1440 px: the email, code and lockout pages, an error
 * page oidc-provider asks for, and "signed out". Each fits the viewport and passes axe.
 */
const IDP_DOC_SCREENS = new Set([
  'idp-email-en-360-light',
  'idp-email-zh-CN-360-light',
  'idp-code-zh-CN-360-dark',
  'idp-locked-en-360-light',
  'idp-locked-zh-CN-360-dark',
  'idp-error-zh-CN-360-light',
]);

async function checkIdentityPage(page: Page, name: string, testInfo: Parameters<typeof checkScreen>[2]): Promise<void> {
  await checkScreen(page, name, testInfo);
  expect(await overflowing(page), `overflow on ${name}`).toEqual([]);
  if (process.env['UPDATE_SCREENS'] === '1' && IDP_DOC_SCREENS.has(name)) {
    const dir = join(process.cwd(), 'docs', 'screens');
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: join(dir, `${name}.png`), animations: 'disabled' });
  }
}

for (const locale of ['en', 'zh-CN'] as const) {
  for (const width of WIDTHS) {
    for (const scheme of SCHEMES) {
      test.describe(`identity pages, ${locale}, ${width} px, ${scheme}`, () => {
        test.use({ viewport: { width, height: width < 800 ? 800 : 900 }, colorScheme: scheme });

        test(`the identity pages in ${locale} fit and pass axe (${width} px, ${scheme})`, async ({ page, stack }, testInfo) => {
          test.slow(); // five pages, each scanned by axe: about 40 s on two shared cores
          const suffix = `${locale}-${width}-${scheme}`;
          const { authorizationUrl } = await import('../test/support/authorization-request.ts');
          const appId = readIdentityConfig().logto.appId;
          const params = { client_id: appId, redirect_uri: `${stack.appUrl}/callback`, ui_locales: locale };
          await page.goto(authorizationUrl(`${stack.idpEndpoint}/oidc`, params));
          await expect(page.locator('html')).toHaveAttribute('lang', locale);
          const email = longEmail();
          await page.locator('input[name="email"]').fill(email);
          await checkIdentityPage(page, `idp-email-${suffix}`, testInfo);

          await page.locator('form[data-step="email"] button').click();
          await expect(page.locator('form[data-step="code"]')).toBeVisible();
          await expect(page.locator('.code-box')).toHaveCount(6);
          await checkIdentityPage(page, `idp-code-${suffix}`, testInfo);

          // Ten wrong codes (the default limit) lock the address: the lockout page.
          for (let attempt = 0; attempt < 10; attempt += 1) {
            await page.request.post(`${stack.idpEndpoint}/verify`, { form: { code: 'abcdef'.replace(/./g, String(attempt % 10)) } });
          }
          await page.goto(`${stack.idpEndpoint}/verify`);
          await expect(page.locator('#locked-countdown')).toBeVisible();
          await checkIdentityPage(page, `idp-locked-${suffix}`, testInfo);

          await page.goto(`${stack.idpEndpoint}/oidc/auth?client_id=no-such-app&ui_locales=${locale}`);
          await expect(page.locator('html')).toHaveAttribute('lang', locale);
          await checkIdentityPage(page, `idp-error-${suffix}`, testInfo);

          await page.goto(`${stack.idpEndpoint}/oidc/session/end?client_id=${appId}&ui_locales=${locale}`);
          await expect(page.locator('h1')).toHaveText(locale === 'en' ? 'You are signed out' : '你已退出登录');
          await checkIdentityPage(page, `idp-signed-out-${suffix}`, testInfo);
        });
      });
    }
  }
}
