// Writes the identity settings (identity.config.json) into the native projects:
// Android intent filter + applicationId, iOS CFBundleURLTypes + bundle id.
// Idempotent: run it after every change of app id or scheme (scripts/set-app-id.mjs does).
// The static test test/native/native-config.spec.ts fails when the two disagree.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as plist from 'plist';

// APP_ROOT lets the test run the script on a copy of the project.
const root = process.env.APP_ROOT ? `${process.env.APP_ROOT.replace(/\/$/, '')}/` : fileURLToPath(new URL('..', import.meta.url));
const paths = {
  identity: `${root}identity.config.json`,
  manifest: `${root}android/app/src/main/AndroidManifest.xml`,
  strings: `${root}android/app/src/main/res/values/strings.xml`,
  gradle: `${root}android/app/build.gradle`,
  plist: `${root}ios/App/App/Info.plist`,
  pbxproj: `${root}ios/App/App.xcodeproj/project.pbxproj`,
};

const BEGIN = '<!-- auth-deep-link:begin (written by scripts/native-config.mjs) -->';
const END = '<!-- auth-deep-link:end -->';

export function readIdentity() {
  return JSON.parse(readFileSync(paths.identity, 'utf8'));
}

/** The custom scheme every native redirect URI must use; throws if they disagree. */
export function nativeScheme(identity) {
  const schemes = Object.values(identity.redirectUris.native).map((uri) => new URL(uri).protocol.slice(0, -1));
  const unique = [...new Set(schemes)];
  if (unique.length !== 1 || unique[0] !== identity.scheme) {
    throw new Error(`identity.config.json: native redirect URIs use ${unique.join(', ')} but scheme is ${identity.scheme}`);
  }
  return identity.scheme;
}

function intentFilter(scheme) {
  return [
    BEGIN,
    '            <intent-filter android:autoVerify="false">',
    '                <action android:name="android.intent.action.VIEW" />',
    '                <category android:name="android.intent.category.DEFAULT" />',
    '                <category android:name="android.intent.category.BROWSABLE" />',
    `                <data android:scheme="${scheme}" />`,
    '            </intent-filter>',
    `            ${END}`,
  ].join('\n');
}

function applyAndroid(identity, scheme) {
  let manifest = readFileSync(paths.manifest, 'utf8');
  const block = intentFilter(scheme);
  const marked = new RegExp(`${escape(BEGIN)}[\\s\\S]*?${escape(END)}`);
  if (marked.test(manifest)) {
    manifest = manifest.replace(marked, block);
  } else {
    // First run: insert after the launcher intent filter of MainActivity.
    manifest = manifest.replace(
      /(<category android:name="android.intent.category.LAUNCHER" \/>\s*<\/intent-filter>)/,
      `$1\n\n            ${block}`,
    );
  }
  // singleTask: the deep link reaches the running activity instead of starting a second one.
  manifest = manifest.replace(/android:launchMode="[^"]*"/, 'android:launchMode="singleTask"');
  writeFileSync(paths.manifest, manifest);

  let strings = readFileSync(paths.strings, 'utf8');
  strings = strings
    .replace(/(<string name="app_name">)[^<]*/, `$1${identity.appName}`)
    .replace(/(<string name="title_activity_main">)[^<]*/, `$1${identity.appName}`)
    .replace(/(<string name="package_name">)[^<]*/, `$1${identity.appId}`)
    .replace(/(<string name="custom_url_scheme">)[^<]*/, `$1${scheme}`);
  writeFileSync(paths.strings, strings);

  // applicationId is the installed identity; the Java namespace/package may stay as generated.
  const gradle = readFileSync(paths.gradle, 'utf8').replace(/applicationId "[^"]*"/, `applicationId "${identity.appId}"`);
  writeFileSync(paths.gradle, gradle);
}

function applyIos(identity, scheme) {
  const info = plist.parse(readFileSync(paths.plist, 'utf8'));
  info.CFBundleDisplayName = identity.appName;
  info.CFBundleURLTypes = [{ CFBundleURLName: identity.appId, CFBundleTypeRole: 'Editor', CFBundleURLSchemes: [scheme] }];
  writeFileSync(paths.plist, plist.build(info, { indent: '\t' }) + '\n');

  const pbxproj = readFileSync(paths.pbxproj, 'utf8').replace(
    /PRODUCT_BUNDLE_IDENTIFIER = [^;]*;/g,
    `PRODUCT_BUNDLE_IDENTIFIER = ${identity.appId};`,
  );
  writeFileSync(paths.pbxproj, pbxproj);
}

function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function applyNativeConfig() {
  const identity = readIdentity();
  const scheme = nativeScheme(identity);
  applyAndroid(identity, scheme);
  applyIos(identity, scheme);
  return { appId: identity.appId, scheme };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { appId, scheme } = applyNativeConfig();
  console.log(`Native projects configured for ${appId} with the deep-link scheme ${scheme}://`);
}
