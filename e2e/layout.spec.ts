/** Phone and desktop widths, light and dark: the screens adapt, and stay accessible in dark mode. */
import { signIn } from './support/app-flows';
import { checkScreen, expect, test } from './support/fixtures';

/** Relative luminance (0 black … 1 white) of a computed CSS colour like `rgb(240, 240, 240)`. */
function luminance(color: string): number {
  const [r, g, b] = (color.match(/\d+(\.\d+)?/g) ?? ['0', '0', '0']).slice(0, 3).map((c) => {
    const v = Number(c) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

async function headingLuminance(page: import('@playwright/test').Page): Promise<number> {
  const heading = page.getByRole('heading', { name: 'Sign in', level: 1 });
  await expect(heading).toBeVisible();
  return luminance(await heading.evaluate((el) => getComputedStyle(el).color));
}

test.describe('dark mode (system setting)', () => {
  test.use({ colorScheme: 'dark' });

  test('sign-in and home follow the dark system setting and pass the accessibility scan', async ({ page, idp, email }, testInfo) => {
    await page.goto('/sign-in');
    // Light text on Ionic's dark palette (in light mode the same heading is near-black, below).
    expect(await headingLuminance(page)).toBeGreaterThan(0.6);
    const surface = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--ion-background-color').trim());
    expect(surface).toMatch(/^#[01]/); // #121212 (md) or #000000 (ios)
    await checkScreen(page, 'sign-in-dark', testInfo);

    await signIn(page, idp, email);
    await checkScreen(page, 'home-dark', testInfo);
  });
});

test.describe('light mode (system setting)', () => {
  test.use({ colorScheme: 'light' });

  test('sign-in uses dark text on a light surface', async ({ page }) => {
    await page.goto('/sign-in');
    expect(await headingLuminance(page)).toBeLessThan(0.1);
  });
});

test.describe('desktop width', () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test('the sign-in column stays readable (not stretched across a wide screen) and centred', async ({ page }, testInfo) => {
    await page.goto('/sign-in');
    const button = page.getByTestId('sign-in');
    await expect(button).toBeVisible();
    const box = await button.boundingBox();
    expect(box?.width).toBeLessThan(700);
    // Centred: the space left and right of the column is about the same.
    const left = box?.x ?? 0;
    const right = 1280 - left - (box?.width ?? 0);
    expect(Math.abs(left - right)).toBeLessThan(40);
    await checkScreen(page, 'sign-in-desktop', testInfo);
  });
});

test('home draws who is signed in first; the logo and the language switch arrive without moving it', async ({ page, idp, email }) => {
  await signIn(page, idp, email);
  // A launch with the stored session: where the brand's name and the address are in the first
  // frame that shows the address (both are drawn when the page is idle, see home.html).
  await page.addInitScript(() => {
    const look = () => {
      const address = document.querySelector('app-home [data-testid="profile-email"]');
      const title = document.querySelector('app-home .brand-title');
      const visible = address && !address.closest('.ion-page-invisible') && address.getBoundingClientRect().height > 0;
      if (!visible || !title || !address.textContent) {
        requestAnimationFrame(look);
        return;
      }
      (window as unknown as { firstScreen: unknown }).firstScreen = {
        title: title.getBoundingClientRect().toJSON() as DOMRect,
        address: address.getBoundingClientRect().toJSON() as DOMRect,
      };
    };
    requestAnimationFrame(look);
  });
  await page.reload();
  const home = page.locator('app-home');
  await expect(home.getByTestId('brand-logo')).toBeVisible();
  await expect(home.getByTestId('language-switch')).toBeVisible();
  const first = await page.evaluate(() => (window as unknown as { firstScreen?: { title: DOMRect; address: DOMRect } }).firstScreen);
  expect(first, 'the first frame with the address was seen').toBeDefined();
  const now = await page.evaluate(() => ({
    title: document.querySelector('app-home .brand-title')!.getBoundingClientRect().toJSON() as DOMRect,
    address: document.querySelector('app-home [data-testid="profile-email"]')!.getBoundingClientRect().toJSON() as DOMRect,
  }));
  for (const part of ['title', 'address'] as const) {
    for (const edge of ['x', 'y', 'width', 'height'] as const) {
      expect(Math.abs(now[part][edge] - first![part][edge]), `${part} ${edge}`).toBeLessThanOrEqual(1);
    }
  }
});
