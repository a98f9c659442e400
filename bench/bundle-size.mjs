// Prints the production build's initial bundle: raw and gzip -9 bytes of every file
// index.html loads eagerly (scripts, modulepreloads, stylesheets). Run after `npm run build`.
// Baseline (measured when the benches were written): Ionic blank starter with per-component imports, 436.9 kB raw / 126.2 kB gzip.
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync, constants } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const www = fileURLToPath(new URL('../www/', import.meta.url));
if (!existsSync(`${www}index.html`)) {
  console.error('No production build in www/: run `npm run build` first.');
  process.exit(1);
}
const html = readFileSync(`${www}index.html`, 'utf8');
const files = new Set(
  [...html.matchAll(/<(?:script|link)\b[^>]*(?:src|href)="([^"]+\.(?:js|css))"/g)].map((m) => m[1]).filter((f) => !/^https?:/.test(f)),
);
let raw = 0;
let gzip = 0;
const rows = [];
for (const file of files) {
  const bytes = readFileSync(`${www}${file}`);
  const zipped = gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION }).length;
  raw += bytes.length;
  gzip += zipped;
  rows.push([file, bytes.length, zipped]);
}
const kB = (n) => `${(n / 1000).toFixed(1)} kB`;
for (const [file, r, g] of rows) console.log(`${file.padEnd(32)} ${kB(r).padStart(10)} ${kB(g).padStart(10)}`);
const baseline = 126.2e3;
console.log(
  `initial total: ${kB(raw)} raw, ${kB(gzip)} gzip -9 (${((gzip / baseline - 1) * 100).toFixed(1)}% vs Ionic blank starter 126.2 kB)`,
);
