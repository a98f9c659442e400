/**
 * scripts/preload-initial.mjs runs after every production build: each chunk the page imports
 * statically before any code runs must be preloaded, also past Angular's limit of 10.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// @ts-expect-error: a plain .mjs script without type declarations
import { initialModules, staticImports, withAllPreloads } from '../../scripts/preload-initial.mjs';

const html = (preloads: string[]) =>
  `<!doctype html><html><head><title>x</title></head><body><app-root></app-root>` +
  `${preloads.map((file) => `<link rel="modulepreload" href="${file}">`).join('')}<script src="main-M.js" type="module"></script></body></html>`;

describe('preloading every initial chunk', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'preload-'));
    // main imports a and b; a imports c; b imports a again; lazy is only imported dynamically.
    writeFileSync(join(dir, 'main-M.js'), 'import{x as y}from"./chunk-a.js";import"./chunk-b.js";const l=()=>import("./chunk-lazy.js");');
    writeFileSync(join(dir, 'chunk-a.js'), 'import{z}from"./chunk-c.js";export const x=1;');
    writeFileSync(join(dir, 'chunk-b.js'), 'import{x}from"./chunk-a.js";console.log(\'import"./chunk-not-a-statement.js"\');');
    writeFileSync(join(dir, 'chunk-c.js'), 'export const z=2;');
    writeFileSync(join(dir, 'chunk-lazy.js'), 'export const lazy=3;');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads only the leading static imports (not dynamic imports, not strings in the code)', () => {
    expect(staticImports('import{x as y}from"./chunk-a.js";import"./chunk-b.js";const l=()=>import("./chunk-lazy.js");')).toEqual([
      'chunk-a.js',
      'chunk-b.js',
    ]);
  });

  it('finds every chunk the entry script needs before it runs, transitively, and no lazy one', () => {
    expect(initialModules(dir, html([])).sort()).toEqual(['chunk-a.js', 'chunk-b.js', 'chunk-c.js']);
  });

  it('adds the ones Angular left out, keeps the others, and adds nothing the second time', () => {
    const first = withAllPreloads(dir, html(['chunk-a.js']));
    expect(first.added.sort()).toEqual(['chunk-b.js', 'chunk-c.js']);
    for (const file of ['chunk-a.js', 'chunk-b.js', 'chunk-c.js'])
      expect(first.html).toContain(`<link rel="modulepreload" href="${file}">`);
    expect(first.html).not.toContain('chunk-lazy.js');
    // Beside the preloads already there (Angular writes them into <body>), before the entry script.
    expect(first.html.indexOf('href="chunk-b.js"')).toBeGreaterThan(first.html.indexOf('<body>'));
    expect(first.html.indexOf('href="chunk-b.js"')).toBeLessThan(first.html.indexOf('<script src="main-M.js"'));
    expect(first.html.match(/chunk-a\.js/g)).toHaveLength(1);
    const again = withAllPreloads(dir, first.html);
    expect(again.added).toEqual([]);
    expect(again.html).toBe(first.html);
  });
});
