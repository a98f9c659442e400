/**
 * The production build ships a strict Content-Security-Policy (the defence
 * of the web fallback's localStorage tokens), Chromium enforces it, and the suite fails on any
 * violation (fixtures.ts watches every test's pages).
 */
import { createHash } from 'node:crypto';
import { expectSignedIn, signIn } from './support/app-flows';
import { expect, test, watchCspViolations } from './support/fixtures';

function directivesOf(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

test("the build's index.html carries a strict policy whose connect-src names this run's identity server and API", async ({
  request,
  stack,
}) => {
  const html = await (await request.get('/')).text();
  const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1]?.replaceAll('&#39;', "'");
  expect(policy).toBeDefined();
  const directives = directivesOf(policy!);
  // The build's own files, and each inline script of index.html by its exact hash: the static
  // "Finishing sign-in…" of the web return page is the only one (critical-CSS inlining is off).
  const inline = [...html.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
  expect(inline).toHaveLength(1);
  expect(inline[0]).toContain('location.pathname');
  const hashes = inline.map((text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`);
  expect(directives.get('script-src')).toEqual(["'self'", ...hashes]);
  expect(directives.get('object-src')).toEqual(["'none'"]);
  expect(directives.get('connect-src')).toEqual(["'self'", stack.idpEndpoint, stack.apiUrl]);
});

test('Chromium enforces it: an injected inline script does not run, a request to an unlisted server is blocked, and both are reported', async ({
  browser,
  stack,
}) => {
  // A context of its own: this test wants violations, which fail every other test.
  const context = await browser.newContext({ baseURL: stack.appUrl });
  const violations = await watchCspViolations(context);
  try {
    const page = await context.newPage();
    await page.goto('/sign-in');
    await expect(page.locator('html')).toHaveAttribute('data-auth-state', 'idle');
    const outcome = await page.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.__injected = true;';
      document.head.append(script);
      const fetched = await fetch('http://127.0.0.1:9/steal').then(
        () => 'sent',
        () => 'blocked',
      );
      return { injected: (window as unknown as { __injected?: boolean }).__injected ?? false, fetched };
    });
    expect(outcome).toEqual({ injected: false, fetched: 'blocked' });
    await expect.poll(() => violations.join('\n')).toMatch(/script-src/);
    await expect.poll(() => violations.join('\n')).toMatch(/connect-src blocked http:\/\/127\.0\.0\.1:9\/steal/);
  } finally {
    await context.close();
  }
});

test('signs in, calls the API and reloads under the policy without a single violation', async ({ page, idp, stack, email }) => {
  await signIn(page, idp, email);
  const apiResponse = page.waitForResponse((response) => response.url() === `${stack.apiUrl}bookshelf`);
  await page.getByTestId('call-api').click();
  expect((await apiResponse).status()).toBe(200);
  await page.reload();
  await expectSignedIn(page, email);
  // The fixture fails this test on any violation during all of it.
});
