// Fails when a production build carries development-only auth tooling.
// Run after `ng build` (production is the default configuration):
//   node scripts/check-production-build.mjs [outputDir=www]
// The dev tools (Stately inspector, console transition log, window.__authActor) are loaded
// through environments/build-mode.development.ts only; if a change ever pulls them into the
// production module graph, this check names the file and the marker it found.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inlineScripts, OWN_PRELOAD, parsePolicy, policyOf } from './csp.mjs';
import { initialModules } from './merge-initial-chunks.mjs';

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
// The Content-Security-Policy (scripts/apply-csp.mjs) must be there, first in <head>, strict for
// scripts, and every inline script must be allowed by a hash: the web fallback keeps tokens in localStorage, so
// no injected script may run.
const index = [join(dir, 'browser', 'index.html'), join(dir, 'index.html')].find((file) => existsSync(file));
const cspFindings = [];
if (!index) {
  cspFindings.push(`  no index.html in ${relative(process.cwd(), dir) || '.'}`);
} else {
  const html = readFileSync(index, 'utf8');
  const policy = policyOf(html);
  if (!policy) {
    cspFindings.push('  index.html has no <meta http-equiv="Content-Security-Policy">: run scripts/apply-csp.mjs after ng build');
  } else {
    const directives = parsePolicy(policy);
    const scriptSrc = directives.get('script-src') ?? directives.get('default-src');
    // Above the policy only the build's own modulepreload hints (scripts/csp.mjs, withPolicy):
    // anything else there would not be governed by it.
    const policyAt = html.search(/<meta\s+http-equiv="Content-Security-Policy"/i);
    for (const element of html.slice(0, policyAt).matchAll(/<(script|link|style)\b[^>]*>/gi)) {
      const href = OWN_PRELOAD.exec(element[0])?.[1] ?? null;
      if (href === null || !existsSync(join(dirname(index), href))) {
        cspFindings.push(
          `  the policy comes after ${href === null ? `a <${element[1]}>` : `a modulepreload of ${href} (a file the build does not have)`}, which it then does not govern`,
        );
      }
    }
    if (!scriptSrc) cspFindings.push('  the policy has no script-src (nor default-src)');
    for (const loose of ["'unsafe-inline'", "'unsafe-eval'", '*', 'data:', 'http:', 'https:', 'blob:']) {
      if (scriptSrc?.includes(loose)) cspFindings.push(`  script-src allows ${loose}`);
    }
    if (!directives.get('object-src')?.includes("'none'")) cspFindings.push("  object-src is not 'none'");
    if (!directives.has('base-uri')) cspFindings.push('  the policy has no base-uri');
    for (const handler of html.matchAll(/<[a-z][^>]*\s(on[a-z]+)\s*=/gi)) {
      cspFindings.push(`  an inline event handler (${handler[1]}=), which the policy blocks`);
    }
    for (const script of inlineScripts(html)) {
      if (!scriptSrc?.includes(script.hash)) {
        cspFindings.push(`  inline <script> without its hash ${script.hash} in script-src: ${script.text.trim().slice(0, 60)}…`);
      }
    }
  }
}
if (cspFindings.length > 0) {
  console.error(
    `check-production-build: the Content-Security-Policy of ${index ? relative(process.cwd(), index) : dir} is missing or loose:`,
  );
  console.error(cspFindings.join('\n'));
  process.exit(1);
}

// The initial bundle carries only the shell's English (src/app/i18n/en/shell.ts): every screen's
// sentences travel in that screen's lazy chunk. A sentence of a screen found in a file the page
// loads before any code runs means a screen's texts (or the whole dictionary) came back into it.
// Two at least: one alone can be the same words said by the shell's own code (the auth binding's
// "You're signed out." is also the sign-in screen's).
const englishDir = fileURLToPath(new URL('../src/app/i18n/en/', import.meta.url));
/** The string literals of an en/*.ts file: long ASCII ones only, which the build writes as they are. */
const sentencesOf = (file) =>
  [...readFileSync(join(englishDir, file), 'utf8').matchAll(/:\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")/g)]
    .map((m) => (m[1] ?? m[2]).replace(/\\(.)/g, '$1'))
    .filter((text) => text.length >= 16 && /^[\x20-\x7e]+$/.test(text));
const shellSentences = new Set(sentencesOf('shell.ts'));
const screenSentences = readdirSync(englishDir)
  .filter((file) => file.endsWith('.ts') && file !== 'shell.ts')
  .flatMap((file) => sentencesOf(file).map((text) => ({ text, file })))
  .filter(({ text }) => !shellSentences.has(text));
if (index) {
  const browserDir = dirname(index);
  const html = readFileSync(index, 'utf8');
  const entries = [...html.matchAll(/<script\b[^>]*\bsrc="([^"]+\.js)"[^>]*>/g)].map((m) => m[1]);
  const initial = [...new Set([...entries, ...initialModules(browserDir, html)])].filter((file) => existsSync(join(browserDir, file)));
  const textFindings = [];
  for (const file of initial) {
    const code = readFileSync(join(browserDir, file), 'utf8');
    const found = screenSentences.filter(({ text }) => code.includes(text));
    if (found.length >= 2) {
      const screens = [...new Set(found.map((hit) => `en/${hit.file}`))].join(', ');
      textFindings.push(`  ${basename(file)}: ${found.length} sentence(s) of ${screens}, e.g. "${found[0].text}"`);
    }
  }
  if (textFindings.length > 0) {
    console.error(
      "check-production-build: screens' English sentences found in the initial bundle (they belong in the screens' lazy chunks):",
    );
    console.error(textFindings.join('\n'));
    console.error("Only src/app/i18n/en/shell.ts may be imported by the shell; a screen's component adds its own texts with injectI18n.");
    process.exit(1);
  }
}

// XState and the auth machine load after the first screen (src/app/auth/angular/auth-actor.ts):
// one import of auth/core's barrel or of xstate by something the entry reaches puts them back in
// the initial files, silently. "xstate.init" is XState's own event type, in its runtime only.
const initialFindings = [];
if (index) {
  const html = readFileSync(index, 'utf8');
  const entries = [...html.matchAll(/<script\b[^>]*\bsrc="([^"]+\.js)"[^>]*>/g)].map((match) => match[1]);
  for (const file of [...entries, ...initialModules(dirname(index), html)]) {
    const path = join(dirname(index), file);
    if (existsSync(path) && readFileSync(path, 'utf8').includes('xstate.init')) initialFindings.push(`  ${relative(process.cwd(), path)}`);
  }
}
if (initialFindings.length > 0) {
  console.error('check-production-build: XState is in the initial files (it must load after the first screen):');
  console.error(initialFindings.join('\n'));
  console.error(
    "Import auth/core's files one by one from initial code, never its barrel or xstate (see src/app/auth/angular/auth-service.ts).",
  );
  process.exit(1);
}

console.log(
  `check-production-build: ${files.length} files in ${relative(process.cwd(), dir) || '.'} are free of dev tools; index.html has a strict Content-Security-Policy; the initial files hold no screen's English and no XState.`,
);
