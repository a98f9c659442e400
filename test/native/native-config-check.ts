/**
 * Reads the native projects the way the OS does (manifest XML, Info.plist) and lists every
 * place where they disagree with identity.config.json. Independent of the script that writes them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import * as plist from 'plist';

interface Identity {
  appId: string;
  scheme: string;
  redirectUris: { native: { signIn: string; signOut: string } };
}

type XmlNode = Record<string, unknown>;
const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

function schemeOf(uri: string): string {
  return new URL(uri).protocol.replace(/:$/, '');
}

export function checkNativeConfig(root: string): string[] {
  const problems: string[] = [];
  const identity = JSON.parse(readFileSync(join(root, 'identity.config.json'), 'utf8')) as Identity;
  const schemes = new Set(Object.values(identity.redirectUris.native).map(schemeOf));

  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' });
  const manifest = parser.parse(readFileSync(join(root, 'android/app/src/main/AndroidManifest.xml'), 'utf8')) as XmlNode;
  const application = (manifest['manifest'] as XmlNode)['application'] as XmlNode;
  const main = asArray(application['activity'] as XmlNode | XmlNode[]).find((a) => a['@android:name'] === '.MainActivity');
  if (!main) {
    problems.push('Android: MainActivity is missing from AndroidManifest.xml');
  } else {
    if (main['@android:launchMode'] !== 'singleTask') {
      problems.push(`Android: MainActivity launchMode is ${String(main['@android:launchMode'])}, expected singleTask`);
    }
    const names = (node: XmlNode, key: string) => asArray(node[key] as XmlNode | XmlNode[]).map((n) => n['@android:name']);
    const deepLinkSchemes = asArray(main['intent-filter'] as XmlNode | XmlNode[])
      .filter(
        (filter) =>
          names(filter, 'action').includes('android.intent.action.VIEW') &&
          names(filter, 'category').includes('android.intent.category.DEFAULT') &&
          names(filter, 'category').includes('android.intent.category.BROWSABLE'),
      )
      .flatMap((filter) => asArray(filter['data'] as XmlNode | XmlNode[]).map((d) => d['@android:scheme']));
    for (const scheme of schemes) {
      if (!deepLinkSchemes.includes(scheme)) {
        problems.push(`Android: no VIEW/DEFAULT/BROWSABLE intent filter for the scheme ${scheme}`);
      }
    }
  }
  const gradle = readFileSync(join(root, 'android/app/build.gradle'), 'utf8');
  const applicationId = /applicationId "([^"]+)"/.exec(gradle)?.[1];
  if (applicationId !== identity.appId) {
    problems.push(`Android: applicationId is ${applicationId}, expected ${identity.appId}`);
  }

  const info = plist.parse(readFileSync(join(root, 'ios/App/App/Info.plist'), 'utf8')) as Record<string, unknown>;
  const urlTypes = asArray(info['CFBundleURLTypes'] as Record<string, unknown>[] | undefined);
  const iosSchemes = urlTypes.flatMap((t) => asArray(t['CFBundleURLSchemes'] as string[] | undefined));
  for (const scheme of schemes) {
    if (!iosSchemes.includes(scheme)) {
      problems.push(`iOS: CFBundleURLTypes does not declare the scheme ${scheme}`);
    }
  }
  const pbxproj = readFileSync(join(root, 'ios/App/App.xcodeproj/project.pbxproj'), 'utf8');
  const bundleIds = new Set([...pbxproj.matchAll(/PRODUCT_BUNDLE_IDENTIFIER = ([^;]+);/g)].map((m) => m[1]));
  if (bundleIds.size !== 1 || !bundleIds.has(identity.appId)) {
    problems.push(`iOS: PRODUCT_BUNDLE_IDENTIFIER is ${[...bundleIds].join(', ')}, expected ${identity.appId}`);
  }
  return problems;
}
