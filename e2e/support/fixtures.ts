/**
 * The `test` every spec uses: `stack` (this run's servers), `baseURL` = the app, `idp`
 * (stop/restart the identity server, read the dev mailbox over HTTP) and helpers to check a
 * screen: the machine state on <html>, an axe scan, and a screenshot for reviewers.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test as base, type BrowserContext, type Locator, type Page, type TestInfo } from '@playwright/test';
import { readStack, type Stack } from './stack';

export { expect };

export interface IdpControl {
  /** Stops the identity server: its port refuses connections until `start()`. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data dir (same keys, users, grants). */
  start(): Promise<void>;
  /** The newest verification code mailed to `email` after `since`, from GET /dev/mailbox?to= (JSON). */
  readCode(email: string, since: Date): Promise<string>;
}

async function control(stack: Stack, action: 'stop' | 'start'): Promise<void> {
  const response = await fetch(`${stack.controlUrl}/idp/${action}`, { method: 'POST' });
  if (!response.ok) throw new Error(`identity server ${action} failed: ${response.status} ${await response.text()}`);
}

interface MailboxEntry {
  to: string;
  usageType: string;
  subject: string;
  code: string;
  sentAt: string;
}

async function readCode(stack: Stack, email: string, since: Date): Promise<string> {
  const url = `${stack.idpEndpoint}/dev/mailbox?to=${encodeURIComponent(email)}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const response = await fetch(url, { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`GET /dev/mailbox answered ${response.status}`);
    const entries = (await response.json()) as MailboxEntry[];
    // Newest first; sentAt has millisecond precision, `since` is taken just before the request.
    const fresh = entries.find((entry) => entry.to === email && Date.parse(entry.sentAt) >= since.getTime() - 1000);
    if (fresh) return fresh.code;
    if (Date.now() > deadline) throw new Error(`no verification code for ${email} in the dev mailbox`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Content-Security-Policy violations in any page of `context`, as they happen: the `securitypolicyviolation` event of each document, and Chromium's console report.
 * Queries are cut from URLs (a callback URL carries a code).
 */
export async function watchCspViolations(context: BrowserContext): Promise<string[]> {
  const violations: string[] = [];
  const clean = (text: string) => text.replace(/\?[^\s'"]*/g, '?…');
  await context.exposeBinding('__reportCspViolation', (_source, line: string) => void violations.push(clean(line)));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { __reportCspViolation?: (line: string) => void }).__reportCspViolation;
      report?.(
        `${event.effectiveDirective} blocked ${event.blockedURI || 'an inline resource'} (${event.sourceFile || 'page'}:${event.lineNumber})`,
      );
    });
  });
  context.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(clean(message.text()));
  });
  return violations;
}

export const test = base.extend<{ idp: IdpControl; email: string }, { stack: Stack }>({
  // Every test fails on any Content-Security-Policy violation, in any of its pages.
  context: async ({ context }, use) => {
    const violations = await watchCspViolations(context);
    await use(context);
    expect(violations, 'Content-Security-Policy violations').toEqual([]);
  },
  // Playwright reads fixture dependencies from the destructuring pattern: `{}` = none.
  // eslint-disable-next-line no-empty-pattern
  stack: [async ({}, use) => use(readStack()), { scope: 'worker' }],
  baseURL: async ({ stack }, use) => use(stack.appUrl),
  idp: async ({ stack }, use) => {
    const idp: IdpControl = {
      stop: () => control(stack, 'stop'),
      start: () => control(stack, 'start'),
      readCode: (email, since) => readCode(stack, email, since),
    };
    await use(idp);
    // A failed "server down" test must not leave the next tests without an identity server.
    await idp.start();
  },
  // A fresh person per test: the flows do not depend on each other's accounts.
  // eslint-disable-next-line no-empty-pattern
  email: async ({}, use) => use(`e2e-${randomUUID().slice(0, 8)}@example.com`),
});

/**
 * The dotted machine state the app puts on <html> (the contract in docs/auth-machine.md). A name matches
 * itself and its sub-states (`signingIn.redirecting` matches `signingIn.redirecting.waiting`):
 * the contract fixes these names, sub-states may be added under them.
 */
export async function expectAuthState(page: Page, state: string | RegExp, timeout?: number): Promise<void> {
  const expected = typeof state === 'string' ? new RegExp(`^${state.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\..+)?$`) : state;
  await expect(page.locator('html')).toHaveAttribute('data-auth-state', expected, { timeout });
}

/** test-results/screens: kept after a passing run (the output dir is cleared when a run starts). */
function screensDir(): string {
  const dir = join(test.info().project.outputDir, 'screens');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A screenshot under test-results/screens/<name>.png, for reviewers. */
export async function saveScreen(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(screensDir(), `${name}.png`), fullPage: true, animations: 'disabled' });
}

/** axe-core scan of the current page: no serious or critical violations (the report is attached). */
export async function expectAccessible(page: Page, name: string, testInfo: TestInfo): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const report = JSON.stringify(results.violations, null, 2);
  await testInfo.attach(`axe-${name}.json`, { body: report, contentType: 'application/json' });
  // Every finding, minor ones included, next to the screenshot for reviewers.
  writeFileSync(join(screensDir(), `${name}.axe.json`), report);
  const blocking = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const summary = blocking.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`);
  expect(summary, `axe violations on the ${name} screen`).toEqual([]);
}

/**
 * The app's current screen. Ionic keeps earlier pages of the stack in the DOM (hidden with
 * `ion-page-hidden`) and shows two pages while a transition runs: wait until one is left.
 * On a page without Ionic (the identity server's) this is the page itself.
 */
export async function currentScreen(page: Page): Promise<Locator> {
  const outlet = page.locator('ion-router-outlet');
  if ((await outlet.count()) === 0) return page.locator('body');
  const shown = outlet.locator(':scope > .ion-page:not(.ion-page-hidden)');
  await expect(shown).toHaveCount(1);
  return shown;
}

/** Screenshot + axe scan: every screen the flows reach is checked the same way. */
export async function checkScreen(page: Page, name: string, testInfo: TestInfo): Promise<void> {
  await currentScreen(page);
  await saveScreen(page, name);
  await expectAccessible(page, name, testInfo);
}

/** identity.config.json, the single source of identity settings (e.g. the app id the ID token's `aud` names). */
export function readIdentityConfig(): { logto: { appId: string } } {
  const root = dirname(test.info().config.configFile ?? join(process.cwd(), 'playwright.config.ts'));
  return JSON.parse(readFileSync(join(root, 'identity.config.json'), 'utf8')) as { logto: { appId: string } };
}
