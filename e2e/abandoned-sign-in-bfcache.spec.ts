/**
 * The abandoned sign-in as Chrome usually plays it: the back-forward cache restores the app
 * page as it was when it left for the identity server, `pageshow` (persisted) tells the
 * adapter the browser step ended, and after the grace period the machine reports `cancelled`.
 * Playwright launches Chromium with the cache off; this file turns it back on (a launch
 * option, so it needs a file of its own: Playwright starts a new worker for it).
 */
import { backInApp, isIn, openDebugPage, readFlightRecorder } from './support/app-flows';
import { expectInterrupted, leaveIdentityPageWithBack, retrySignsIn } from './support/abandon-flow';
import { chromiumLaunchOptions } from './support/chromium';
import { expect, test } from './support/fixtures';

test.use({ launchOptions: chromiumLaunchOptions({ backForwardCache: true }) });

test('Back from the identity page (app restored from the cache) shows "Sign-in was interrupted", and Retry signs in', async ({
  page,
  idp,
  stack,
  email,
}) => {
  await leaveIdentityPageWithBack(page, stack);
  await expectInterrupted(page);

  // The same page life as before leaving: SIGN_IN, then BROWSER_CLOSED from `pageshow`.
  await openDebugPage(page);
  const rows = await readFlightRecorder(page);
  const events = rows.map((row) => row.event).reverse(); // oldest first
  // One page life (one boot) that saw SIGN_IN and then BROWSER_CLOSED: restored, not reloaded.
  expect(events.filter((event) => event === 'xstate.init')).toHaveLength(1);
  expect(events.indexOf('SIGN_IN')).toBeGreaterThan(0);
  expect(events.indexOf('BROWSER_CLOSED')).toBeGreaterThan(events.indexOf('SIGN_IN'));
  const closed = rows.find((row) => row.event === 'BROWSER_CLOSED')!;
  expect(isIn(closed.from, 'signingIn.redirecting')).toBe(true);
  // …and the grace period ran out without a callback: cancelled.
  expect(rows[0]!.errorKind).toBe('cancelled');
  expect(isIn(rows[0]!.to, 'error')).toBe(true);
  await backInApp(page, '/sign-in');

  await retrySignsIn(page, idp, stack, email);
});
