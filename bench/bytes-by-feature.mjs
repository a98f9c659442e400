// Where our initial JavaScript's bytes go, beside the Ionic blank starter's: gzip -9 bytes by
// feature (Angular's HTTP code, the `@defer` runtime, our auth binding…), for the target "initial
// files ≤ the starter + 25 kB gzip" (docs/benchmarks.md). Run: `npm run bench -- bytes-by-feature`.
//
// How: both apps are built with source maps and without Angular's chunk merging into
// bench/results/bytes-by-feature/ (`npm run build` is not touched); every byte of the JavaScript
// that index.html loads before any code runs (its scripts, modulepreloads and their static
// imports) is traced through the source map to its source file and the top-level declaration it
// came from (`class HttpClient`, `function ɵɵdefer`…). A feature's cost is gzip -9 of all that
// JavaScript minus gzip -9 of the same without the feature's bytes, which is what leaving the
// feature out would save, but for the code it shares with what stays (an upper bound for the
// bytes, not a promise: `withComponentInputBinding` showed 1.3 kB here and saved 0.5 kB).
// The figures are of the files as Angular's build writes them; `npm run build` then merges them
// into one file, which compresses a little differently (bench/bundle-size.mjs has those totals).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { constants, gzipSync } from 'node:zlib';
import ts from 'typescript';

import { initialModules, entryScripts } from '../scripts/merge-initial-chunks.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}bench/results/bytes-by-feature/`;

/**
 * The features, each a test on the source file (path after node_modules/ or from the project's
 * root) and, optionally, on the name of the top-level declaration. The first that matches wins.
 */
