/**
 * Every entry point in package.json starts with scripts/require-node.mjs: on a Node older than the
 * project's Node 24 it stops with one sentence that says what is wrong and the command that fixes it,
 * instead of the error the real command would give (ERR_UNKNOWN_FILE_EXTENSION, the Angular CLI's
 * version refusal).
 *
 * The old Node: a `node` first on PATH that runs this Node with process.version rewritten to 20.11.1
 * (the machine's own Node may already be 24). The entry points run through npm, in a scratch copy of
 * the project that holds the real package.json and the real check but no node_modules/.bin/node —
 * what a fresh clone looks like when the `node` package's install script never ran. A script without
 * the check would run its real command there and fail with some other error, so every case fails
 * unless the check runs first.
 *
 * Every script in package.json is run: a new one fails here until its body starts with
 * `node scripts/require-node.mjs && ` (a script that only calls another `npm run` needs it too, or
 * the sentence names the inner script and npm itself runs on the old Node).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '../..');
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  devDependencies: Record<string, string>;
};
const wantedMajor = packageJson.devDependencies['node'].split('.')[0];
const oldVersion = '20.11.1';
// `ng` is the Angular CLI passthrough (`npm run ng -- ...`), not an entry point of ours.
const entryPoints = Object.keys(packageJson.scripts).filter((name) => name !== 'ng');
// npm itself runs on this Node (not on the stub), so only the entry point sees the old version.
const npmCli = realpathSync(execFileSync('which', ['npm'], { encoding: 'utf8' }).trim());

let scratch: string;
let stubBin: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'require-node-'));
  stubBin = join(scratch, 'stub-bin');
  mkdirSync(stubBin);
  writeFileSync(
    join(stubBin, 'old-version.cjs'),
    `Object.defineProperty(process.versions, 'node', { value: '${oldVersion}' });\n` +
      `Object.defineProperty(process, 'version', { value: 'v${oldVersion}' });\n`,
  );
  writeFileSync(join(stubBin, 'node'), `#!/bin/sh\nexec '${process.execPath}' --require '${join(stubBin, 'old-version.cjs')}' "$@"\n`, {
    mode: 0o755,
  });
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A scratch copy of the project: the real package.json and check, nothing installed. */
function project(name: string): string {
  const dir = join(scratch, name);
  mkdirSync(join(dir, 'scripts'), { recursive: true });
  copyFileSync(join(root, 'package.json'), join(dir, 'package.json'));
  copyFileSync(join(root, 'scripts/require-node.mjs'), join(dir, 'scripts/require-node.mjs'));
  return dir;
}

/** The `node` package installed without its install script: package.json, no bin/node. */
function withoutNodeBinary(dir: string): string {
  mkdirSync(join(dir, 'node_modules/node'), { recursive: true });
  writeFileSync(
    join(dir, 'node_modules/node/package.json'),
    JSON.stringify({ name: 'node', version: packageJson.devDependencies['node'], bin: { node: 'bin/node' } }),
  );
  return dir;
}

function npm(dir: string, args: string[]): { status: number | null; stderr: string } {
  // The outer npm's settings (this suite runs under `npm run jest:node`) must not leak in.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')));
  const result = spawnSync(process.execPath, [npmCli, ...args], {
    cwd: dir,
    env: { ...env, PATH: `${stubBin}:${process.env['PATH']}` },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, stderr: result.stderr };
}

const command = (script: string) => (script === 'start' || script === 'test' ? `npm ${script}` : `npm run ${script}`);

describe('the Node 24 check in front of every entry point', () => {
  it('covers the entry points a person runs', () => {
    expect(entryPoints).toEqual(expect.arrayContaining(['start', 'test', 'build', 'bench', 'aliyun:fake', 'set-app-id']));
  });

  it.each(entryPoints)('`%s` on an old Node in a clone with nothing installed: one sentence, `npm ci`, exit 1', (script) => {
    const { status, stderr } = npm(project(`fresh-${script.replace(':', '-')}`), ['run', script]);
    expect(status).toBe(1);
    // The first thing on stderr: nothing of the real command ran before the check.
    expect(stderr.split('\n')[0]).toBe(
      `${command(script)} needs Node ${wantedMajor} but is running on Node ${oldVersion} because the dependencies are not installed: ` +
        `run \`npm ci\` (it also installs the project's own Node ${wantedMajor}).`,
    );
  });

  it('when install scripts were blocked: names `npm rebuild node esbuild`', () => {
    const { status, stderr } = npm(withoutNodeBinary(project('blocked')), ['start']);
    expect(status).toBe(1);
    expect(stderr.split('\n')[0]).toBe(
      `npm start needs Node ${wantedMajor} but is running on Node ${oldVersion} because the project's own Node ${wantedMajor} ` +
        `was not set up (install scripts were blocked or skipped, so the \`node\` package could not fetch its binary): ` +
        `run \`npm rebuild node esbuild\`, or use Node ${wantedMajor}.`,
    );
  });

  it('with ignore-scripts set (npm then skips pre-scripts): still checks, and the fix overrides the setting', () => {
    const { status, stderr } = npm(withoutNodeBinary(project('ignore-scripts')), ['test', '--ignore-scripts']);
    expect(status).toBe(1);
    expect(stderr.split('\n')[0]).toContain('run `npm rebuild node esbuild --ignore-scripts=false`, or use Node');
  });

  it('lets the project’s Node through without a word', () => {
    const output = execFileSync(process.execPath, [join(root, 'scripts/require-node.mjs')], { encoding: 'utf8', stdio: 'pipe' });
    expect(output).toBe('');
  });
});
