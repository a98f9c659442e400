/**
 * scripts/merge-initial-chunks.mjs runs after every production build: everything the page needs
 * before any code runs becomes one chunk beside `main`, preloaded; lazy code stays lazy and works.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// @ts-expect-error: a plain .mjs script without type declarations
import { initialModules, staticImports } from '../../scripts/merge-initial-chunks.mjs';

const SCRIPT = join(process.cwd(), 'scripts/merge-initial-chunks.mjs');

const page = (preloads: string[]) =>
  `<!doctype html><html><head><title>x</title></head><body><app-root></app-root>` +
  `${preloads.map((file) => `<link rel="modulepreload" href="${file}">`).join('')}<script src="main-M.js" type="module"></script></body></html>`;

describe('one initial chunk', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'merge-'));
    // Shaped as Angular's build splits code: main imports a and b; a imports c; b imports a again;
    // the lazy screen shares a with main and has d to itself. Each module says when it runs.
    const log = (name: string) => `(globalThis.ran??=[]).push(${JSON.stringify(name)});`;
    writeFileSync(
      join(dir, 'main-M.js'),
      `import{x as y}from"./chunk-a.js";import"./chunk-b.js";${log('main')}globalThis.done=import("./chunk-lazy.js").then(m=>m.lazy+y);`,
    );
    writeFileSync(join(dir, 'chunk-a.js'), `import{z}from"./chunk-c.js";${log('a')}export const x=z+1;`);
    writeFileSync(join(dir, 'chunk-b.js'), `import{x}from"./chunk-a.js";${log('b')}console.log('import"./chunk-not-a-statement.js"');`);
    writeFileSync(join(dir, 'chunk-c.js'), `${log('c')}export const z=2;`);
    writeFileSync(
      join(dir, 'chunk-lazy.js'),
      `import{x}from"./chunk-a.js";import{d}from"./chunk-d.js";${log('lazy')}export const lazy=x*d;`,
    );
    writeFileSync(join(dir, 'chunk-d.js'), `${log('d')}export const d=10;`);
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    writeFileSync(join(dir, 'index.html'), page(['chunk-a.js', 'chunk-b.js']));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the page's module script in Node as the browser would, and what each module did. */
  function runPage(): { ran: string[]; result: number } {
    const entry = /<script src="([^"]+)" type="module">/.exec(readFileSync(join(dir, 'index.html'), 'utf8'))?.[1] ?? 'none';
    const code = `await import(${JSON.stringify(join(dir, entry))});const result=await globalThis.done;console.log(JSON.stringify({ran:globalThis.ran,result}));`;
    const printed = execFileSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' }).trim().split('\n');
    return JSON.parse(printed.at(-1) ?? '') as { ran: string[]; result: number };
  }

  it('reads only the leading static imports (not dynamic imports, not strings in the code)', () => {
    expect(staticImports('import{x as y}from"./chunk-a.js";import"./chunk-b.js";const l=()=>import("./chunk-lazy.js");')).toEqual([
      'chunk-a.js',
      'chunk-b.js',
    ]);
  });

  it('finds every chunk the entry script needs before it runs, transitively, and no lazy one', () => {
    expect(initialModules(dir, page([])).sort()).toEqual(['chunk-a.js', 'chunk-b.js', 'chunk-c.js']);
  });

  it('leaves main and at most one preloaded chunk; the page runs as before, the lazy screen still only when imported', () => {
    const before = runPage();
    execFileSync(process.execPath, [SCRIPT, dir], { encoding: 'utf8' });

    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    const entry = /<script src="(main-[^"]+\.js)" type="module">/.exec(html)?.[1] ?? '';
    const preloads = [...html.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map((m) => m[1]);
    // Everything the entry needs first is in at most one chunk beside it (the bundler may also put
    // it in the entry itself), and that chunk is preloaded, where Angular writes preloads.
    expect(initialModules(dir, html)).toEqual(preloads);
    expect(preloads.length).toBeLessThanOrEqual(1);
    for (const file of preloads) expect(html.indexOf(`href="${file}"`)).toBeLessThan(html.indexOf(`src="${entry}"`));
    // The files it replaced are gone; none of what is left imports a missing file.
    for (const file of ['main-M.js', 'chunk-a.js', 'chunk-b.js', 'chunk-c.js']) expect(existsSync(join(dir, file))).toBe(false);

    const after = runPage();
    expect(after).toEqual(before);
    expect(after.result).toBe(33);
    // Lazy code is still in a file of its own, not in what the page loads first.
    const initialCode = [entry, ...preloads].map((file) => readFileSync(join(dir, file), 'utf8')).join('\n');
    const lazyCode = /push\(["'`]lazy["'`]\)/;
    expect(initialCode).not.toMatch(lazyCode);
    const lazyFiles = readdirSync(dir).filter((file) => file.endsWith('.js') && lazyCode.test(readFileSync(join(dir, file), 'utf8')));
    expect(lazyFiles).toHaveLength(1);
    expect([entry, ...preloads]).not.toContain(lazyFiles[0]);
  });
});
