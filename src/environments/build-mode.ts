import type { AuthDevToolsLoader } from './auth-dev-tools-loader';

/**
 * Production build. The development build swaps this file for build-mode.development.ts
 * (angular.json fileReplacements). Dev-only code is reached only through `authDevTools`,
 * which is null here: the production module graph never contains the dev-tools chunk or
 * @statelyai/inspect. (A `devTools` flag alone is not enough: esbuild does not inline a
 * constant imported from another module, so `if (devTools) import(...)` would still emit the
 * chunk.) scripts/check-production-build.mjs verifies the output.
 */
export const devTools = false;
export const authDevTools: AuthDevToolsLoader | null = null;
