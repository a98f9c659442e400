// Fails when a production build carries development-only auth tooling.
// Run after `ng build` (production is the default configuration):
//   node scripts/check-production-build.mjs [outputDir=www]
// The dev tools (Stately inspector, console transition log, window.__authActor) are loaded
// through environments/build-mode.development.ts only; if a change ever pulls them into the
// production module graph, this check names the file and the marker it found.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const MARKERS = [
  ['statelyai', '@statelyai/inspect (the Stately inspector)'],
  ['createBrowserInspector', 'the Stately browser inspector'],
  ['__authActor', 'the window.__authActor console handle'],
  ['installDevTools', 'the auth dev-tools chunk'],
];

const dir = resolve(process.argv[2] ?? 'www');

function jsFiles(folder) {
  let entries;
  try {
    entries = readdirSync(folder);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return jsFiles(path);
    return name.endsWith('.js') || name.endsWith('.mjs') ? [path] : [];
  });
}

const files = jsFiles(dir);
if (files.length === 0) {
  console.error(`check-production-build: no JavaScript in ${dir}. Run "npx ng build" (production) first.`);
  process.exit(1);
}

const findings = [];
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  for (const [marker, what] of MARKERS) {
    if (text.includes(marker)) findings.push(`  ${relative(process.cwd(), file)}: contains "${marker}" (${what})`);
  }
}

if (findings.length > 0) {
  console.error('check-production-build: development-only auth tooling found in the production build:');
  console.error(findings.join('\n'));
  console.error('Dev tools must be reached only through src/environments/build-mode.development.ts (authDevTools).');
  process.exit(1);
}
console.log(`check-production-build: ${files.length} files in ${relative(process.cwd(), dir) || '.'} are free of dev tools.`);
