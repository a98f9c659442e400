// `npm run bench`: runs every benchmark and prints its figures. Benchmarks measure; they never
// pass or fail on a number (targets are read by people, see bench/README.md).
// TypeScript benches are bundled with esbuild (shipped with Angular's build tools) so they can
// import the app's extensionless ESM sources; the Capacitor plugins resolve to the simulated
// native shell, exactly as in the Jest node project.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { buildBefore, storageCodeChanged } from './support/before-build.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const only = process.argv[2];
const out = `${root}bench/results/`;
mkdirSync(out, { recursive: true });
// Rows of this run only (each bench writes bench/results/<name>.json through bench/support/results.ts).
for (const file of readdirSync(out)) if (file.endsWith('.json')) rmSync(`${out}${file}`);

// BENCH_BEFORE=<git revision>: our app as built from that revision, measured beside ours in the
// same run (cold-start takes it into its rounds, bundle-size prints its figures beside ours).
if (process.env['BENCH_BEFORE']) {
  const before = buildBefore(process.env['BENCH_BEFORE']);
  process.env['BENCH_BEFORE_WWW'] = before.dir;
  process.env['BENCH_BEFORE_LABEL'] = before.label;
  process.env['BENCH_BEFORE_APP_ID'] = before.settings.appId;
  const changed = storageCodeChanged(before.commit);
  if (changed.length > 0) {
    console.log(
      `before: ${changed.join(', ')} changed since ${before.commit.slice(0, 9)}; its stored session is seeded in today's format (a build that cannot read it stops the cold-start bench, saying so)`,
    );
  }
}

const benches = readdirSync(`${root}bench`).filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only)));
for (const file of benches) {
  const outfile = `${out}${file.replace(/\.ts$/, '.mjs')}`;
  await build({
    entryPoints: [`${root}bench/${file}`],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    logLevel: 'warning',
    // Playwright drives the system's Chromium from its own package files: never bundled.
    external: ['@playwright/test', 'playwright', 'playwright-core'],
    // Packages are bundled too, so that the Logto SDK's own imports of @capacitor/* also
    // resolve to the simulated shell (as Jest's moduleNameMapper does).
    alias: {
      '@capacitor/browser': `${root}test/native-shell/browser.ts`,
      '@capacitor/app': `${root}test/native-shell/app.ts`,
      '@capacitor/preferences': `${root}test/native-shell/preferences.ts`,
    },
    plugins: [
      {
        // dev-idp is a Node program of its own (it reads files next to itself): run it unbundled.
        name: 'dev-idp-external',
        setup(b) {
          b.onResolve({ filter: /dev-idp\// }, (args) => ({ path: `${root}dev-idp/${args.path.split('dev-idp/')[1]}`, external: true }));
        },
      },
    ],
  });
  console.log(`\n## ${file}`);
  execFileSync(process.execPath, ['--expose-gc', outfile], { stdio: 'inherit', cwd: root });
}
if (!only || 'bundle-size'.includes(only)) {
  console.log('\n## bundle-size (production build in www/)');
  try {
    execFileSync(process.execPath, [`${root}bench/bundle-size.mjs`], { stdio: 'inherit' });
  } catch {
    // bundle-size.mjs already said what to do (run `npm run build`).
  }
}

// Only when named (it builds both apps once more, with source maps): where the initial bytes go.
if (only === 'bytes-by-feature') {
  console.log('\n## bytes-by-feature (ours and the starter, built with source maps)');
  execFileSync(process.execPath, [`${root}bench/bytes-by-feature.mjs`], { stdio: 'inherit' });
}

// One table: each figure, its baseline from the same run, the ratio, the target.
const rows = readdirSync(out)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .flatMap((f) => JSON.parse(readFileSync(`${out}${f}`, 'utf8')));
if (rows.length) {
  const cols = ['figure', 'ours', 'baseline', 'ratio', 'target'];
  const cell = (v) => String(v).replaceAll('|', '\\|');
  console.log(
    `\n## Summary (${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.versions.node})\n`,
  );
  console.log(`| ${cols.join(' | ')} |`);
  console.log(`| ${cols.map(() => '---').join(' | ')} |`);
  for (const row of rows) console.log(`| ${cols.map((c) => cell(row[c] ?? '')).join(' | ')} |`);
}
