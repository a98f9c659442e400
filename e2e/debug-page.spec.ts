/**
 * /debug (enabled in the e2e build with AUTH_DEBUG_PAGE=1): the current state, the redacted
 * context and the flight recorder, and a "copy report" whose JSON holds no secrets.
 */
import { isIn, openDebugPage, openSignIn, readFlightRecorder, signIn } from './support/app-flows';

const topLevel = (state: string) => state.split('.')[0];
import { checkScreen, expect, expectAuthState, test } from './support/fixtures';

test('the flight recorder lists the transitions of this session, errors included', async ({ page, idp }, testInfo) => {
  await openSignIn(page);
  await idp.stop();
  await page.getByTestId('sign-in').click();
  await expectAuthState(page, 'error');
  await idp.start();
  await page.getByTestId('error-dismiss').click();
  await expectAuthState(page, 'idle');

  // In-app navigation: the recorder lives in the page.
  await openDebugPage(page);
  await expect(page.getByTestId('debug-state')).toHaveText('idle');
  await expect(page.getByTestId('flight-entry').first()).toBeVisible();
  const rows = await readFlightRecorder(page);
  // Oldest first: the boot, SIGN_IN, the failure, DISMISS — each with its states and error kind.
  const story = rows.reverse().map((row) => ({ ...row, from: topLevel(row.from), to: topLevel(row.to) }));
  expect(story.at(-3)).toMatchObject({ event: 'SIGN_IN', from: 'idle', to: 'signingIn', errorKind: '' });
  expect(story.at(-2)).toMatchObject({ from: 'signingIn', to: 'error', errorKind: 'network' });
  expect(story.at(-1)).toMatchObject({ event: 'DISMISS', from: 'error', to: 'idle', errorKind: '' });
  expect(story.slice(0, -3).every((row) => row.to === 'booting' || row.from === 'booting')).toBe(true);
  await checkScreen(page, 'debug', testInfo);
});

test('signed in, the page shows the address as home does, the copied report masks it and has no secrets', async ({
  page,
  context,
  idp,
  stack,
  email,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.appUrl });
  await signIn(page, idp, email);
  await openDebugPage(page);

  await expect(page.getByTestId('debug-state')).toHaveText('authenticated');
  // This page load began at /callback: boot → code exchange → signed in.
  const [latest] = await readFlightRecorder(page);
  expect(isIn(latest!.from, 'signingIn.callback') && latest!.to === 'authenticated').toBe(true);
  const masked = `${email[0]}***@example.com`;
  // On screen, for the person holding the device: the address in full (home shows it in full too).
  await expect(page.getByTestId('debug-context')).toContainText(email);
  await expect(page.getByTestId('debug-context')).not.toContainText(masked);
  // Token times as dates in the reader's zone and relative ("in 59 minutes"), not epoch seconds.
  await expect(page.getByTestId('id-expires')).toContainText(/\(in \d+ minutes?\)/);
  await expect(page.getByTestId('access-expires')).toContainText(/\(in \d+ (minutes?|hours?|seconds?)\)/);
  // Events in words; the machine's own name stays in the row's title.
  const latestEvent = page.getByTestId('flight-entry').first().locator('td').nth(1);
  await expect(latestEvent).toContainText('Sign-in completed');
  await expect(latestEvent).toHaveAttribute('title', 'xstate.done.actor.completeSignIn');

  await page.getByTestId('copy-report').click();
  await expect(page.getByTestId('copy-status')).toHaveText('Report copied. Paste it into your bug report.');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  const report = JSON.parse(copied) as { state: string; entries: { event: string; from: string; to: string }[] };
  expect(report.state).toBe('authenticated');
  expect(report.entries.length).toBeGreaterThanOrEqual(2);
  expect(copied).toContain(masked);
  expect(copied).not.toContain(email);
  expect(copied).not.toMatch(/eyJ[\w-]+\.[\w-]+/); // no JWT (ID, access token)
  expect(copied).not.toContain('/callback'); // no callback URL
  expect(copied).not.toMatch(/[?&](code|state)=/); // no authorization code or state value
});
