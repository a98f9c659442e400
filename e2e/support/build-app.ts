/**
 * Builds the production web app once per run, for this run's ports:
 * scripts/gen-app-settings.mjs with LOGTO_ENDPOINT / BOOKSTORE_API_URL / AUTH_DEBUG_PAGE=1,
 * `ng build --output-path <dir>`, then the settings file is regenerated without those
 * variables (always), so the working tree keeps its default settings.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BuildTarget {
  root: string; // the project root (/work/main)
  outputPath: string; // ng build --output-path
  idpEndpoint: string; // http://localhost:<idpPort>
  apiUrl: string; // http://localhost:<apiPort>/
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

/** Other processes (a dev server, a unit-test run) may rewrite the settings file mid-build: check what was built. */
function builtFor(outputPath: string, idpEndpoint: string): boolean {
  return jsFiles(outputPath).some((file) => readFileSync(file, 'utf8').includes(idpEndpoint));
}

export async function buildApp(target: BuildTarget): Promise<void> {
  const { root, outputPath, idpEndpoint, apiUrl, logFile } = target;
  const buildEnv = { ...withoutBuildVars(), LOGTO_ENDPOINT: idpEndpoint, BOOKSTORE_API_URL: apiUrl, AUTH_DEBUG_PAGE: '1' };
  for (let attempt = 1; ; attempt++) {
    try {
      await run(root, ['scripts/gen-app-settings.mjs'], buildEnv, logFile);
      await run(
        root,
        ['node_modules/@angular/cli/bin/ng.js', 'build', '--configuration', 'production', '--output-path', outputPath],
        buildEnv,
        logFile,
      );
    } finally {
      await run(root, ['scripts/gen-app-settings.mjs'], withoutBuildVars(), logFile);
    }
    if (builtFor(outputPath, idpEndpoint)) return;
    if (attempt === 2) {
      throw new Error(
        `The web build does not contain the identity server endpoint ${idpEndpoint}: src/app-settings.generated.json was not used as generated (see ${logFile}).`,
      );
    }
  }
}
