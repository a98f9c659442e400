/**
 * scripts/merge-initial-chunks.mjs runs after every production build: everything the page needs
 * before any code runs goes into `main` itself, preloaded first in <head>; lazy code stays lazy and works.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// @ts-expect-error: a plain .mjs script without type declarations
import { initialModules, staticImports } from '../../scripts/merge-initial-chunks.mjs';

const SCRIPT = join(process.cwd(), 'scripts/merge-initial-chunks.mjs');

const page = (preloads: string[]) =>
  `<!doctype html><html><head><title>x</title><base href="/"></head><body><app-root></app-root>` +
  `${preloads.map((file) => `<link rel="modulepreload" href="${file}">`).join('')}<script src="main-M.js" type="module"></script></body></html>`;

describe('one initial chunk', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'merge-'));
    // Shaped as Angular's build splits code: main imports a and b; a imports c; b imports a again.
    // Two lazy screens: home (the first screen, `selectors:[["app-home"]]`) and sign-in; both use
    // a (initial) and d, which the build put in a chunk of its own. Each module says when it runs.
    const log = (name: string) => `(globalThis.ran??=[]).push(${JSON.stringify(name)});`;
    writeFileSync(
      join(dir, 'main-M.js'),
      `import{x as y}from"./chunk-a.js";import"./chunk-b.js";${log('main')}` +
        `globalThis.done=import("./chunk-home.js").then(m=>m.home+y).then(async v=>v+(await import("./chunk-signin.js")).signIn);`,
    );
    writeFileSync(join(dir, 'chunk-a.js'), `import{z}from"./chunk-c.js";${log('a')}export const x=z+1;`);
    writeFileSync(join(dir, 'chunk-b.js'), `import{x}from"./chunk-a.js";${log('b')}console.log('import"./chunk-not-a-statement.js"');`);
    writeFileSync(join(dir, 'chunk-c.js'), `${log('c')}export const z=2;`);
    writeFileSync(
      join(dir, 'chunk-home.js'),
      `import{x}from"./chunk-a.js";import{d}from"./chunk-d.js";${log('home')}const def={selectors:[["app-home"]]};export const home=x*d;`,
    );
    writeFileSync(join(dir, 'chunk-signin.js'), `import{d}from"./chunk-d.js";${log('signIn')}export const signIn=d*100;`);
    writeFileSync(join(dir, 'chunk-d.js'), `${log('d')}export function d0(){return 10}export const d=d0();`);
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

  it('a build whose first screen is not found fails instead of merging without it', async () => {
    writeFileSync(join(dir, 'chunk-home.js'), 'export const home=1;');
    expect(() => execFileSync(process.execPath, [SCRIPT, dir], { encoding: 'utf8', stdio: 'pipe' })).toThrow(
      /expected one chunk defining <app-home>/,
    );
  });

  it('finds every chunk the entry script needs before it runs, transitively, and no lazy one', () => {
    expect(initialModules(dir, page([])).sort()).toEqual(['chunk-a.js', 'chunk-b.js', 'chunk-c.js']);
  });

  it('leaves one initial file; the page runs as before, the lazy screen still only when imported', () => {
    const before = runPage();
    execFileSync(process.execPath, [SCRIPT, dir], { encoding: 'utf8' });

    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    const entry = /<script src="(main-[^"]+\.js)" type="module">/.exec(html)?.[1] ?? '';
    const preloads = [...html.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map((m) => m[1]);
    // Everything the entry needs first is in the entry's own file, preloaded first in <head> (the
    // page's policy then goes below it, scripts/csp.mjs): nothing else to preload.
    expect(initialModules(dir, html)).toEqual([]);
    // Named from the base path, as the <script> below <base> resolves (a bare name above <base>
    // would resolve against a deep link's own path).
    expect(preloads).toEqual([`/${entry}`]);
    expect(html.indexOf(`<link rel="modulepreload" href="/${entry}">`)).toBeLessThan(html.indexOf('<title>'));
    // The files it replaced are gone; none of what is left imports a missing file.
    for (const file of ['main-M.js', 'chunk-a.js', 'chunk-b.js', 'chunk-c.js', 'chunk-home.js', 'chunk-d.js'])
      expect(existsSync(join(dir, file))).toBe(false);

    const after = runPage();
    expect(after).toEqual(before);
    expect(after.result).toBe(3 * 10 + 3 + 1000);
    // The screens are still in files of their own, not in what the page loads first; the first
    // screen's file holds what it imports (d), which sign-in then imports from it.
    const initialCode = [entry].map((file) => readFileSync(join(dir, file), 'utf8')).join('\n');
    const holding = (name: string) =>
      readdirSync(dir).filter(
        (file) => file.endsWith('.js') && new RegExp(`push\\(["'\`]${name}["'\`]\\)`).test(readFileSync(join(dir, file), 'utf8')),
      );
    for (const screen of ['home', 'signIn', 'd']) expect(initialCode).not.toMatch(new RegExp(`["'\`]${screen}["'\`]`));
    expect(holding('home')).toEqual(holding('d'));
    expect(holding('signIn')).toHaveLength(1);
    expect(holding('signIn')).not.toEqual(holding('home'));
  });
});
