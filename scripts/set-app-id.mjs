// Changes the app id (bundle id) and the deep-link scheme in one step:
//   npm run set-app-id -- com.acme.books [--scheme com.acme.books] [--name "Acme Books"]
// Updates identity.config.json (app id, scheme, native redirect URIs), then the native projects.
// Afterwards register the new redirect URIs with your Logto application.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { applyNativeConfig } from './native-config.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { scheme: { type: 'string' }, name: { type: 'string' } },
});
const [appId] = positionals;
// Reverse-domain ids; the same rule Android applicationId and iOS bundle ids accept.
const ID = /^[a-zA-Z][a-zA-Z0-9_]*(\.[a-zA-Z][a-zA-Z0-9_]*)+$/;
if (!appId || !ID.test(appId)) {
  console.error('Usage: npm run set-app-id -- <app id like com.acme.books> [--scheme <scheme>] [--name <app name>]');
  process.exit(1);
}
const scheme = values.scheme ?? appId.toLowerCase();
if (!/^[a-z][a-z0-9+.-]*$/.test(scheme)) {
  console.error(`"${scheme}" is not a valid URL scheme (lowercase letters, digits, + . -; starting with a letter).`);
  process.exit(1);
}

const file = process.env.APP_ROOT
  ? `${process.env.APP_ROOT.replace(/\/$/, '')}/identity.config.json`
  : fileURLToPath(new URL('../identity.config.json', import.meta.url));
const identity = JSON.parse(readFileSync(file, 'utf8'));
identity.appId = appId;
identity.scheme = scheme;
if (values.name) identity.appName = values.name;
identity.redirectUris.native = { signIn: `${scheme}://callback`, signOut: `${scheme}://callback/sign-out` };
writeFileSync(file, JSON.stringify(identity, null, 2) + '\n');

applyNativeConfig();
console.log(
  `App id: ${appId}\nScheme: ${scheme}://\nRedirect URIs to register in Logto:\n  ${identity.redirectUris.native.signIn}\n  ${identity.redirectUris.native.signOut}`,
);
