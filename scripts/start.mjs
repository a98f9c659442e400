// `npm start`: the local identity server + sample API (dev-idp/main.ts) and the app (ng serve)
// together; Ctrl-C stops both. With LOGTO_ENDPOINT naming a real Logto, the app talks to that
// Logto, no local identity server starts, and the sample API trusts that Logto's tokens
// (scripts/start-plan.mjs says what runs).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startPlan } from './start-plan.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const identity = JSON.parse(readFileSync(`${root}identity.config.json`, 'utf8'));
const plan = startPlan(process.env, identity, root);
const children = [];

function run({ name, args, env }) {
  // process.execPath is the project's Node 24 (npm puts node_modules/.bin first on PATH).
  const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit', env });
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

for (const note of plan.notes) console.log(note);
for (const child of plan.children) run(child);
console.log(`\nApp:          http://localhost:${identity.ports.app}`);
if (plan.useLocalIdp) {
  console.log(`Sign-in codes: printed below and at http://localhost:${identity.ports.idp}/dev/mailbox\n`);
}
