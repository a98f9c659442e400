import type { Config } from 'jest';
import presets from 'jest-preset-angular/presets/index.js';

/**
 * Three projects:
 * - `unit`: Angular code in jsdom, zoneless, CommonJS (jest-preset-angular).
 * - `node`: the identity server, the integration suite and the real Logto SDK in Node,
 *   native ESM because oidc-provider, jose and @logto/* ship ESM only.
 *   `npm run jest` starts Node with --experimental-vm-modules for this project.
 * - `logto-oss`: the same Node setup, for the lane against the real open-source Logto server
 *   (test/logto-oss/); `npm run test:logto` starts that server first. Kept out of `node` so the
 *   ordinary suite never waits for a Logto build.
 */
/** The Logto server's source and build (npm run logto:oss): not ours to crawl or resolve from. */
const logtoWorkDir = '<rootDir>/.logto-oss/';

const unit: Config = {
  displayName: 'unit',
  modulePathIgnorePatterns: [logtoWorkDir],
  ...presets.createCjsPreset({ tsconfig: '<rootDir>/tsconfig.spec.json' }),
  setupFilesAfterEnv: ['<rootDir>/src/testing/setup-jest.ts'],
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  moduleNameMapper: {
    '^ionicons/components/(.*?)(\\.js)?$': '<rootDir>/node_modules/ionicons/components/$1.js',
    // @logto/js exports only an `import` condition, which Jest's CommonJS resolver cannot see.
    '^@logto/js$': '<rootDir>/node_modules/@logto/js/lib/index.js',
  },
  // ESM-only packages (Ionic, Stencil, the Logto SDK and its dependencies) are transpiled to CommonJS.
  transformIgnorePatterns: [
    'node_modules/(?!.*\\.mjs$|@ionic|@stencil|ionicons|@logto|@silverhand|jose|xstate|@xstate|@capacitor|@aparajita|camelcase|map-obj|quick-lru|js-base64)',
  ],
};

const node: Config = {
  displayName: 'node',
  modulePathIgnorePatterns: [logtoWorkDir],
  testEnvironment: 'node',
  testMatch: ['<rootDir>/dev-idp/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/logto-oss/'],
  // 15 s per test (servers and whole sign-ins over HTTP); a setup file, because Jest 30 ignores
  // `testTimeout` in a project's configuration.
  setupFilesAfterEnv: ['<rootDir>/test/support/node-test-timeout.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.node.json' }],
  },
  // Jest resolves ESM through its own resolver: map the simulated native shell in one place.
  moduleNameMapper: {
    '^@capacitor/browser$': '<rootDir>/test/native-shell/browser.ts',
    '^@capacitor/app$': '<rootDir>/test/native-shell/app.ts',
    '^@capacitor/preferences$': '<rootDir>/test/native-shell/preferences.ts',
  },
};

const logtoOss: Config = {
  ...node,
  displayName: 'logto-oss',
  testMatch: ['<rootDir>/test/logto-oss/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  // 60 s per test: a real server answers slower than the in-process one.
  setupFilesAfterEnv: ['<rootDir>/test/support/node-test-timeout.ts', '<rootDir>/test/logto-oss/support/test-timeout.ts'],
};

const config: Config = {
  projects: [unit, node, logtoOss],
};

export default config;
