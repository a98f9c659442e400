import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { checkNativeConfig } from './native-config-check.ts';

const root = join(import.meta.dirname, '../..');
const nativeFiles = [
  'identity.config.json',
  'android/app/src/main/AndroidManifest.xml',
  'android/app/src/main/res/values/strings.xml',
  'android/app/build.gradle',
  'ios/App/App/Info.plist',
  'ios/App/App.xcodeproj/project.pbxproj',
];

/** A scratch copy of the files the native config touches, so tests can break and rewrite them. */
function copyProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'native-config-'));
  for (const file of nativeFiles) cpSync(join(root, file), join(dir, file), { recursive: true });
  return dir;
}

function runScript(script: string, dir: string, args: string[] = []): string {
  return execFileSync(process.execPath, [join(root, 'scripts', script), ...args], {
    env: { ...process.env, APP_ROOT: dir },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('native projects and identity.config.json', () => {
  let scratch: string;
  beforeEach(() => (scratch = copyProject()));
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  it('declare the deep-link scheme of the configured redirect URIs on Android and iOS', () => {
    expect(checkNativeConfig(root)).toEqual([]);
  });

  it('fail when the Android intent filter loses the scheme', () => {
    const manifest = join(scratch, 'android/app/src/main/AndroidManifest.xml');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace(/<data android:scheme="[^"]*" \/>/, ''));
    expect(checkNativeConfig(scratch)).toEqual([
      expect.stringMatching(/^Android: no VIEW\/DEFAULT\/BROWSABLE intent filter for the scheme com\.example\.app/),
    ]);
  });

  it('fail when MainActivity is not singleTask (a deep link would start a second activity)', () => {
    const manifest = join(scratch, 'android/app/src/main/AndroidManifest.xml');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('android:launchMode="singleTask"', 'android:launchMode="standard"'));
    expect(checkNativeConfig(scratch)).toEqual(['Android: MainActivity launchMode is standard, expected singleTask']);
  });

  it('fail when iOS Info.plist loses the URL type', () => {
    const info = join(scratch, 'ios/App/App/Info.plist');
    writeFileSync(
      info,
      readFileSync(info, 'utf8').replace(/<key>CFBundleURLTypes<\/key>\s*<array>[\s\S]*?<\/array>\s*<\/dict>\s*<\/array>/, ''),
    );
    expect(checkNativeConfig(scratch)).toEqual(['iOS: CFBundleURLTypes does not declare the scheme com.example.app']);
  });

  it('fail when the redirect URIs move to a scheme the native projects do not declare', () => {
    const file = join(scratch, 'identity.config.json');
    const identity = JSON.parse(readFileSync(file, 'utf8'));
    identity.redirectUris.native.signIn = 'com.other.app://callback';
    writeFileSync(file, JSON.stringify(identity));
    expect(checkNativeConfig(scratch)).toEqual([
      'Android: no VIEW/DEFAULT/BROWSABLE intent filter for the scheme com.other.app',
      'iOS: CFBundleURLTypes does not declare the scheme com.other.app',
    ]);
  });

  it('set-app-id changes app id, scheme and redirect URIs everywhere in one step', () => {
    const out = runScript('set-app-id.mjs', scratch, ['com.acme.books', '--name', 'Acme Books']);
    expect(out).toContain('com.acme.books://callback/sign-out');
    const identity = JSON.parse(readFileSync(join(scratch, 'identity.config.json'), 'utf8'));
    expect(identity.redirectUris.native).toEqual({ signIn: 'com.acme.books://callback', signOut: 'com.acme.books://callback/sign-out' });
    expect(checkNativeConfig(scratch)).toEqual([]);
    // Running it again changes nothing (idempotent: one marked block, not two).
    const manifest = readFileSync(join(scratch, 'android/app/src/main/AndroidManifest.xml'), 'utf8');
    runScript('set-app-id.mjs', scratch, ['com.acme.books', '--name', 'Acme Books']);
    expect(readFileSync(join(scratch, 'android/app/src/main/AndroidManifest.xml'), 'utf8')).toBe(manifest);
    expect(manifest.match(/auth-deep-link:begin/g)).toHaveLength(1);
  });

  it('set-app-id refuses an invalid app id without touching anything', () => {
    const before = readFileSync(join(scratch, 'identity.config.json'), 'utf8');
    expect(() => runScript('set-app-id.mjs', scratch, ['not an id'])).toThrow(/Usage: npm run set-app-id/);
    expect(readFileSync(join(scratch, 'identity.config.json'), 'utf8')).toBe(before);
  });
});

describe('native projects after cap sync', () => {
  // Plugins that ship native code; a plugin missing here means `npx cap sync` was not run after installing it.
  const plugins = ['@aparajita/capacitor-secure-storage', '@capacitor/app', '@capacitor/browser', '@capacitor/preferences'];

  it('register every native plugin on Android', () => {
    const settings = readFileSync(join(root, 'android/capacitor.settings.gradle'), 'utf8');
    for (const plugin of plugins) expect(settings).toContain(`node_modules/${plugin}/android`);
  });

  it('register every native plugin on iOS (Swift Package Manager)', () => {
    const manifest = readFileSync(join(root, 'ios/App/CapApp-SPM/Package.swift'), 'utf8');
    for (const plugin of plugins) expect(manifest).toContain(`node_modules/${plugin}"`);
  });
});