export const FEATURES = [
  { name: "Angular's HTTP code (HttpClient…)", file: /@angular\/common\/fesm2022\/(_module-chunk|http)\.mjs$/ },
  { name: 'our HTTP interceptor and API prefixes', file: /src\/app\/auth\/angular\/(auth-interceptor|api-prefixes)\.ts$/ },
  {
    name: 'the `@defer` runtime',
    file: /@angular\/core\//,
    declaration:
      /[dD]efer|IdleScheduler|RequestIdleCallbackService|CachedInjectorService|triggerResourceLoading|getTemplateIndexForState|addDepsToRegistry|getMinimumDurationForState|TimerScheduler|onIdle|onTimer/,
  },
  {
    name: 'the `@for` runtime',
    file: /@angular\/core\//,
    declaration: /[rR]epeater|reconcile|LiveCollection|UniqueValueMultiKeyMap/,
  },
  {
    name: 'afterRender / afterRenderEffect',
    file: /@angular\/core\//,
    declaration: /AfterRender|afterRender|afterEveryRender|afterNextRender|AFTER_RENDER/,
  },
  { name: 'RouterLink', file: /@angular\/router\//, declaration: /RouterLink|ReactiveRouterState/ },
  {
    name: "the router's input binding",
    file: /@angular\/(router|core)\//,
    declaration: /RoutedComponentInputBinder|reflectComponentType|withComponentInputBinding|INPUT_BINDER/,
  },
  { name: "Capacitor's core and the secure-storage plugin's definitions", file: /@capacitor\/core\/|@aparajita\// },
  { name: 'our auth binding (auth/angular)', file: /src\/app\/auth\/angular\// },
  { name: 'our auth core (error texts, redaction, flight recorder)', file: /src\/app\/auth\/core\// },
  { name: 'our boot reader (auth/logto)', file: /src\/app\/auth\/logto\// },
  { name: 'our i18n (the English tables, language choice)', file: /src\/app\/i18n\// },
  {
    name: 'our shell (app, routes, chunk failure, brand, settings)',
    file: /src\/(main\.ts|app-settings\.generated\.json|app\/[^/]+\.ts)$/,
  },
];

/** Decodes a source map's `mappings` (base64 VLQ) into [generatedColumn, sourceIndex, originalLine] per generated line; lines are 0-based. */
export function decodeMappings(mappings) {
  const digits = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const lines = [];
  let source = 0;
  let line = 0;
  let column = 0;
  for (const encodedLine of mappings.split(';')) {
    const segments = [];
    let generated = 0;
    for (const encoded of encodedLine.split(',')) {
      if (!encoded) continue;
      const fields = [];
      let value = 0;
      let shift = 0;
      for (const char of encoded) {
        const digit = digits.indexOf(char);
        if (digit < 0) throw new Error(`bytes-by-feature: not a base64 VLQ digit in a source map: ${char}`);
        value += (digit & 31) << shift;
        if (digit & 32) {
          shift += 5;
          continue;
        }
        fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
        value = 0;
        shift = 0;
      }
      generated += fields[0];
      if (fields.length >= 4) {
        source += fields[1];
        line += fields[2];
        column += fields[3];
        segments.push([generated, source, line]);
      } else {
        segments.push([generated, -1, -1]);
      }
    }
    lines.push(segments);
  }
  return lines;
}

/** The top-level declarations of a source text: [firstLine, lastLine, name], lines 0-based. */
export function topLevelDeclarations(fileName, text) {
  const file = ts.createSourceFile(
    fileName,
    text,
    ts.ScriptTarget.Latest,
    true,
    fileName.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS,
  );
  return file.statements.map((statement) => {
    const name =
      statement.name?.text ??
      (ts.isVariableStatement(statement)
        ? statement.declarationList.declarations.map((declaration) => declaration.name.getText(file)).join(',')
        : ts.SyntaxKind[statement.kind]);
    return [
      file.getLineAndCharacterOfPosition(statement.getStart(file)).line,
      file.getLineAndCharacterOfPosition(statement.getEnd()).line,
      name,
    ];
  });
}

/** The feature a piece of output belongs to (its source file and top-level declaration), or null. */
export function featureOf(sourceFile, declaration, features = FEATURES) {
  const file = sourceFile.replace(/^.*node_modules\//, '');
  return (
    features.find((feature) => feature.file.test(file) && (!feature.declaration || feature.declaration.test(declaration)))?.name ?? null
  );
}

/** The initial JavaScript of a built app, as [text, feature] pieces in file order. */
function initialPieces(dir) {
  const html = readFileSync(`${dir}index.html`, 'utf8');
  const files = [...entryScripts(html).map((src) => src.replace(/^\//, '')), ...initialModules(dir, html)];
  const pieces = [];
  for (const name of files) {
    const text = readFileSync(`${dir}${name}`, 'utf8');
    const map = JSON.parse(readFileSync(`${dir}${name}.map`, 'utf8'));
    const declarations = map.sources.map((source, index) => {
      const content = map.sourcesContent?.[index];
      return content ? topLevelDeclarations(source, content) : [];
    });
    const decoded = decodeMappings(map.mappings);
    text.split('\n').forEach((line, lineIndex) => {
      const segments = decoded[lineIndex] ?? [];
      // Bytes before the line's first mapping, and unmapped segments, belong to no feature.
      if ((segments[0]?.[0] ?? line.length) > 0) pieces.push([line.slice(0, segments[0]?.[0] ?? line.length), null]);
      segments.forEach(([column, source, originalLine], index) => {
        const end = segments[index + 1]?.[0] ?? line.length;
        const declaration =
          source < 0 ? '' : (declarations[source].find(([first, last]) => originalLine >= first && originalLine <= last)?.[2] ?? '');
        pieces.push([line.slice(column, end), source < 0 ? null : featureOf(map.sources[source], declaration)]);
      });
      pieces.push(['\n', null]);
    });
  }
  return pieces;
}

const gzip = (text) => gzipSync(Buffer.from(text), { level: constants.Z_BEST_COMPRESSION }).length;

/** Raw and gzip -9 bytes of all the initial JavaScript, and what each feature adds to it. */
function measure(dir) {
  const pieces = initialPieces(dir);
  const all = pieces.map(([text]) => text).join('');
  const total = { raw: Buffer.byteLength(all), gzip: gzip(all) };
  const features = new Map();
  for (const { name } of FEATURES) {
    const rest = pieces
      .filter(([, feature]) => feature !== name)
      .map(([text]) => text)
      .join('');
    features.set(name, { raw: total.raw - Buffer.byteLength(rest), gzip: total.gzip - gzip(rest) });
  }
  return { total, features };
}

function build(cwd, outputPath) {
  rmSync(outputPath, { recursive: true, force: true });
  execFileSync(process.execPath, [`${root}node_modules/@angular/cli/bin/ng.js`, 'build', '--source-map', '--output-path', outputPath], {
    cwd,
    stdio: ['ignore', 'ignore', 'inherit'],
    // Angular's chunk merging off: the output files then follow the input files, and their maps stay exact.
    env: { ...process.env, NG_CLI_ANALYTICS: 'false', NG_BUILD_OPTIMIZE_CHUNKS: '0' },
  });
  const browser = `${outputPath}/browser/`;
  if (!existsSync(`${browser}index.html`)) throw new Error(`bytes-by-feature: the build in ${cwd} wrote no ${browser}index.html`);
  return browser;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  mkdirSync(out, { recursive: true });
  execFileSync(process.execPath, [`${root}scripts/gen-app-settings.mjs`], { cwd: root, stdio: 'inherit' });
  const ours = measure(build(root, `${out}ours`));
  const starter = measure(build(`${root}bench/baseline-starter/`, `${out}starter`));
  const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;
  console.log('Initial JavaScript by feature, gzip -9 (raw), ours and the Ionic blank starter (Angular build files, not merged):');
  console.log(`| feature | ours | starter | ours − starter |`);
  console.log(`| --- | --- | --- | --- |`);
  let sum = 0;
  for (const { name } of FEATURES) {
    const a = ours.features.get(name);
    const b = starter.features.get(name);
    sum += a.gzip - b.gzip;
    console.log(`| ${name} | ${kB(a.gzip)} (${kB(a.raw)}) | ${kB(b.gzip)} (${kB(b.raw)}) | ${kB(a.gzip - b.gzip)} |`);
  }
  const difference = ours.total.gzip - starter.total.gzip;
  console.log(`| everything else (Angular's and Ionic's code the screens use besides) |  |  | ${kB(difference - sum)} |`);
  console.log(
    `| all initial JavaScript | ${kB(ours.total.gzip)} (${kB(ours.total.raw)}) | ${kB(starter.total.gzip)} (${kB(starter.total.raw)}) | ${kB(difference)} |`,
  );
  console.log(
    "A feature's figure is what its own bytes add to the compressed whole: leaving it out saves up to that (code it shares with what stays, stays). The rows do not add up exactly: gzip compresses each feature partly against the others.",
  );
}
