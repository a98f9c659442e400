/**
 * Production build. The development build swaps this file for build-mode.development.ts
 * (angular.json fileReplacements), so dev-only code behind `devTools` is tree-shaken
 * out of production bundles entirely.
 */
export const devTools = false;
