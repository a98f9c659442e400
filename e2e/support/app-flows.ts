/** Steps in the app that several flows share. */
import type { Locator, Page } from '@playwright/test';
import { currentScreen, expect, expectAuthState, type IdpControl } from './fixtures';
import { completeIdentityPages } from './identity-pages';

/** The app's sign-in screen, signed out and ready. */
export async function openSignIn(page: Page): Promise<void> {
  await page.goto('/sign-in');
  await expectAuthState(page, 'idle');
  await expect(page.getByRole('heading', { name: 'Sign in', level: 1 })).toBeVisible();
}

/** Home shows the signed-in person (the ID token's email) and the machine is `authenticated`. */
export async function expectSignedIn(page: Page, email: string): Promise<void> {
  await expectAuthState(page, 'authenticated');
  await expect(page.getByTestId('profile-email')).toHaveText(email);
}

/** From the sign-in screen through the identity server's pages back to home. */
export async function signIn(page: Page, idp: IdpControl, email: string): Promise<void> {
  await openSignIn(page);
  await page.getByTestId('sign-in').click();
  await completeIdentityPages(page, idp, email);
  await page.waitForURL('**/home');
  await expectSignedIn(page, email);
}

/**
 * Holds the app's discovery request to the identity server, so the "Finish signing in in your
 * browser" state stays on screen (on the web the page leaves for the identity server as soon
 * as the SDK has built the authorization URL). Holding a fetch rather than the navigation
 * keeps the page itself responsive to Playwright. `release()` lets the request go on.
 */
export async function holdDiscovery(page: Page, idpEndpoint: string): Promise<{ release(): Promise<void> }> {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const url = `${idpEndpoint}/oidc/.well-known/openid-configuration`;
  await page.route(url, async (route) => {
    await gate;
    await route.continue();
  });
  // Later discovery requests (after release) pass straight through; no unroute, which would
  // race the held request.
  return {
    async release() {
      open();
    },
  };
}

/** The value shown for one ID-token claim in the home screen's claims list. */
export function claimValue(page: Page, name: string): Locator {
  return page
    .getByTestId('claims')
    .locator('ion-label')
    .filter({ has: page.locator('.claim-name', { hasText: new RegExp(`^${name}$`) }) })
    .locator('.claim-value');
}

/**
 * Opens /debug through the in-app link: the flight recorder lives in the page, so a fresh page
 * load would show only its own boot.
 */
export async function openDebugPage(page: Page, heading = 'Auth debug'): Promise<void> {
  await (await currentScreen(page)).getByTestId('debug-link').click();
  // In-app (history.pushState) navigation: no `load` to wait for.
  await page.waitForURL('**/debug', { waitUntil: 'commit' });
  await expect(page.getByRole('heading', { name: heading })).toBeVisible();
}

export interface FlightRow {
  readonly event: string;
  readonly from: string;
  readonly to: string;
  readonly errorKind: string;
}

/** The debug page's flight recorder as data, newest first (one row per transition). */
export async function readFlightRecorder(page: Page): Promise<FlightRow[]> {
  await expect(page.getByTestId('flight-recorder')).toBeVisible();
  return page.getByTestId('flight-entry').evaluateAll((rows) =>
    rows.map((row) => {
      const tds = [...row.querySelectorAll('td')];
      const cells = tds.map((cell) => cell.textContent?.trim() ?? '');
      const [from = '', to = ''] = (cells[2] ?? '').split(' → ');
      // The page shows events and error kinds in words; the machine's names are in data attributes.
      return {
        event: tds[1]?.getAttribute('data-event') ?? cells[1] ?? '',
        from,
        to,
        errorKind: tds[3]?.getAttribute('data-error-kind') ?? cells[3] ?? '',
      };
    }),
  );
}

/** `error` or one of its sub-states (and likewise for any state name). */
export function isIn(state: string, name: string): boolean {
  return state === name || state.startsWith(`${name}.`);
}

/** Browser Back within the app (a router navigation: no `load`), to the given path. */
export async function backInApp(page: Page, path: string): Promise<void> {
  await page.goBack({ waitUntil: 'commit' });
  await page.waitForURL(`**${path}`, { waitUntil: 'commit' });
  await currentScreen(page);
}

/**
 * Home's "Sign out", through the identity server's end-session page (`idpEndpoint`/oidc/session/end)
 * and back to the app's sign-out callback, ending on the sign-in screen, signed out. The pages
 * are told apart by origin and path only: no query (state, tokens) enters the test's output.
 */
export async function signOutThroughEndSession(
  page: Page,
  { idpEndpoint, appUrl }: { idpEndpoint: string; appUrl: string },
): Promise<void> {
  const visited: string[] = [];
  page.on('request', (request) => {
    if (!request.isNavigationRequest()) return;
    const url = new URL(request.url());
    visited.push(url.origin + url.pathname);
  });
  await page.getByTestId('sign-out').click();
  await page.waitForURL(`${appUrl}/sign-in`);
  await expectAuthState(page, 'idle');
  expect(visited).toContain(`${idpEndpoint}/oidc/session/end`);
  expect(visited).toContain(`${appUrl}/callback/sign-out`);
}
