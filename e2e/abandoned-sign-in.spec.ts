/**
 * The person leaves the identity server's page with the browser's Back button: the app says
 * the sign-in was interrupted (a recoverable `cancelled` error), and Retry starts it again.
 * Here the browser loads the app page again (Playwright's default: no back-forward cache), so
 * the boot finds the sign-in still pending without a callback. The bfcache variant is in
 * abandoned-sign-in-bfcache.spec.ts.
 */
import { backInApp, isIn, openDebugPage, readFlightRecorder } from './support/app-flows';
import { expectInterrupted, leaveIdentityPageWithBack, retrySignsIn } from './support/abandon-flow';
import { expect, test } from './support/fixtures';

test('Back from the identity page (page loaded again) shows "Sign-in was interrupted", and Retry signs in', async ({
  page,
  idp,
  stack,
  email,
}, testInfo) => {
  await leaveIdentityPageWithBack(page, stack);
  await expectInterrupted(page, testInfo);

  // This page's life began with the boot that found the pending sign-in.
  await openDebugPage(page);
  const [latest] = await readFlightRecorder(page);
  expect(latest).toMatchObject({ from: 'booting', errorKind: 'cancelled' });
  expect(isIn(latest!.to, 'error')).toBe(true);
  await backInApp(page, '/sign-in');

  await retrySignsIn(page, idp, stack, email);
});
