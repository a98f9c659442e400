/**
 * Once per `playwright test` run: start the servers (in-process, free ports), build the
 * production web app for those ports, and hand the addresses to the workers through
 * E2E_STACK. Returns the teardown (stops the servers, removes the temporary folders).
 */
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { FullConfig } from '@playwright/test';
import { buildApp } from './build-app';
import { startServers } from './servers';
import { STACK_ENV } from './stack';

function assertNode24(): void {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 24) {
    throw new Error(
      `The e2e suite runs on the project's Node 24 (found ${process.version}). Run it with \`npm run e2e\` or \`npx playwright test\` from the project folder.`,
    );
  }
}

export default async function globalSetup(config: FullConfig): Promise<() => Promise<void>> {
  assertNode24();
  const root = dirname(config.configFile ?? join(process.cwd(), 'playwright.config.ts'));
  const resultsDir = join(root, 'test-results');
  mkdirSync(resultsDir, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), 'bookstore-e2e-'));
  const wwwDir = join(tmp, 'www');
  const dataDir = join(tmp, 'idp-data');
  mkdirSync(dataDir);

  const started = Date.now();
  // The identity server prints codes and sign-ins; keep them out of the test output.
  const serverLog = createWriteStream(join(resultsDir, 'e2e-servers.log'));
  const servers = await startServers({ wwwDir, dataDir, log: (line) => serverLog.write(`${line}\n`) });
  const teardown = async () => {
    await servers.stop();
    serverLog.end();
    rmSync(tmp, { recursive: true, force: true });
  };
  const { stack } = servers;
  try {
    await buildApp({
      root,
      outputPath: wwwDir,
      idpEndpoint: stack.idpEndpoint,
      apiUrl: stack.apiUrl,
      logFile: join(resultsDir, 'e2e-build.log'),
    });
  } catch (error) {
    await teardown();
    throw error;
  }
  process.env[STACK_ENV] = JSON.stringify(stack);
  console.log(
    `e2e: app ${stack.appUrl}, identity server ${stack.idpEndpoint}, API ${stack.apiUrl} (built in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
  return teardown;
}
