/**
 * `npm run logto:oss -- up|down|status|env`: builds and runs the open-source Logto server from
 * its source (LOGTO_SOURCE: a source tarball such as logto-<commit>.tar.gz, or a source
 * directory), with a PostgreSQL cluster of its own, so tests can run against the real thing.
 * Every step skips work already done: the first `up` builds (minutes), later ones take seconds.
 * See docs/real-logto.md.
 */
import { down, printEnv, RunnerError, status, up } from './runner.mjs';

const usage = `usage: npm run logto:oss -- up|down|status|env

  up      build (once) and start Logto + its PostgreSQL, create the Management API app,
          write the state file the tests read
  down    stop what \`up\` started (the database keeps its data)
  status  say what runs
  env     print the settings \`npm run logto:setup\` needs, as shell exports

Settings (environment): LOGTO_SOURCE (required for up), LOGTO_OSS_DIR [.logto-oss],
LOGTO_OSS_PORT [3301], LOGTO_OSS_ADMIN_PORT [3302], LOGTO_OSS_PG_PORT [5433],
LOGTO_OSS_ALIYUN_PORT [3303], LOGTO_OSS_STATE [<LOGTO_OSS_DIR>/run/logto-oss.json]`;

const commands = { up, down, status, env: printEnv };
const command = process.argv[2];

if (!command || !Object.hasOwn(commands, command)) {
  console.error(usage);
  process.exit(2);
}
try {
  await commands[command]();
} catch (error) {
  if (error instanceof RunnerError) {
    console.error(`logto:oss ${command}: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
