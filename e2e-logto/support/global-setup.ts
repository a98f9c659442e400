/**
 * Once per run of the real-Logto Playwright lane: `npm run logto:setup` against the running
 * Logto (app, API resources, Aliyun DM connector with the lane's key pair, sign-in experience),
 * a role granting read:books, the production web build for this run's app origin (registered as
 * an extra redirect origin), and the sample API trusting this Logto. Without a running Logto
 * (no state file) it prints why and the specs skip themselves.
 *
 * The project's test support is ESM TypeScript with `import.meta`; Playwright compiles this
 * folder to CommonJS, so it is loaded with import() (as e2e/support/servers.ts does).
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { FullConfig } from '@playwright/test';
import { buildApp } from '../../e2e/support/build-app';
import { startStaticServer } from '../../e2e/support/static-server';
import { LANE_STACK_ENV, type LaneStack } from './lane-stack';

export default async function globalSetup(config: FullConfig): Promise<() => Promise<void>> {
  const root = dirname(config.configFile ?? join(process.cwd(), 'playwright.logto.config.ts'));
  const { realLogto, setupEnv, skipMessage } = await import('../../test/logto-oss/support/real-logto.ts');
  const logto = realLogto();
  if (!logto) {
    console.log(skipMessage);
    return async () => undefined;
  }
  const { allowAppOrigin, ensureBooksReaderRole } = await import('../../test/logto-oss/support/tenant.ts');
  const { startSampleApi } = await import('../../dev-idp/sample-api.ts');
  const started = Date.now();
  const resultsDir = join(root, 'test-results', 'logto');
  mkdirSync(resultsDir, { recursive: true });

  // The command a team runs against its tenant, as a child process.
  const setup = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '-s', 'logto:setup'], {
    cwd: root,
    env: { ...process.env, ...setupEnv(logto) },
    encoding: 'utf8',
  });
  const appId = /App id: (\w+)/.exec(setup.stdout)?.[1];
  if (setup.status !== 0 || !appId) throw new Error(`npm run logto:setup failed (exit ${setup.status}):\n${setup.stderr}`);
  await ensureBooksReaderRole(logto);

  const tmp = mkdtempSync(join(tmpdir(), 'bookstore-e2e-logto-'));
  const wwwDir = join(tmp, 'www');
  const browserDir = join(wwwDir, 'browser');
  const app = await startStaticServer(() => browserDir);
  const appUrl = `http://localhost:${app.port}`;
  const serverLog = createWriteStream(join(resultsDir, 'servers.log'));
  const api = await startSampleApi({
    port: 0,
    issuer: `${logto.endpoint}/oidc`,
    appOrigins: [appUrl],
    log: (line) => serverLog.write(`${line}\n`),
  });
  const teardown = async () => {
    await Promise.allSettled([api.stop(), app.close()]);
    serverLog.end();
    rmSync(tmp, { recursive: true, force: true });
  };
  try {
    await allowAppOrigin(logto, appId, appUrl);
    // The app's source imports the generated settings (the build then overrides them): on a
    // fresh clone they exist only after a typecheck or build, so make them when missing.
    if (!existsSync(join(root, 'src', 'app-settings.generated.json'))) {
      spawnSync(process.execPath, ['scripts/gen-app-settings.mjs'], { cwd: root, stdio: 'ignore' });
    }
    await buildApp({
      root,
      outputPath: wwwDir,
      idpEndpoint: logto.endpoint,
      apiUrl: `http://localhost:${api.port}/`,
      appId,
      logFile: join(resultsDir, 'build.log'),
    });
  } catch (error) {
    await teardown();
    throw error;
  }
  const stack: LaneStack = { appUrl, logtoEndpoint: logto.endpoint, appId, apiUrl: `http://localhost:${api.port}/` };
  process.env[LANE_STACK_ENV] = JSON.stringify(stack);
  console.log(
    `e2e-logto: app ${appUrl}, Logto ${logto.endpoint}, API ${stack.apiUrl} (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
  return teardown;
}
