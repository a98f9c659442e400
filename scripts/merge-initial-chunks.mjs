// Bundles everything a production build's page needs before any code runs into `main` itself,
// and preloads it first in <head>. Run after `ng build`:
//   node scripts/merge-initial-chunks.mjs [outputDir=www]
//
// Why: Angular's build splits the code the entry imports statically by which lazy screens also
// use it: ours came out as `main` plus 12 initial chunks (and Angular preloads at most 10 of them).
// They all load at every launch anyway, and on a throttled phone each file costs the main thread
// its own request, response messages and task (docs/benchmarks.md, "Where the cold-start time
// goes"). One more pass of the bundler Angular itself uses for this (rolldown, the same version)
// puts every module the entry reaches statically into `main` itself; lazy chunks import from it and
// stay lazy, dynamic imports are renamed with their files. The same for the first screen of a
// launch with a stored session (home): its component and what it imports statically become one
// lazy chunk instead of five.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { headTop } from './csp.mjs';

/** The leading `import … from "./x.js"` / `import "./x.js"` statements of an ES module (esbuild and rolldown put them first). */
export function staticImports(source) {
  const imports = [];
  const statement = /^\s*import\s*(?:[^"'();]*?\bfrom\s*)?["'](\.\/[^"']+\.js)["']\s*;?/;
  let rest = source;
  for (let match = statement.exec(rest); match; match = statement.exec(rest)) {
    imports.push(match[1].slice(2));
    rest = rest.slice(match[0].length);
  }
  return imports;
}

/** The page's module scripts (index.html's `<script type="module" src>`). */
export function entryScripts(html) {
  return [...html.matchAll(/<script\b[^>]*>/g)]
    .filter(([tag]) => /\btype="module"/.test(tag))
    .flatMap(([tag]) => /\bsrc="([^"]+\.js)"/.exec(tag)?.[1] ?? []);
}

/** These files and everything they import statically, transitively, but for the files in `except`. */
function withStaticImports(dir, files, except = new Set()) {
  const found = new Set();
  const visit = (name) => {
    if (found.has(name) || except.has(name) || !existsSync(join(dir, name))) return;
    found.add(name);
    for (const imported of staticImports(readFileSync(join(dir, name), 'utf8'))) visit(imported);
  };
  files.forEach(visit);
  return found;
}

/** Files the page needs before any code runs: everything the module scripts import statically, transitively. */
export function initialModules(dir, html) {
  const entries = entryScripts(html);
  return [...withStaticImports(dir, entries)].filter((file) => !entries.includes(file));
}

/**
 * The component whose screen a launch with a stored session shows first (src/app/pages/home).
 * Its lazy chunk is found by the selector Angular compiles into it; a build without it fails here
 * rather than losing the merge without a word.
 */
export const FIRST_SCREEN_SELECTOR = 'app-home';

/** The built file that defines the component with this selector (Angular writes `selectors:[["app-home"]]`). */
export function chunkDefining(dir, selector) {
  const defines = new RegExp(`selectors:\\[\\[["'\`]${selector}["'\`]\\]`);
  const files = readdirSync(dir).filter((file) => file.endsWith('.js') && defines.test(readFileSync(join(dir, file), 'utf8')));
  if (files.length !== 1) throw new Error(`expected one chunk defining <${selector}> in ${dir}, found ${files.length}`);
  return files[0];
}

/**
 * Re-bundles the build in `dir` from its entry script: the entry with every module it reaches
 * statically, one chunk for the first screen's component with what it imports statically; every
 * other chunk as the bundler splits it. Rewrites index.html (the entry's new name; modulepreloads
 * of it and of any static import it still has, first in <head>) and removes the files it
 * replaced. Returns the page's initial files before and after.
 */
