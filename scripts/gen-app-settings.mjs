// Writes src/app-settings.generated.json: the identity settings the app is built with.
// Source: identity.config.json; LOGTO_ENDPOINT / LOGTO_APP_ID override the Logto endpoint and
// app id, BOOKSTORE_API_URL the sample API, AUTH_DEBUG_PAGE=1 enables the /debug page in production builds.
// Runs before start, build, typecheck and tests, so the app never hard-codes these values.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const identity = JSON.parse(readFileSync(fileURLToPath(new URL('../identity.config.json', import.meta.url)), 'utf8'));
const env = process.env;

function endpointFrom(value) {
  let url;
  try {
    url = new URL(value);
  } catch {
    throw new Error(
      `LOGTO_ENDPOINT "${value}" is not a URL. Use the endpoint shown in the Logto Console, e.g. https://your-tenant.logto.app`,
    );
  }
  if (url.protocol !== 'https:' && url.hostname !== 'localhost' && url.hostname !== '127.0.0.1' && url.hostname !== '10.0.2.2') {
    throw new Error(`LOGTO_ENDPOINT "${value}" must use https (plain http is only accepted for localhost).`);
  }
  // The SDK appends /oidc itself: keep the bare origin (plus any path prefix), no trailing slash.
  return url.href.replace(/\/+$/, '');
}

let endpoint;
try {
  endpoint = endpointFrom(env.LOGTO_ENDPOINT || identity.logto.endpoint);
} catch (error) {
  console.error(`Configuration error: ${error.message}`);
  process.exit(1);
}

const settings = {
  appId: identity.appId,
  logto: {
    endpoint,
    appId: env.LOGTO_APP_ID || identity.logto.appId,
  },
  redirectUris: identity.redirectUris,
  scopes: identity.scopes,
  resources: identity.resources,
  // BOOKSTORE_API_URL moves the sample API (the end-to-end suite runs it on a free port).
  apis: env.BOOKSTORE_API_URL
    ? identity.apis.map((api, i) => (i === 0 ? { ...api, urlPrefix: env.BOOKSTORE_API_URL.replace(/\/*$/, '/') } : api))
    : identity.apis,
  debugPage: env.AUTH_DEBUG_PAGE === '1' || env.AUTH_DEBUG_PAGE === 'true',
};

// `--out <file>` writes elsewhere (tests); the app imports src/app-settings.generated.json.
const outArg = process.argv.indexOf('--out');
const out = outArg > 0 ? process.argv[outArg + 1] : fileURLToPath(new URL('../src/app-settings.generated.json', import.meta.url));
const text = JSON.stringify(settings, null, 2) + '\n';
let previous = '';
try {
  previous = readFileSync(out, 'utf8');
} catch {
  // first run
}
// Rewrite only on change, so a running dev server does not rebuild for nothing.
if (previous !== text) writeFileSync(out, text);
if (!env.CI && process.argv.includes('--verbose'))
  console.log(`App settings: Logto ${settings.logto.endpoint}, app id ${settings.logto.appId}`);
