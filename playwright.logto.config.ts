import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './e2e/support/chromium';

// Never let Playwright fetch a browser: this project drives the system's Chromium (docs/e2e.md).
process.env['PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD'] = '1';

/**
 * The Playwright lane against the real open-source Logto server (`npm run test:logto`, after
 * `npm run logto:oss -- up`): the production web build signs in through Logto's own sign-in
 * pages. Global setup registers the app with `npm run logto:setup`, builds the app for this
 * run's ports and starts the sample API trusting that Logto. See docs/real-logto.md.
 */
export default defineConfig({
  testDir: 'e2e-logto',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results/logto',
  globalSetup: './e2e-logto/support/global-setup.ts',
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env['CI'],
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report/logto' }]],
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: chromiumLaunchOptions(),
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    viewport: { width: 390, height: 844 },
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
  },
});
