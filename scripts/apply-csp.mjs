// Writes the Content-Security-Policy (scripts/csp.mjs) into a production build's index.html.
// Run after `ng build`, before scripts/check-production-build.mjs:
//   node scripts/apply-csp.mjs [outputDir=www] [--settings <app settings json>]
// The settings default to src/app-settings.generated.json (what `npm run build` used); the e2e
// build passes its own (built with --define AUTH_APP_SETTINGS), so connect-src names the
// endpoint and API prefixes the build really talks to, LOGTO_ENDPOINT overrides included.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { contentSecurityPolicy, inlineScripts, withPolicy } from './csp.mjs';

const args = process.argv.slice(2);
const settingsAt = args.indexOf('--settings');
const settingsFile =
  settingsAt >= 0 ? resolve(args[settingsAt + 1]) : fileURLToPath(new URL('../src/app-settings.generated.json', import.meta.url));
const positional = settingsAt < 0 ? args : args.filter((_, i) => i !== settingsAt && i !== settingsAt + 1);
const dir = resolve(positional[0] ?? 'www');

// `ng build --output-path <dir>` puts the browser files in <dir>/browser; angular.json's www has none.
const index = [join(dir, 'browser', 'index.html'), join(dir, 'index.html')].find((file) => existsSync(file));
if (!index) {
  console.error(`apply-csp: no index.html in ${dir}. Run "npx ng build" (production) first.`);
  process.exit(1);
}
const settings = JSON.parse(readFileSync(settingsFile, 'utf8'));
const html = readFileSync(index, 'utf8');
const policy = contentSecurityPolicy(
  settings,
  inlineScripts(html).map((script) => script.hash),
);
writeFileSync(index, withPolicy(html, policy));
console.log(`apply-csp: ${relative(process.cwd(), index) || index}: ${policy}`);
