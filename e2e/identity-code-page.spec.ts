/**
 * The local identity server's code page behaves like Logto's — six digit
 * boxes that submit when full, a live countdown before "Send a new code", "Checking…" while the
 * code is posted — and still works exactly as before with JavaScript off.
 *
 * These flows drive the identity pages alone, against an identity server of their own with a
 * 3-second resend cool-down (the shared one has none: the other flows sign the same person in
 * again within seconds). The app's callback is a plain local page; the flows only check that the
 * browser arrives there with an authorization code.
 */
import type { Page, Request } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningIdp } from '../dev-idp/factory.ts';
import { checkScreen, expect, test, watchCspViolations } from './support/fixtures';
import { codeBoxes, typeCode } from './support/identity-pages';

const COOLDOWN_SECONDS = 3;

let idp: RunningIdp;
/** Stands in for the app: its /callback answers with a plain page (routing misses a redirect's target). */
let app: Server;
let callbackUrl: string;
let authorizationUrl: () => string;

test.beforeAll(async () => {
  app = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<title>Back in the app</title>'));
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  callbackUrl = `http://localhost:${(app.address() as AddressInfo).port}/callback`;
  // dev-idp is ESM with import.meta: a dynamic import loads it as Node would (see support/servers.ts).
  const { startIdentityServer } = await import('../dev-idp/factory.ts');
  const testing = await import('../test/support/authorization-request.ts');
  idp = await startIdentityServer({
    port: 0,
    log: () => undefined,
    redirectUris: [callbackUrl],
    codeLimits: { resendCooldownSeconds: COOLDOWN_SECONDS, codesPerWindow: 100 },
  });
  authorizationUrl = () => testing.authorizationUrl(idp.issuer, { client_id: idp.appId, redirect_uri: callbackUrl });
});

test.afterAll(async () => {
  await idp?.stop();
  app?.closeAllConnections();
  app?.close();
});

function freshEmail(): string {
  return `code-page-${randomUUID().slice(0, 8)}@example.com`;
}

/** The flows end when the identity server sends the person back to the app's callback. */
async function expectBackInAppWithCode(page: Page): Promise<void> {
  await page.waitForURL(`${callbackUrl}?**`);
  // Whether a code is there, never its value (no code in logs or reports).
  expect(new URL(page.url()).searchParams.has('code'), 'the callback carries an authorization code').toBe(true);
}

/** From the authorization request to the code page; returns the code mailed. */
async function openCodePage(page: Page, email = freshEmail()): Promise<{ email: string; code: string }> {
  await page.goto(authorizationUrl());
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Send code' }).click();
  await expect(page.getByRole('heading', { name: 'Enter your code' })).toBeVisible();
  const code = idp.mailbox.latestCode(email);
  expect(code).toMatch(/^\d{6}$/);
  return { email, code: code! };
}

/** The code posts the page makes from now on. */
function watchCodePosts(page: Page): Request[] {
  const posts: Request[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/verify') posts.push(request);
  });
  return posts;
}

interface SubmitState {
  readonly label: string;
  readonly disabled: boolean;
  readonly busy: string | null;
  readonly boxesReadOnly: boolean;
}

/**
 * What the code form shows each time its button changes. Recorded from inside the page: once the
 * post has started, Playwright's locators wait for the navigation to finish, so the page could not
 * be asked while the code is being checked.
 */
async function recordSubmitStates(page: Page): Promise<SubmitState[]> {
  const states: SubmitState[] = [];
  await page.exposeFunction('__recordSubmitState', (state: SubmitState) => void states.push(state));
  await page.evaluate(() => {
    const form = document.querySelector('form[data-step="code"]')!;
    const button = form.querySelector('button[type="submit"]') as HTMLButtonElement;
    const record = (window as unknown as { __recordSubmitState: (state: unknown) => void }).__recordSubmitState;
    new MutationObserver(() =>
      record({
        label: button.textContent?.trim() ?? '',
        disabled: button.disabled,
        busy: form.getAttribute('aria-busy'),
        boxesReadOnly: [...form.querySelectorAll<HTMLInputElement>('.code-box')].every((box) => box.readOnly),
      }),
    ).observe(button, { attributes: true, childList: true, characterData: true, subtree: true });
  });
  return states;
}

