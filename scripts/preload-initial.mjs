// Adds a <link rel="modulepreload"> to a production build's index.html for every chunk that the
// entry scripts import statically (transitively) and that has none yet. Run after `ng build`:
//   node scripts/preload-initial.mjs [outputDir=www]
//
// Why: Angular's build preloads at most 10 initial chunks (MODULE_PRELOAD_MAX in
// @angular/build's index-html-generator.js). Ours has 11, so one (core/errors.ts, imported by
// main) was found only once main had been downloaded and parsed, one more round trip before
// Angular could start: ≈ 0.4 s on a throttled phone (docs/benchmarks.md, BENCH_TIMELINE).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The leading `import … from "./x.js"` / `import "./x.js"` statements of an ES module (esbuild puts them first). */
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

/** Files the page needs before any code runs: the module scripts, and everything they import statically. */
export function initialModules(dir, html) {
  const entries = [...html.matchAll(/<script\b[^>]*>/g)]
    .filter(([tag]) => /\btype="module"/.test(tag))
    .flatMap(([tag]) => /\bsrc="([^"]+\.js)"/.exec(tag)?.[1] ?? []);
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file) || !existsSync(join(dir, file))) return;
    seen.add(file);
    for (const imported of staticImports(readFileSync(join(dir, file), 'utf8'))) visit(imported);
  };
  entries.forEach(visit);
  for (const entry of entries) seen.delete(entry);
  return [...seen];
}

/** index.html with a modulepreload for each initial module it does not preload yet; and which were added. */
export function withAllPreloads(dir, html) {
  const preloaded = new Set([...html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g)].map((m) => m[1]));
  const missing = initialModules(dir, html).filter((file) => !preloaded.has(file));
  if (missing.length === 0) return { html, added: [] };
  const links = missing.map((file) => `<link rel="modulepreload" href="${file}">`).join('');
  // Beside Angular's own preloads (in <body>, before the entry script): one alone in <head> was
  // requested at once but held the body's preloads back by ≈ 0.25 s in Chromium (BENCH_TIMELINE).
  const at = html.search(/<link\b[^>]*\brel="modulepreload"|<script\b[^>]*\btype="module"/);
  return { html: at < 0 ? html.replace('</head>', `${links}</head>`) : `${html.slice(0, at)}${links}${html.slice(at)}`, added: missing };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = resolve(process.argv[2] ?? 'www');
  // `ng build --output-path <dir>` puts the browser files in <dir>/browser; angular.json's www has none.
  const browserDir = [join(dir, 'browser'), dir].find((candidate) => existsSync(join(candidate, 'index.html')));
  if (!browserDir) {
    console.error(`preload-initial: no index.html in ${dir}. Run "npx ng build" (production) first.`);
    process.exit(1);
  }
  const index = join(browserDir, 'index.html');
  const { html, added } = withAllPreloads(browserDir, readFileSync(index, 'utf8'));
  writeFileSync(index, html);
  console.log(
    `preload-initial: ${relative(process.cwd(), index) || index}: ${added.length ? `added ${added.join(', ')}` : 'nothing missing'}`,
  );
}
