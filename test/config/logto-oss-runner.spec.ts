/**
 * `npm run logto:oss`: the two manifest patches a build of Logto from npm alone needs are
 * idempotent (a second `up` must neither fail nor touch the manifests, whose timestamps decide
 * whether `pnpm install` runs again), and the work directory is keyed by the source's commit.
 */
import { jest } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// @ts-expect-error -- plain ESM JavaScript without type declarations
import { describeSource, patchManifests } from '../../scripts/logto-oss/runner.mjs';

const fork = 'github:logto-io/node-oidc-provider#513c52330fca0d3e9b3e4fd52e0ffd1c9bbd2f39';

let tree: string;

function writeJson(file: string, json: unknown): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
}

beforeEach(() => {
  tree = mkdtempSync(join(tmpdir(), 'logto-tree-'));
  writeJson(join(tree, 'packages/core/package.json'), {
    name: '@logto/core',
    dependencies: { 'oidc-provider': fork, zod: '3.24.3' },
    devDependencies: { '@logto/cloud': '0.2.5-94350d3', typescript: '^5.5.3' },
  });
  writeJson(join(tree, 'packages/connectors/connector-logto-email/package.json'), {
    name: '@logto/connector-logto-email',
    devDependencies: { '@logto/cloud': '0.2.5-94350d3' },
  });
  writeJson(join(tree, 'packages/core/node_modules/x/package.json'), { devDependencies: { '@logto/cloud': '0.2.5-94350d3' } });
});

afterEach(() => rmSync(tree, { recursive: true, force: true }));

const read = (path: string) => JSON.parse(readFileSync(join(tree, path), 'utf8')) as Record<string, Record<string, string>>;

it('pins oidc-provider 9.11.3 from npm and drops the unpublished @logto/cloud, once', () => {
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    expect(patchManifests(tree)).toBe(true);
    const core = read('packages/core/package.json');
    expect(core['dependencies']).toEqual({ 'oidc-provider': '9.11.3', zod: '3.24.3' });
    expect(core['devDependencies']).toEqual({ typescript: '^5.5.3' });
    expect(read('packages/connectors/connector-logto-email/package.json')['devDependencies']).toEqual({});
    // Installed packages are not workspace manifests: left alone.
    expect(read('packages/core/node_modules/x/package.json')['devDependencies']).toEqual({ '@logto/cloud': '0.2.5-94350d3' });

    const before = statSync(join(tree, 'packages/core/package.json')).mtimeMs;
    expect(patchManifests(tree)).toBe(false);
    expect(statSync(join(tree, 'packages/core/package.json')).mtimeMs).toBe(before);
  } finally {
    log.mockRestore();
  }
});

it('keys a tarball by the commit in its name; without LOGTO_SOURCE there is no source', () => {
  const tarball = join(tree, 'logto-1fbc55441fd2.tar.gz');
  writeFileSync(tarball, '');
  const saved = process.env['LOGTO_SOURCE'];
  try {
    process.env['LOGTO_SOURCE'] = tarball;
    expect(describeSource()).toMatchObject({ kind: 'tarball', key: '1fbc55441fd2' });
    expect(describeSource().tree).toMatch(/logto-1fbc55441fd2$/);
    delete process.env['LOGTO_SOURCE'];
    expect(describeSource()).toBeUndefined();
  } finally {
    if (saved === undefined) delete process.env['LOGTO_SOURCE'];
    else process.env['LOGTO_SOURCE'] = saved;
  }
});
