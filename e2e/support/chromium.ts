/**
 * Finds the Chromium the end-to-end suite drives. Playwright never downloads a browser here
 * (only the npm registry and Debian's packages are reachable): we use the system's Chromium.
 * Order: $CHROMIUM_PATH, then the usual system locations. No browser → the run fails with
 * the install hint; it never skips.
 */
import { accessSync, constants, statSync } from 'node:fs';

export const INSTALL_HINT = 'apt-get install -y chromium';

/** The real binary first: Debian's /usr/bin/chromium is a shell wrapper around it. */
export const SYSTEM_LOCATIONS = [
  '/usr/lib/chromium/chromium',
  '/usr/bin/chromium',
  '/usr/lib/chromium-browser/chromium-browser',
  '/usr/bin/chromium-browser',
  '/snap/bin/chromium',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
];

/**
 * Flags for Debian's Chromium in a container (docs/e2e.md). Without the networking flags
 * Chromium keeps calling home and fills the log with refused connections.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-extensions',
  '--no-first-run',
  '--disable-sync',
];

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findChromium(env: NodeJS.ProcessEnv = process.env, locations: readonly string[] = SYSTEM_LOCATIONS): string {
  const fromEnv = env['CHROMIUM_PATH'];
  if (fromEnv) {
    if (isExecutableFile(fromEnv)) return fromEnv;
    throw new Error(
      `CHROMIUM_PATH is set to "${fromEnv}", which is not an executable file. Fix the path, or unset it and install Chromium: ${INSTALL_HINT}`,
    );
  }
  const found = locations.find(isExecutableFile);
  if (found) return found;
  throw new Error(
    `No Chromium found for the end-to-end suite (looked at $CHROMIUM_PATH and ${locations.join(', ')}). ` +
      `Install it: ${INSTALL_HINT}  (or point CHROMIUM_PATH at a Chromium/Chrome binary). Playwright never downloads a browser in this project.`,
  );
}

/** Playwright's own switch that turns the back-forward cache off (real Chrome has it on). */
export const DISABLE_BFCACHE_SWITCH = '--disable-back-forward-cache';

/** Launch options for the suite's Chromium; `backForwardCache` restores Chrome's default. */
export function chromiumLaunchOptions(options: { backForwardCache?: boolean } = {}) {
  return {
    executablePath: findChromium(),
    args: CHROMIUM_ARGS,
    ...(options.backForwardCache ? { ignoreDefaultArgs: [DISABLE_BFCACHE_SWITCH] } : {}),
  };
}