export async function mergeInitialChunks(dir, firstScreen = FIRST_SCREEN_SELECTOR) {
  const index = join(dir, 'index.html');
  const html = readFileSync(index, 'utf8');
  const entries = entryScripts(html);
  if (entries.length !== 1) throw new Error(`expected one module script in ${index}, found ${entries.length}`);
  const [entry] = entries;
  const initial = new Set([entry, ...initialModules(dir, html)]);
  const first = withStaticImports(dir, [chunkDefining(dir, firstScreen)], initial);
  const read = new Set();
  // Loaded here, not at the top: check-production-build.mjs reads initialModules from this file.
  const { rolldown } = await import('rolldown');
  const bundle = await rolldown({
    input: join(dir, entry),
    // Angular's entry exports nothing, so its file may hold the initial code itself (and export
    // to the lazy chunks what they share with it): one file where a facade `main` would import
    // one chunk (about 0.93× the two-file build's cold start, docs/benchmarks.md step 11).
    preserveEntrySignatures: false,
    plugins: [
      {
        name: 'built-chunks',
        // The build's own files are imported as "./chunk-X.js"; anything else stays as written.
        resolveId(source) {
          if (!/^(\.\/|\/)/.test(source)) return { id: source, external: true };
          const file = join(dir, basename(source));
          return existsSync(file) ? file : { id: source, external: true };
        },
        load(id) {
          read.add(basename(id));
          return null;
        },
      },
    ],
  });
  let output;
  try {
    ({ output } = await bundle.write({
      dir,
      entryFileNames: 'main-[hash].js',
      chunkFileNames: 'chunk-[hash].js',
      // As Angular's own chunk pass: the files are minified already; keep names and code as they are.
      minify: { mangle: false, compress: false },
      // A module goes to the first group that captures it: the initial chunk before the screen's.
      codeSplitting: {
        groups: [
          { name: 'initial', priority: 2, test: (id) => initial.has(basename(id)) },
          { name: 'first-screen', priority: 1, test: (id) => first.has(basename(id)) },
        ],
      },
    }));
  } finally {
    await bundle.close();
  }
  // Source maps are not carried over (the production build writes none): say so if a build had them.
  if (readdirSync(dir).some((name) => name.endsWith('.js.map')))
    console.warn('merge-initial-chunks: this build has source maps; they describe the files before the merge, not after it');
  const written = new Set(output.map((file) => file.fileName));
  for (const file of read) if (!written.has(file)) rmSync(join(dir, file));

  const main = output.find((file) => file.type === 'chunk' && file.isEntry);
  // The entry (and anything it still imports statically) preloaded first in <head>: Chromium's
  // preload scanner stops at the Content-Security-Policy <meta> (scripts/csp.mjs keeps these
  // hints above it), so without them `main` was requested only once the parser reached its
  // <script> at the end of <body>, after the stylesheet and the inline script: ≈ 0.1–0.3 s later on
  // a throttled phone, with the main thread idle meanwhile (docs/benchmarks.md step 12).
  // Above <base href>, so named from the root as the <script> below it resolves: a bare name
  // would resolve against the page's own path (/callback/sign-out → /callback/main-….js).
  const base = /<base\s+href="(\/[^"]*\/|\/)"/i.exec(html)?.[1] ?? '';
  const preloads = [main.fileName, ...main.imports].map((file) => `<link rel="modulepreload" href="${base}${file}">`).join('\n    ');
  const withoutPreloads = html.replace(/\s*<link\b[^>]*\brel="modulepreload"[^>]*>/g, '');
  const at = headTop(withoutPreloads);
  const page = `${withoutPreloads.slice(0, at)}\n    ${preloads}${withoutPreloads.slice(at)}`.replace(
    new RegExp(`<script\\b([^>]*)\\bsrc="${entry.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`),
    `<script$1src="${main.fileName}"`,
  );
  writeFileSync(index, page);

  // Every file left must find what it imports (a chunk outside the entry's graph importing a
  // removed one would fail only at run time). Rolldown writes dynamic imports with backticks.
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.js'))) {
    const source = readFileSync(join(dir, file), 'utf8');
    for (const imported of [
      ...staticImports(source),
      ...[...source.matchAll(/\bimport\(\s*["'`]\.\/([^"'`]+\.js)["'`]\s*\)/g)].map((m) => m[1]),
    ])
      if (!existsSync(join(dir, imported))) throw new Error(`${file} imports ./${imported}, which the merge removed`);
  }
  return { before: [...initial], after: [main.fileName, ...main.imports] };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = resolve(process.argv[2] ?? 'www');
  // `ng build --output-path <dir>` puts the browser files in <dir>/browser; angular.json's www has none.
  const browserDir = [join(dir, 'browser'), dir].find((candidate) => existsSync(join(candidate, 'index.html')));
  if (!browserDir) {
    console.error(`merge-initial-chunks: no index.html in ${dir}. Run "npx ng build" (production) first.`);
    process.exit(1);
  }
  const { before, after } = await mergeInitialChunks(browserDir);
  console.log(
    `merge-initial-chunks: ${relative(process.cwd(), browserDir) || '.'}: initial files ${before.length} → ${after.length} (${after.join(', ')})`,
  );
}
