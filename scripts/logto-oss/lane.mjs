/**
 * `npm run test:logto`: the test lane against the real open-source Logto server.
 * up → Jest lane (test/logto-oss/) → Playwright lane (e2e-logto/) → down, which runs also when
 * a step fails. Without LOGTO_SOURCE there is no server to build: it says so and succeeds, so the
 * command can sit in any pipeline.
 */
import { spawnSync } from 'node:child_process';

if (!process.env.LOGTO_SOURCE?.trim()) {
  console.log(
    'test:logto skipped: set LOGTO_SOURCE to a Logto source tarball or directory (logto-io/logto at commit 1fbc55441fd2) to run the lane against the real Logto server.',
  );
  process.exit(0);
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const timings = [];

function step(label, args) {
  const t0 = Date.now();
  console.log(`\n== test:logto: ${label}`);
  const result = spawnSync(npm, args, { stdio: 'inherit' });
  const seconds = Math.round((Date.now() - t0) / 1000);
  timings.push(`${label} ${seconds} s`);
  return result.status === 0;
}

let ok = step('start the real Logto server', ['run', '-s', 'logto:oss', '--', 'up']);
if (ok) ok = step('Jest lane (test/logto-oss/)', ['run', '-s', 'jest:logto']);
if (ok) ok = step('Playwright lane (e2e-logto/)', ['run', '-s', 'e2e:logto']);
const stopped = step('stop the real Logto server', ['run', '-s', 'logto:oss', '--', 'down']);
console.log(`\n== test:logto ${ok && stopped ? 'passed' : 'FAILED'} (${timings.join(', ')})`);
process.exit(ok && stopped ? 0 : 1);
