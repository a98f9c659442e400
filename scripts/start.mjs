// `npm start`: the local identity server + sample API (dev-idp/main.ts) and the app (ng serve)
// together; Ctrl-C stops both. With LOGTO_ENDPOINT set, the app talks to that Logto and no
// local server starts.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { namesLocalIdentityServer } from './dev-hosts.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const identity = JSON.parse(readFileSync(`${root}identity.config.json`, 'utf8'));
// A LOGTO_ENDPOINT on a development host and the identity server's port (a phone reaching this
// machine by its LAN address) still means the local identity server.
const useLocalIdp = !process.env.LOGTO_ENDPOINT || namesLocalIdentityServer(identity, process.env.LOGTO_ENDPOINT);
const children = [];

function run(name, args) {
  // process.execPath is the project's Node 24 (npm puts node_modules/.bin first on PATH).
  const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit', env: process.env });
  children.push(child);
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`\n${name} stopped (${signal ?? `exit code ${code}`}); stopping everything.`);
    stop(code || 1);
  });
  return child;
}

let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 1500).unref();
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

if (useLocalIdp) {
  run('identity server', ['dev-idp/main.ts']);
} else {
  console.log(
    `Using Logto at ${process.env.LOGTO_ENDPOINT} (app id ${process.env.LOGTO_APP_ID ?? identity.logto.appId}); no local identity server.`,
  );
}
run('app', [
  `${root}node_modules/@angular/cli/bin/ng.js`,
  'serve',
  '--port',
  String(identity.ports.app),
  '--host',
  process.env.APP_HOST ?? 'localhost',
]);
console.log(`\nApp:          http://localhost:${identity.ports.app}`);
if (useLocalIdp) {
  console.log(`Sign-in codes: printed below and at http://localhost:${identity.ports.idp}/dev/mailbox\n`);
}