/** WCAG contrast ratio of two computed `rgb(…)` colours. */
function contrast(a: string, b: string): number {
  const luminance = (color: string) => {
    const [r, g, bl] = (color.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((c) => {
      const v = Number(c) / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
}

function otherCode(code: string): string {
  return code === '000000' ? '111111' : '000000';
}

test('six boxes in one labelled group; typing the sixth digit submits without a tap, showing "Checking…" meanwhile', async ({
  page,
}, testInfo) => {
  const { code } = await openCodePage(page);
  const group = page.getByRole('group', { name: 'Verification code' });
  await expect(group).toBeVisible();
  for (let digit = 1; digit <= 6; digit++) {
    await expect(group.getByRole('textbox', { name: `Digit ${digit} of 6` })).toBeVisible();
  }
  await expect(codeBoxes(page).first()).toBeFocused();
  await expect(codeBoxes(page).first()).toHaveAttribute('autocomplete', 'one-time-code');
  await expect(codeBoxes(page).first()).toHaveAttribute('inputmode', 'numeric');
  await checkScreen(page, 'idp-code-boxes', testInfo);
  // A box's outline stands out from the card at 3:1 at least (WCAG 1.4.11; axe does not check it).
  const outline = await codeBoxes(page)
    .nth(1)
    .evaluate((box) => [getComputedStyle(box).borderTopColor, getComputedStyle(box.closest('.card')!).backgroundColor]);
  expect(contrast(outline[0]!, outline[1]!)).toBeGreaterThanOrEqual(3);

  const posts = watchCodePosts(page);
  const states = await recordSubmitStates(page);
  await page.keyboard.type(code.slice(0, 5));
  await expect(codeBoxes(page).nth(5)).toBeFocused();
  expect(posts, 'five digits are not submitted').toHaveLength(0);
  await page.keyboard.type(code.slice(5));
  await expectBackInAppWithCode(page);
  expect(posts).toHaveLength(1);
  expect(new URLSearchParams(posts[0]!.postData() ?? '').get('code') === code, 'the post carries the six digits').toBe(true);
  expect(states[0]).toEqual({ label: 'Checking…', disabled: true, busy: 'true', boxesReadOnly: true });
});

test('a pasted code (with spaces) fills every box from the first and submits', async ({ page, context }) => {
  const { code } = await openCodePage(page);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: idp.endpoint });
  await page.evaluate((text) => navigator.clipboard.writeText(text), ` ${code.slice(0, 3)} ${code.slice(3)} `);
  const posts = watchCodePosts(page);
  // Pasted into the third box: a whole code still starts at the first.
  await codeBoxes(page).nth(2).focus();
  await page.keyboard.press('ControlOrMeta+V');
  await expectBackInAppWithCode(page);
  // The form posts what the six boxes hold, joined.
  expect(posts).toHaveLength(1);
  expect(new URLSearchParams(posts[0]!.postData() ?? '').get('code') === code, 'the post carries the pasted code').toBe(true);
});

test('boxes take digits only, Backspace in an empty box goes back one, and a wrong code empties them with the message', async ({
  page,
}, testInfo) => {
  const { code } = await openCodePage(page);
  const values = () => codeBoxes(page).evaluateAll((boxes) => boxes.map((box) => (box as HTMLInputElement).value));
  await page.keyboard.type('4a');
  expect(await values()).toEqual(['4', '', '', '', '', '']);
  await expect(codeBoxes(page).nth(1)).toBeFocused();
  await page.keyboard.press('Backspace');
  expect(await values()).toEqual(['', '', '', '', '', '']);
  await expect(codeBoxes(page).first()).toBeFocused();

  await typeCode(page, otherCode(code));
  await expect(page.getByRole('alert')).toContainText('That code is not right');
  const group = page.getByRole('group', { name: 'Verification code' });
  await expect(group).toHaveAccessibleDescription(/That code is not right/);
  expect(await values()).toEqual(['', '', '', '', '', '']);
  await expect(codeBoxes(page).first()).toBeFocused();
  await expect(codeBoxes(page).first()).toHaveAttribute('aria-invalid', 'true');
  // Drawn in the error colour (light scheme: #b3261e), like the field of the page without script.
  expect(
    await codeBoxes(page)
      .nth(1)
      .evaluate((box) => getComputedStyle(box).borderTopColor),
  ).toBe('rgb(179, 38, 30)');
  await checkScreen(page, 'idp-code-boxes-wrong', testInfo);
  await typeCode(page, code);
  await expectBackInAppWithCode(page);
});

test('"Resend in 0:03" counts down live, then "Send a new code" works and the countdown starts again', async ({ page }) => {
  const { email } = await openCodePage(page);
  const waiting = page.locator('form[data-step="resend"] button');
  await expect(waiting).toHaveText(/^Resend in 0:0[1-3]$/);
  await expect(waiting).toBeDisabled();
  // The script counts down instead of the absolute time a page without script shows.
  await expect(page.getByText('You can ask for a new code in')).toBeHidden();
  // What the button says, watched until it is ready: a countdown second by second, then the action.
  const seen: string[] = [];
  await expect
    .poll(
      async () => {
        const label = ((await waiting.textContent()) ?? '').trim();
        if (seen.at(-1) !== label) seen.push(label);
        return label;
      },
      { timeout: (COOLDOWN_SECONDS + 3) * 1000, intervals: [100] },
    )
    .toBe('Send a new code');
  const countdown = seen.slice(0, -1);
  expect(countdown.length, `counted down: ${seen.join(' → ')}`).toBeGreaterThanOrEqual(2);
  const seconds = countdown.map((label) => Number(/^Resend in 0:0(\d)$/.exec(label)?.[1]));
  expect(seconds).toEqual([...seconds].sort((a, b) => b - a));
  expect(new Set(seconds).size).toBe(seconds.length);

  const resend = page.getByRole('button', { name: 'Send a new code' });
  await expect(resend).toBeEnabled();
  await resend.click();
  await expect(page.getByRole('status')).toHaveText('We sent you a new code.');
  await expect(page.locator('form[data-step="resend"] button')).toHaveText(/^Resend in 0:0[1-3]$/);
  expect(idp.mailbox.all().filter((mail) => mail.to === email)).toHaveLength(2);
  await typeCode(page, idp.mailbox.latestCode(email)!);
  await expectBackInAppWithCode(page);
});

test('at 200 % text and 360 px, the page text scales with the root size and a 61-character address widens nothing', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 800 });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Page.setFontSizes', { fontSizes: { standard: 32, fixed: 26 } });
  const email = `alexandra.konstantinopoulou.${randomUUID().slice(0, 10)}@longmail-example.co.uk`;
  expect(email).toHaveLength(61);
  await openCodePage(page, email);
  const sizes = await page.evaluate(() => ({
    root: getComputedStyle(document.documentElement).fontSize,
    body: getComputedStyle(document.body).fontSize,
    heading: getComputedStyle(document.querySelector('h1')!).fontSize,
  }));
  expect(sizes).toEqual({ root: '32px', body: '32px', heading: '48px' });
  await expect(page.locator('main p').filter({ hasText: 'We sent a 6-digit code' })).toContainText(email);
  const fit = await page.evaluate(() => {
    const viewport = document.documentElement.clientWidth;
    const outside = [...document.querySelectorAll('body *')]
      .map((el) => ({ el, box: el.getBoundingClientRect() }))
      .filter(({ box }) => box.width > 0 && (box.right > viewport + 1 || box.left < -1))
      .map(({ el }) => el.tagName.toLowerCase() + (el.id ? `#${el.id}` : ''));
    return { scrollWidth: document.documentElement.scrollWidth, viewport, outside };
  });
  expect(fit.outside).toEqual([]);
  expect(fit.scrollWidth).toBeLessThanOrEqual(fit.viewport);
  // Each box shows its digit whole.
  await page.keyboard.type('88888');
  const digitsFit = await codeBoxes(page).evaluateAll((boxes) =>
    boxes.slice(0, 5).every((box) => box.scrollWidth <= box.clientWidth + 1 && box.getBoundingClientRect().width >= 24),
  );
  expect(digitsFit, 'a digit is cut off in its box').toBe(true);
});

