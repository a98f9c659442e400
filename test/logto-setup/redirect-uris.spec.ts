/**
 * One source of truth: the redirect URIs `npm run logto:setup` registers are exactly those the
 * app is built with (scripts/gen-app-settings.mjs) and whose scheme the native projects open.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { loadDesiredTenant } from '../../scripts/logto-setup/desired-state.ts';
import { planTenant } from '../../scripts/logto-setup/planner.ts';
import { checkNativeConfig } from '../native/native-config-check.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('the redirect URIs logto:setup registers', () => {
  const desired = loadDesiredTenant();
  const plan = planTenant(
    desired,
    { applications: [], resources: [], roles: [], connectors: [], signInExperience: {} },
    { connectorConfig: desired.emailConnector.config, replaceEmailConnector: false },
  );
  const created = plan.operations.find((operation) => operation.kind === 'create-application');

  it('are the ones the app is built with, sign-in and post sign-out, native and web', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'app-settings-'));
    try {
      const out = join(dir, 'settings.json');
      const env = { ...process.env, LOGTO_ENDPOINT: '', LOGTO_APP_ID: '' };
      const result = spawnSync(process.execPath, [join(root, 'scripts/gen-app-settings.mjs'), '--out', out], { env, encoding: 'utf8' });
      expect(result.status).toBe(0);
      const settings = JSON.parse(await readFile(out, 'utf8')) as {
        redirectUris: Record<'native' | 'web', { signIn: string; signOut: string }>;
      };
      expect(created?.body.oidcClientMetadata.redirectUris).toEqual([
        settings.redirectUris.native.signIn,
        settings.redirectUris.web.signIn,
      ]);
      expect(created?.body.oidcClientMetadata.postLogoutRedirectUris).toEqual([
        settings.redirectUris.native.signOut,
        settings.redirectUris.web.signOut,
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('use the custom scheme the Android and iOS projects register for deep links', async () => {
    expect(checkNativeConfig(root)).toEqual([]);
    const scheme = new URL(desired.application.redirectUris[0]!).protocol.replace(/:$/, '');
    const manifest = await readFile(join(root, 'android/app/src/main/AndroidManifest.xml'), 'utf8');
    const infoPlist = await readFile(join(root, 'ios/App/App/Info.plist'), 'utf8');
    expect(manifest).toContain(`android:scheme="${scheme}"`);
    expect(infoPlist).toMatch(new RegExp(`<key>CFBundleURLSchemes</key>\\s*<array>\\s*<string>${scheme.replaceAll('.', '\\.')}</string>`));
  });

  it('are what the local server registers for its seeded app', async () => {
    const { seedTenant } = await import('../../dev-idp/management/seed.ts');
    const seeded = seedTenant({ kind: 'desired', appId: 'bookstore-dev', m2mApps: [] });
    expect(seeded.applications[0]?.oidcClientMetadata).toEqual(created?.body.oidcClientMetadata);
  });
});
