/**
 * Every API prefix is parsed once when the app settings are generated; a bad
 * entry stops the build with a message naming it. Plain http only for the development hosts
 * (identity.config.json devHosts, the same list the local servers answer to).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '../..');
const identity = JSON.parse(readFileSync(join(root, 'identity.config.json'), 'utf8'));

describe('API prefixes at build time (scripts/gen-app-settings.mjs)', () => {
  let dir: string;
  beforeEach(() => {
    // The script reads ../identity.config.json next to itself: a copy with a config of our own.
    dir = mkdtempSync(join(tmpdir(), 'api-prefixes-'));
    mkdirSync(join(dir, 'scripts'));
    for (const file of ['gen-app-settings.mjs', 'dev-hosts.mjs', 'brand-colors.mjs'])
      copyFileSync(join(root, 'scripts', file), join(dir, 'scripts', file));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function generate(change: Record<string, unknown>, env: Record<string, string> = {}) {
    writeFileSync(join(dir, 'identity.config.json'), JSON.stringify({ ...identity, ...change }));
    const clean = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !['LOGTO_ENDPOINT', 'LOGTO_APP_ID', 'BOOKSTORE_API_URL', 'AUTH_DEBUG_PAGE'].includes(k)),
    );
    const out = join(dir, 'settings.json');
    const run = spawnSync(process.execPath, [join(dir, 'scripts/gen-app-settings.mjs'), '--out', out], {
      env: { ...clean, ...env },
      encoding: 'utf8',
    });
    return {
      status: run.status,
      stderr: run.stderr,
      settings: run.status === 0 ? (JSON.parse(readFileSync(out, 'utf8')) as { apis: { urlPrefix: string }[] }) : undefined,
    };
  }

  const api = (urlPrefix: string) => ({ urlPrefix, resource: 'https://api.bookstore.local' });

  it('stops the build on a prefix without its trailing slash, naming the entry', () => {
    const run = generate({ apis: [api('http://localhost:3002/'), api('http://localhost:3002')] });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      'Configuration error: identity.config.json apis[1].urlPrefix "http://localhost:3002" must end with "/" (without it, the prefix would also match hosts such as localhost:3002.evil.test).',
    );
  });

  it.each([
    [
      'http://api.example.com/',
      'must use https (plain http is only accepted for the development hosts in identity.config.json devHosts: localhost, 127.0.0.1, ::1, 10.0.2.2).',
    ],
    ['api.example.com/', 'is not an absolute URL.'],
    ['https://user:pw@api.example.com/', 'must not carry a user name or password.'],
    ['https://api.example.com/v1/?k=1', 'must not have a query or fragment.'],
  ])('stops the build on %j', (prefix, why) => {
    const run = generate({ apis: [api(prefix)] });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`identity.config.json apis[0].urlPrefix "${prefix}" ${why}`);
  });

  it('accepts https anywhere, and http only on the development hosts (the emulator, a LAN host once listed)', () => {
    expect(generate({ apis: [api('https://api.example.com/v1/')] }).settings?.apis[0]?.urlPrefix).toBe('https://api.example.com/v1/');
    expect(generate({ apis: [api('http://10.0.2.2:3002/')] }).status).toBe(0);
    expect(generate({ apis: [api('http://192.168.1.20:3002/')] }).status).toBe(1);
    const lan = { devHosts: [...identity.devHosts, '192.168.1.20'] };
    expect(generate({ ...lan, apis: [api('http://192.168.1.20:3002/')] }).status).toBe(0);
    // The same list decides for LOGTO_ENDPOINT (a phone reaching this machine's identity server).
    expect(generate({ ...lan }, { LOGTO_ENDPOINT: 'http://192.168.1.20:3001' }).status).toBe(0);
    expect(generate({}, { LOGTO_ENDPOINT: 'http://192.168.1.20:3001' }).stderr).toContain('must use https');
  });

  it('checks BOOKSTORE_API_URL the same way', () => {
    const run = generate({}, { BOOKSTORE_API_URL: 'http://bookstore.example.com:3002' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('BOOKSTORE_API_URL "http://bookstore.example.com:3002/" must use https');
  });
});
