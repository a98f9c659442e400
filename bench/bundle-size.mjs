// Prints the production build's initial bundle: raw and gzip -9 bytes of every file
// index.html loads eagerly (scripts, modulepreloads, stylesheets). Run after `npm run build`.
// Baseline (measured when the benches were written): Ionic blank starter with per-component imports, 436.9 kB raw / 126.2 kB gzip.
// With BENCH_BEFORE=<git revision> (built by bench/run.mjs), that build's total is printed beside ours.
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync, constants } from 'node:zlib';
import { fileURLToPath } from 'node:url';

/** Raw and gzip -9 bytes of each file a build's index.html loads eagerly. */
function initialFiles(www) {
  const html = readFileSync(`${www}index.html`, 'utf8');
  const files = new Set(
    // Once each: `main` is both preloaded (named from the base path, "/main-….js") and a script.
    [...html.matchAll(/<(?:script|link)\b[^>]*(?:src|href)="([^"]+\.(?:js|css))"/g)]
      .map((m) => m[1])
      .filter((f) => !/^https?:/.test(f))
      .map((f) => f.replace(/^\//, '')),
  );
  return [...files].map((file) => {
    const bytes = readFileSync(`${www}${file}`);
    return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION }).length };
  });
}

const www = fileURLToPath(new URL('../www/', import.meta.url));
if (!existsSync(`${www}index.html`)) {
  console.error('No production build in www/: run `npm run build` first.');
  process.exit(1);
}
const kB = (n) => `${(n / 1000).toFixed(1)} kB`;
const sum = (rows, key) => rows.reduce((total, row) => total + row[key], 0);
const ours = initialFiles(www);
for (const { file, raw, gzip } of ours) console.log(`${file.padEnd(32)} ${kB(raw).padStart(10)} ${kB(gzip).padStart(10)}`);
const baseline = 126.2e3;
const gzip = sum(ours, 'gzip');
console.log(
  `initial total: ${kB(sum(ours, 'raw'))} raw, ${kB(gzip)} gzip -9 (${((gzip / baseline - 1) * 100).toFixed(1)}% vs Ionic blank starter 126.2 kB)`,
);
// BENCH_BEFORE=<revision>: that revision's build (made by bench/run.mjs), beside ours.
const beforeDir = process.env['BENCH_BEFORE_WWW'] ?? process.env['BENCH_COMPARE_WWW'];
if (beforeDir) {
  const label = process.env['BENCH_BEFORE_LABEL'] ?? 'before';
  const before = initialFiles(beforeDir.endsWith('/') ? beforeDir : `${beforeDir}/`);
  const diff = (key) => {
    const delta = sum(ours, key) - sum(before, key);
    return `${delta >= 0 ? '+' : '−'}${kB(Math.abs(delta))}`;
  };
  console.log(
    `initial total, ${label}: ${kB(sum(before, 'raw'))} raw, ${kB(sum(before, 'gzip'))} gzip -9 (${before.length} files; ours ${ours.length}); ours − before: ${diff('raw')} raw, ${diff('gzip')} gzip -9`,
  );
}
