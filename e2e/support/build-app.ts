/**
 * Builds the production web app once per run, for this run's ports:
 * scripts/gen-app-settings.mjs with LOGTO_ENDPOINT / BOOKSTORE_API_URL / AUTH_DEBUG_PAGE=1
 * writes this run's settings to a file of its own (`--out`), and
 * `ng build --define AUTH_APP_SETTINGS=<those settings> --output-path <dir>` bakes them in
 * (src/app/app-settings.ts). The shared src/app-settings.generated.json, which a running
 * `npm start` watches, is never touched.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface BuildTarget {
  root: string; // the project root
  outputPath: string; // ng build --output-path
  idpEndpoint: string; // http://localhost:<idpPort>
  apiUrl: string; // http://localhost:<apiPort>/
  /** The app id the identity server knows the app by (default: identity.config.json logto.appId). */
  appId?: string;
  logFile: string;
}

/** The variables this build sets; the restore run drops them. */
const BUILD_VARS = ['LOGTO_ENDPOINT', 'LOGTO_APP_ID', 'BOOKSTORE_API_URL', 'AUTH_DEBUG_PAGE'] as const;

function withoutBuildVars(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of BUILD_VARS) delete env[name];
  return env;
}

function run(root: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const log = createWriteStream(logFile, { flags: 'a' });
    log.write(`\n$ node ${args.join(' ')}\n`);
    // process.execPath: the project's Node 24 (npx puts node_modules/.bin first on PATH).
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: { ...env, NG_CLI_ANALYTICS: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.on('error', reject);
    child.on('close', (code) => {
      log.end();
      if (code === 0) resolve();
      else reject(new Error(`\`node ${args.join(' ')}\` failed (exit ${code}); see ${logFile}`));
    });
  });
}

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.js'))
    .map((name) => join(dir, name));
}

/** The build must name this run's identity server: proof that the defined settings were used. */
function builtFor(outputPath: string, idpEndpoint: string): boolean {
  return jsFiles(outputPath).some((file) => readFileSync(file, 'utf8').includes(idpEndpoint));
}

export async function buildApp(target: BuildTarget): Promise<void> {
  const { root, outputPath, idpEndpoint, apiUrl, appId, logFile } = target;
  const buildEnv = {
    ...withoutBuildVars(),
    LOGTO_ENDPOINT: idpEndpoint,
    BOOKSTORE_API_URL: apiUrl,
    AUTH_DEBUG_PAGE: '1',
    ...(appId ? { LOGTO_APP_ID: appId } : {}),
  };
  const settingsFile = join(dirname(outputPath), 'e2e-app-settings.json');
  await run(root, ['scripts/gen-app-settings.mjs', '--out', settingsFile], buildEnv, logFile);
  const settings = JSON.stringify(JSON.parse(readFileSync(settingsFile, 'utf8')));
  await run(
    root,
    [
      'node_modules/@angular/cli/bin/ng.js',
      'build',
      '--configuration',
      'production',
      '--output-path',
      outputPath,
      '--define',
      `AUTH_APP_SETTINGS=${settings}`,
    ],
    buildEnv,
    logFile,
  );
  // As `npm run build`: the initial code in one chunk, preloaded, the Content-Security-Policy from this
  // build's settings (connect-src names this run's identity server and API), then the guard: no
  // dev tools, a strict policy.
  await run(root, ['scripts/merge-initial-chunks.mjs', outputPath], buildEnv, logFile);
  await run(root, ['scripts/apply-csp.mjs', outputPath, '--settings', settingsFile], buildEnv, logFile);
  await run(root, ['scripts/check-production-build.mjs', outputPath], buildEnv, logFile);
  if (!builtFor(outputPath, idpEndpoint)) {
    throw new Error(
      `The web build does not contain the identity server endpoint ${idpEndpoint}: AUTH_APP_SETTINGS was not applied (see ${logFile}).`,
    );
  }
}
