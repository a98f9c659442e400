// First command of every entry point in package.json (`npm start`, `npm test`, `npm run build`...):
// stops with one sentence when the script is not running on the project's Node 24.
//
// Why: the project brings its own Node 24 as the `node` devDependency, and npm run puts
// node_modules/.bin first on PATH. That binary is fetched by the package's preinstall script; when
// install scripts were blocked (npm's allowScripts policy, --ignore-scripts, a company .npmrc) there
// is no node_modules/.bin/node, npm run silently falls back to the system Node, and what follows is
// an error that says nothing about the cause (ERR_UNKNOWN_FILE_EXTENSION on a .ts file, the Angular
// CLI refusing the version).
//
// It is the first command of the script body, not a pre-script: npm skips pre- and post-scripts
// when ignore-scripts is set, which is exactly the situation this check is for.
//
// Written to run on old Node versions: plain ESM, no TypeScript, no APIs newer than Node 14.
import { existsSync, readFileSync } from 'fs';
import { dirname, join } from 'path';
import { fileURLToPath } from 'url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const wanted = pkg.devDependencies.node; // the exact version npm installs, e.g. 24.21.0
const wantedMajor = wanted.split('.')[0];
const found = process.versions.node;

if (found.split('.')[0] !== wantedMajor) {
  console.error(problem());
  process.exit(1);
}

/** One sentence: which command, which Node it found, why, and the command that fixes it. */
function problem() {
  const event = process.env.npm_lifecycle_event;
  const command = !event ? 'This script' : event === 'start' || event === 'test' ? `npm ${event}` : `npm run ${event}`;
  const needs = `${command} needs Node ${wantedMajor} but is running on Node ${found}`;
  const installed = join(root, 'node_modules', 'node');
  if (!existsSync(join(installed, 'package.json'))) {
    return `${needs} because the dependencies are not installed: run \`npm ci\` (it also installs the project's own Node ${wantedMajor}).`;
  }
  const installedVersion = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')).version;
  if (installedVersion !== wanted) {
    return `${needs} because node_modules holds the \`node\` package ${installedVersion} instead of ${wanted}: run \`npm ci\`.`;
  }
  if (!existsSync(join(installed, 'bin', 'node'))) {
    // npm exports its config to scripts; with ignore-scripts set, a plain rebuild would skip the scripts too.
    const rebuild =
      process.env.npm_config_ignore_scripts === 'true' ? 'npm rebuild node esbuild --ignore-scripts=false' : 'npm rebuild node esbuild';
    return `${needs} because the project's own Node ${wantedMajor} was not set up (install scripts were blocked or skipped, so the \`node\` package could not fetch its binary): run \`${rebuild}\`, or use Node ${wantedMajor}.`;
  }
  if (!event) {
    return `${needs}: start it through npm (for example \`npm start\`), which puts the project's own Node ${wantedMajor} first on PATH, or use Node ${wantedMajor}.`;
  }
  return `${needs} although node_modules holds Node ${wanted}: run \`npm ci\`, or use Node ${wantedMajor}.`;
}
