/**
 * The app is pointed at an identity provider by configuration only: identity.config.json plus
 * LOGTO_ENDPOINT / LOGTO_APP_ID (and BOOKSTORE_API_URL, AUTH_DEBUG_PAGE) at build time.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '../..');
const identity = JSON.parse(readFileSync(join(root, 'identity.config.json'), 'utf8'));

describe('build-time app settings (scripts/gen-app-settings.mjs)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'app-settings-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function generate(env: Record<string, string> = {}) {
    const out = join(dir, 'settings.json');
    const clean = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !['LOGTO_ENDPOINT', 'LOGTO_APP_ID', 'BOOKSTORE_API_URL', 'AUTH_DEBUG_PAGE'].includes(k)),
    );
    execFileSync(process.execPath, [join(root, 'scripts/gen-app-settings.mjs'), '--out', out], {
      env: { ...clean, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    });
    return JSON.parse(readFileSync(out, 'utf8'));
  }

  it('defaults to the local identity server and the settings file', () => {
    const settings = generate();
    expect(settings.logto).toEqual(identity.logto);
    expect(settings.redirectUris).toEqual(identity.redirectUris);
    expect(settings.debugPage).toBe(false);
  });

  it('points the app at a real Logto tenant with LOGTO_ENDPOINT and LOGTO_APP_ID, no code change', () => {
    const settings = generate({ LOGTO_ENDPOINT: 'https://my-tenant.logto.app/', LOGTO_APP_ID: 'abc123' });
    expect(settings.logto).toEqual({ endpoint: 'https://my-tenant.logto.app', appId: 'abc123' });
    expect(settings.redirectUris.native.signIn).toBe('com.example.app://callback');
  });

  it('refuses an endpoint that is not a URL, or plain http away from localhost, with a clear message', () => {
    expect(() => generate({ LOGTO_ENDPOINT: 'my-tenant.logto.app' })).toThrow(/LOGTO_ENDPOINT "my-tenant.logto.app" is not a URL/);
    expect(() => generate({ LOGTO_ENDPOINT: 'http://auth.example.com' })).toThrow(/must use https/);
  });

  it('moves the sample API and enables the debug page in production only when asked', () => {
    const settings = generate({ BOOKSTORE_API_URL: 'http://localhost:4555', AUTH_DEBUG_PAGE: '1' });
    expect(settings.apis[0]).toEqual({ urlPrefix: 'http://localhost:4555/', resource: 'https://api.bookstore.local' });
    expect(settings.debugPage).toBe(true);
  });
});
