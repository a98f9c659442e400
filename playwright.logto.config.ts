import { defineConfig } from '@playwright/test';
import e2eConfig from './playwright.config';

/**
 * The Playwright lane against the real open-source Logto server (`npm run test:logto`, after
 * `npm run logto:oss -- up`): the production web build signs in through Logto's own sign-in
 * pages. Global setup registers the app with `npm run logto:setup`, builds the app for this
 * run's ports and starts the sample API trusting that Logto. See docs/real-logto.md.
 *
 * It runs like the end-to-end suite (playwright.config.ts: the system's Chromium, never a
 * downloaded one, one worker, its `use`) with its own specs and setup, longer waits (a real
 * server over real HTTP), and the browser's own language (Logto's pages pick theirs from it).
 */
const { locale: _appLocale, ...e2eUse } = e2eConfig.use ?? {};

export default defineConfig({
  ...e2eConfig,
  testDir: 'e2e-logto',
  outputDir: 'test-results/logto',
  globalSetup: './e2e-logto/support/global-setup.ts',
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report/logto' }]],
  use: { ...e2eUse, actionTimeout: 15_000, navigationTimeout: 30_000 },
});
