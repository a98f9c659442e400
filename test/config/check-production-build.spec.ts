/**
 * scripts/check-production-build.mjs runs after every production build (`npm run build`, and the
 * e2e build): it must fail when development-only auth tooling reaches the output.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { homeEn } from '../../src/app/i18n/en/home';
import { shellEn } from '../../src/app/i18n/en/shell';

const script = join(import.meta.dirname, '../../scripts/check-production-build.mjs');
const strictPolicy =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self' http://localhost:3001; object-src 'none'; base-uri 'self'";

/** A built index.html: the policy first in <head> (as scripts/apply-csp.mjs writes it), then `rest`. */
function indexHtml(policy: string | null, rest = '<script src="main-ABC.js" type="module"></script>'): string {
  const meta = policy === null ? '' : `<meta http-equiv="Content-Security-Policy" content="${policy}">`;
  return `<!doctype html><html><head><meta charset="utf-8">${meta}<title>x</title></head><body><app-root></app-root>${rest}</body></html>`;
}

function check(dir: string): { ok: boolean; output: string } {
  try {
    const output = execFileSync(process.execPath, [script, dir], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    return { ok: true, output };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

describe('the production-build check', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'prod-build-'));
    mkdirSync(join(dir, 'nested'));
    writeFileSync(join(dir, 'main-ABC.js'), 'const machine = createMachine({ id: "auth" });');
    writeFileSync(join(dir, 'index.html'), indexHtml(strictPolicy));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('passes a build without dev tools', () => {
    expect(check(dir)).toMatchObject({ ok: true });
  });

  it.each([
    ['createBrowserInspector', 'the Stately browser inspector'],
    ['window.__authActor = actor', 'window.__authActor'],
    ['import("@statelyai/inspect")', '@statelyai/inspect'],
  ])('fails, naming the file, when the output contains %s', (code, named) => {
    writeFileSync(join(dir, 'nested', 'chunk-XYZ.js'), code);
    const result = check(dir);
    expect(result.ok).toBe(false);
    expect(result.output).toContain('chunk-XYZ.js');
    expect(result.output).toContain(named);
  });

  // The initial bundle holds only the shell's English; every screen's travels with the screen.
  const homeSentences = `const t={a:${JSON.stringify(homeEn['home.api.hint'])},b:${JSON.stringify(homeEn['api.unreachable'])}};`;

  it("fails, naming the file and the screen's texts, when a file the page loads first holds a screen's sentences", () => {
    writeFileSync(join(dir, 'main-ABC.js'), `import "./chunk-TXT.js";${shellEn['shell.chunkFailed.message']}`);
    writeFileSync(join(dir, 'chunk-TXT.js'), homeSentences);
    const result = check(dir);
    expect(result.ok).toBe(false);
    expect(result.output).toContain('chunk-TXT.js');
    expect(result.output).toContain('en/home.ts');
  });

  it("passes the shell's sentences in the initial files, and a screen's in a lazy chunk", () => {
    writeFileSync(join(dir, 'main-ABC.js'), `${JSON.stringify(shellEn)};const home=()=>import("./chunk-HOME.js");`);
    writeFileSync(join(dir, 'chunk-HOME.js'), homeSentences);
    expect(check(dir)).toMatchObject({ ok: true });
  });

  it('fails, naming the file, when a chunk the entry imports statically holds XState; a lazy one may', () => {
    const xstate = 'const XSTATE_INIT = "xstate.init";';
    writeFileSync(join(dir, 'chunk-LAZY.js'), xstate);
    writeFileSync(join(dir, 'main-ABC.js'), 'import{a}from"./chunk-INIT.js";const machine=()=>import("./chunk-LAZY.js");');
    writeFileSync(join(dir, 'chunk-INIT.js'), 'export const a=1;');
    expect(check(dir)).toMatchObject({ ok: true });
    writeFileSync(join(dir, 'chunk-INIT.js'), `${xstate}export const a=1;`);
    const result = check(dir);
    expect(result.ok).toBe(false);
    expect(result.output).toContain('XState is in the initial files');
    expect(result.output).toContain('chunk-INIT.js');
    expect(result.output).not.toContain('chunk-LAZY.js');
  });

  // The Content-Security-Policy of the web build (the defence of its localStorage tokens).
  const beastiesScript =
    "document.querySelectorAll('link[data-beasties-media]').forEach(function(l){l.media=l.getAttribute('data-beasties-media')})";

  it.each([
    ['no policy', indexHtml(null), 'has no <meta http-equiv="Content-Security-Policy">'],
    [
      "script-src 'unsafe-inline'",
      indexHtml(strictPolicy.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")),
      "script-src allows 'unsafe-inline'",
    ],
    ['no object-src', indexHtml(strictPolicy.replace("; object-src 'none'", '')), "object-src is not 'none'"],
    [
      'an inline script without its hash',
      indexHtml(strictPolicy, `<script>${beastiesScript}</script>`),
      'inline <script> without its hash',
    ],
    [
      'an inline event handler',
      indexHtml(strictPolicy, '<link rel="stylesheet" href="s.css" onload="this.media=\'all\'">'),
      'inline event handler (onload=)',
    ],
    [
      'a policy after a script',
      indexHtml(null, '').replace(
        '<title>',
        `<script src="a.js"></script><meta http-equiv="Content-Security-Policy" content="${strictPolicy}"><title>`,
      ),
      'comes after a <script>',
    ],
    [
      "a modulepreload of another origin's script before the policy",
      indexHtml(null, '').replace(
        '<title>',
        `<link rel="modulepreload" href="https://cdn.example/main.js"><meta http-equiv="Content-Security-Policy" content="${strictPolicy}"><title>`,
      ),
      'comes after a <link>',
    ],
    [
      'a modulepreload before the policy of a file the build does not have',
      indexHtml(null, '').replace(
        '<title>',
        `<link rel="modulepreload" href="main-OLD.js"><meta http-equiv="Content-Security-Policy" content="${strictPolicy}"><title>`,
      ),
      'a modulepreload of main-OLD.js (a file the build does not have)',
    ],
    [
      'a stylesheet before the policy',
      indexHtml(null, '').replace(
        '<title>',
        `<link rel="modulepreload" href="main-ABC.js"><link rel="stylesheet" href="s.css"><meta http-equiv="Content-Security-Policy" content="${strictPolicy}"><title>`,
      ),
      'comes after a <link>',
    ],
  ])('fails on %s, saying what is wrong', (_what, html, message) => {
    writeFileSync(join(dir, 'index.html'), html);
    const result = check(dir);
    expect(result.ok).toBe(false);
    expect(result.output).toContain(message);
  });

  it("accepts the build's own modulepreload above the policy (as merge-initial-chunks and apply-csp write it)", async () => {
    // @ts-expect-error: a plain .mjs script without type declarations
    const { withPolicy } = (await import('../../scripts/csp.mjs')) as { withPolicy: (html: string, policy: string) => string };
    const preloaded = indexHtml(null).replace(
      '<meta charset="utf-8">',
      '<meta charset="utf-8">\n    <link rel="modulepreload" href="/main-ABC.js">',
    );
    const html = withPolicy(preloaded, strictPolicy);
    expect(html.indexOf('rel="modulepreload"')).toBeLessThan(html.indexOf('Content-Security-Policy'));
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<title>'));
    writeFileSync(join(dir, 'index.html'), html);
    expect(check(dir)).toMatchObject({ ok: true });
  });

  it('accepts an inline script whose hash the policy lists', () => {
    const hash = `'sha256-${createHash('sha256').update(beastiesScript).digest('base64')}'`;
    writeFileSync(
      join(dir, 'index.html'),
      indexHtml(strictPolicy.replace("script-src 'self'", `script-src 'self' ${hash}`), `<script>${beastiesScript}</script>`),
    );
    expect(check(dir)).toMatchObject({ ok: true });
  });
});
