import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './e2e/support/chromium';

// Never let Playwright fetch a browser: this project drives the system's Chromium (docs/e2e.md).
process.env['PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD'] = '1';

/**
 * End-to-end suite: the production web build, the local identity server and the sample API,
 * all started by global setup on free ports, driven in Debian's Chromium. One worker: the
 * flows share one identity server (one of them stops and restarts it) and the machine has
 * two cores.
 */
export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results',
  globalSetup: './e2e/support/global-setup.ts',
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env['CI'],
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: chromiumLaunchOptions(),
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    viewport: { width: 390, height: 844 },
    // The app reads the device's language: English unless a spec asks for another (e2e/language.spec.ts).
    locale: 'en-US',
    actionTimeout: 10_000,
    navigationTimeout: 20_000,
  },
});
