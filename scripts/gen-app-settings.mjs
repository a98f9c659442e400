// Writes src/app-settings.generated.json: the identity settings the app is built with.
// Source: identity.config.json (also the brand: name, logos, the primary colour as Ionic colour
// sets checked for contrast; and the languages); LOGTO_ENDPOINT / LOGTO_APP_ID override the Logto endpoint and
// app id, BOOKSTORE_API_URL the sample API, AUTH_DEBUG_PAGE=1 enables the /debug page in production builds.
// Runs before start, build, typecheck and tests, so the app never hard-codes these values.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ionicColor } from './brand-colors.mjs';
import { isDevHost } from './dev-hosts.mjs';

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
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isDevHost(identity, url.hostname))) {
    throw new Error(`LOGTO_ENDPOINT "${value}" must use https (plain http is only accepted for ${devHostList()}).`);
  }
  // The SDK appends /oidc itself: keep the bare origin (plus any path prefix), no trailing slash.
  return url.href.replace(/\/+$/, '');
}

function devHostList() {
  return `the development hosts in identity.config.json devHosts: ${(identity.devHosts ?? []).join(', ')}`;
}

// Which requests get an access token. The app compares the parsed origin and
// path (src/app/auth/angular/api-prefixes.ts); here each prefix is parsed once and a bad one
// stops the build, named: without its trailing slash `http://localhost:3002` would also match
// `http://localhost:3002.evil.test/`, and plain http would send tokens in the clear.
function apiPrefixFrom(value, where) {
  const bad = (why) => new Error(`${where} "${value}" ${why}`);
  let url;
  try {
    url = new URL(value);
  } catch {
    throw bad('is not an absolute URL. Write the full prefix, e.g. https://api.example.com/v1/');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isDevHost(identity, url.hostname))) {
    throw bad(`must use https (plain http is only accepted for ${devHostList()}).`);
  }
  if (url.username || url.password) throw bad('must not carry a user name or password.');
  if (url.search || url.hash || value.includes('?') || value.includes('#')) throw bad('must not have a query or fragment.');
  if (!value.endsWith('/')) {
    throw bad(`must end with "/" (without it, the prefix would also match hosts such as ${url.host}.evil.test).`);
  }
  return url.href;
}

function apisFrom() {
  return identity.apis.map((api, i) => {
    // BOOKSTORE_API_URL moves the sample API (the end-to-end suite runs it on a free port).
    if (i === 0 && env.BOOKSTORE_API_URL) {
      return { ...api, urlPrefix: apiPrefixFrom(env.BOOKSTORE_API_URL.replace(/\/*$/, '/'), 'BOOKSTORE_API_URL') };
    }
    return { ...api, urlPrefix: apiPrefixFrom(api.urlPrefix, `identity.config.json apis[${i}].urlPrefix`) };
  });
}

function brandFrom() {
  const brand = identity.brand ?? {};
  // Logo paths in identity.config.json are project paths (src/assets/...); the app serves src/ as its root.
  const asset = (path) => (path ? path.replace(/^src\//, '') : null);
  const light = ionicColor(brand.primaryColor ?? '#3451c9', 'light');
  const dark = ionicColor(brand.primaryColorDark ?? brand.primaryColor ?? '#9db4ff', 'dark');
  for (const [scheme, color, given] of [
    ['light', light, brand.primaryColor],
    ['dark', dark, brand.primaryColorDark],
  ]) {
    if (color.adjusted && !env.CI)
      console.warn(
        `brand.${scheme === 'light' ? 'primaryColor' : 'primaryColorDark'} ${given} gives text below 4.5:1 on buttons; the app uses ${color.base} (${color.contrastRatio}:1).`,
      );
  }
  return {
    name: brand.name ?? identity.appName ?? 'App',
    logo: asset(brand.logo),
    logoDark: asset(brand.logoDark ?? brand.logo),
    primary: { light, dark },
  };
}

function languagesFrom() {
  const supported = identity.languages?.supported ?? ['en'];
  if (!Array.isArray(supported) || supported.length === 0 || !supported.every((tag) => typeof tag === 'string'))
    throw new Error('identity.config.json languages.supported must be a non-empty list of language tags, e.g. ["en", "zh-CN"].');
  return supported;
}

let endpoint;
let apis;
let brand;
let languages;
try {
  endpoint = endpointFrom(env.LOGTO_ENDPOINT || identity.logto.endpoint);
  apis = apisFrom();
  brand = brandFrom();
  languages = languagesFrom();
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
  apis,
  debugPage: env.AUTH_DEBUG_PAGE === '1' || env.AUTH_DEBUG_PAGE === 'true',
  brand,
  /** The languages the app offers; the first is the fallback. */
  languages,
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
