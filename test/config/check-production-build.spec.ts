/**
 * scripts/check-production-build.mjs runs after every production build (`npm run build`, and the
 * e2e build): it must fail when development-only auth tooling reaches the output.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const script = join(import.meta.dirname, '../../scripts/check-production-build.mjs');

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
});