test('an injected inline script does not run on the code page, and the violation is reported', async ({ browser }) => {
  // A context of its own: this test wants a violation, which fails every other test.
  const context = await browser.newContext();
  const violations = await watchCspViolations(context);
  try {
    const page = await context.newPage();
    await openCodePage(page);
    await expect(codeBoxes(page)).toHaveCount(6); // the page's own script did run
    expect(violations).toEqual([]);
    const injected = await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__injected = true;';
      document.head.append(script);
      return (window as unknown as { __injected?: boolean }).__injected ?? false;
    });
    expect(injected).toBe(false);
    await expect.poll(() => violations.join('\n')).toMatch(/script-src/);
  } finally {
    await context.close();
  }
});

test.describe('with JavaScript off', () => {
  test.use({ javaScriptEnabled: false });

  test('the one-field form still signs in, and the resend time is said in words', async ({ page }) => {
    const { code } = await openCodePage(page);
    await expect(page.getByRole('group', { name: 'Verification code' })).toHaveCount(0);
    await expect(page.getByText(/^You can ask for a new code in \d+ seconds?\.$/)).toBeVisible();
    await expect(page.getByRole('button', { name: 'Send a new code' })).toBeVisible();
    await page.getByLabel('Verification code').fill(code);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expectBackInAppWithCode(page);
  });
});
