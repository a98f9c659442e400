/**
 * The local identity pages as a reviewer met them on a phone: at 200 % text on a 360 px screen,
 * locked out after wrong codes, after an expired code, and in Simplified Chinese when the app
 * asks (`ui_locales`). Each flow runs against an identity server of its own (short lifetimes and
 * limits); the app's callback is a plain local page.
 */
import type { Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { IdpOptions, RunningIdp } from '../dev-idp/factory.ts';
import { checkScreen, expect, expectAccessible, test } from './support/fixtures';
import { typeCode } from './support/identity-pages';

let app: Server;
let callbackUrl: string;
const running: RunningIdp[] = [];

test.beforeAll(async () => {
  app = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<title>Back in the app</title>'));
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  callbackUrl = `http://localhost:${(app.address() as AddressInfo).port}/callback`;
});

test.afterEach(async () => {
  await Promise.all(running.splice(0).map((idp) => idp.stop()));
});

test.afterAll(async () => {
  app?.closeAllConnections();
  app?.close();
});

/** An identity server of this test's own; returns where its sign-in starts. */
async function identityServer(options: IdpOptions = {}, params: Record<string, string> = {}): Promise<{ idp: RunningIdp; url: string }> {
  // dev-idp is ESM with import.meta: a dynamic import loads it as Node would (see support/servers.ts).
  const { startIdentityServer } = await import('../dev-idp/factory.ts');
  const testing = await import('../test/support/authorization-request.ts');
  const idp = await startIdentityServer({ port: 0, log: () => undefined, redirectUris: [callbackUrl], ...options });
  running.push(idp);
  return { idp, url: testing.authorizationUrl(idp.issuer, { client_id: idp.appId, redirect_uri: callbackUrl, ...params }) };
}

function freshEmail(prefix = 'idp-pages'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}@example.com`;
}

async function toCodePage(page: Page, idp: RunningIdp, url: string, email: string): Promise<string> {
  await page.goto(url);
  await page.locator('input[name="email"]').fill(email);
  await page.locator('form[data-step="email"] button').click();
  await expect(page.locator('form[data-step="code"]')).toBeVisible();
  const code = idp.mailbox.latestCode(email);
  expect(code).toMatch(/^\d{6}$/);
  return code!;
}

function otherCode(code: string): string {
  return code === '000000' ? '111111' : '000000';
}

/** Words (outside addresses) that a line break cuts in two: "Verificatio / n". */
async function wordsBrokenMidWord(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const broken: string[] = [];
    const walker = document.createTreeWalker(document.querySelector('main')!, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? '';
      for (const match of text.matchAll(/[^\s@.]+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].filter((rect) => rect.width > 0).map((rect) => Math.round(rect.top)));
        if (lines.size > 1) broken.push(match[0]);
      }
    }
    return broken;
  });
}

test('at 200 % text on a 360 px screen: px page padding, the content uses the width, whole words, six usable boxes', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 800 });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Page.setFontSizes', { fontSizes: { standard: 32, fixed: 26 } });
  const { idp, url } = await identityServer();
  const email = `big.text.${randomUUID().slice(0, 8)}@longmail-example.co.uk`;
  await toCodePage(page, idp, url, email);
  await expect(page.getByRole('group', { name: 'Verification code' })).toBeVisible();
  expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('32px');

  const layout = await page.evaluate(() => {
    const form = document.querySelector('form[data-step="code"]')!.getBoundingClientRect();
    const main = getComputedStyle(document.querySelector('main')!);
    const card = getComputedStyle(document.querySelector('.card')!);
    return { formWidth: form.width, mainPadding: parseFloat(main.paddingLeft), cardPadding: parseFloat(card.paddingLeft) };
  });
  // The padding does not grow with the text: 88 px a side at 200 % (rem) left 184 px of 360.
  expect(layout.mainPadding + layout.cardPadding).toBeLessThanOrEqual(32);
  expect(layout.formWidth).toBeGreaterThanOrEqual(290);

  expect(await wordsBrokenMidWord(page)).toEqual([]);

  // Six boxes a thumb can hit, each square-ish (two rows of three when the text is this large).
  const boxes = await page
    .getByRole('group', { name: 'Verification code' })
    .getByRole('textbox')
    .evaluateAll((elements) =>
      elements.map((el) => el.getBoundingClientRect()).map(({ width, height, right }) => ({ width, height, right })),
    );
  expect(boxes).toHaveLength(6);
  for (const box of boxes) {
    expect(box.width).toBeGreaterThanOrEqual(44);
    expect(box.height).toBeGreaterThanOrEqual(44);
    expect(box.width / box.height).toBeGreaterThan(0.6);
    expect(box.width / box.height).toBeLessThan(1.7);
    expect(box.right).toBeLessThanOrEqual(360);
  }
  // A viewport screenshot: a full-page one resizes the page and loses the browser's text size.
  await page.screenshot({ path: join(test.info().project.outputDir, 'screens', 'idp-code-200-percent-text-360.png') });
  await expectAccessible(page, 'idp-code-200-percent-text-360', test.info());
});

test('locked out: only a countdown (from the instant the server gives) and "Use a different email"; then "Try again"', async ({ page }) => {
  await page.clock.install();
  const { idp, url } = await identityServer({ codeLimits: { wrongCodesPerHour: 2, lockoutSeconds: 125 } });
  const code = await toCodePage(page, idp, url, freshEmail('locked'));
  await typeCode(page, otherCode(code));
  await expect(page.getByRole('alert')).toContainText('1 attempt left');
  await typeCode(page, otherCode(code));

  await expect(page.getByRole('heading', { name: 'Try again later' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('You can try again in 3 minutes.');
  // Nothing that would not work now: no boxes, no Continue, no resend or its countdown.
  await expect(page.getByRole('textbox')).toHaveCount(0);
  await expect(page.getByRole('button')).toHaveCount(0);
  await expect(page.getByText(/Resend|Send a new code/)).toHaveCount(0);
  await expect(page.locator('main')).not.toContainText(/\d\d:\d\d/);
  await expect(page.getByRole('link', { name: 'Use a different email' })).toBeVisible();
  await checkScreen(page, 'idp-locked-360', test.info());

  await page.clock.fastForward('01:10');
  await expect(page.getByRole('alert')).toContainText('You can try again in 1 minute.');
  await page.clock.fastForward('01:00');
  await expect(page.getByRole('alert')).toContainText('You can try again now.');
  await expect(page.getByRole('link', { name: 'Try again' })).toBeFocused();
});

test('after an expired code the focus is on "Send a new code", the only way on', async ({ page }) => {
  const { idp, url } = await identityServer({ ttl: { verificationCode: 1 }, codeLimits: { resendCooldownSeconds: 0 } });
  const code = await toCodePage(page, idp, url, freshEmail('expired'));
  await page.waitForTimeout(1100);
  await typeCode(page, code);
  await expect(page.getByRole('alert')).toHaveText('This code has expired. Send a new code and try again.');
  await expect(page.getByRole('button', { name: 'Send a new code' })).toBeFocused();
  await expect(page.getByRole('group', { name: 'Verification code' })).toHaveCount(0);
  await page.keyboard.press('Enter');
  await expect(page.getByText('We sent you a new code.')).toBeVisible();
  await expect(page.getByRole('group', { name: 'Verification code' }).getByRole('textbox').first()).toBeFocused();
});

test('in Simplified Chinese when the app asks (ui_locales=zh-CN), the script included; signs in', async ({ page }) => {
  const { idp, url } = await identityServer({ codeLimits: { resendCooldownSeconds: 5 } }, { ui_locales: 'zh-CN' });
  await page.goto(url);
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByRole('heading', { name: '通过邮箱继续' })).toBeVisible();
  const email = freshEmail('zh');
  await page.getByLabel('邮箱').fill(email);
  await page.getByRole('button', { name: '发送验证码' }).click();
  await expect(page.getByRole('heading', { name: '输入验证码' })).toBeVisible();
  const group = page.getByRole('group', { name: '验证码' });
  await expect(group.getByRole('textbox', { name: '第 1 位，共 6 位' })).toBeVisible();
  await expect(page.locator('form[data-step="resend"] button')).toHaveText(/^0:0[1-5] 后重发$/);
  await checkScreen(page, 'idp-code-zh-CN-360', test.info());
  const posted = page.waitForRequest((request) => request.method() === 'POST' && new URL(request.url()).pathname === '/verify');
  await group.getByRole('textbox').first().pressSequentially(idp.mailbox.latestCode(email)!);
  await posted;
  await page.waitForURL(`${callbackUrl}?**`);
});
