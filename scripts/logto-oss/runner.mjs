/**
 * The steps behind `npm run logto:oss`. Each step checks whether its work is already done and
 * skips it, so `up` can be run again at any time.
 *
 * Work directory (LOGTO_OSS_DIR, default .logto-oss/ in the repo, gitignored):
 *   toolchain/        Node 22 + pnpm 10 from the npm registry (Logto wants Node ^22.14), used only here
 *   logto-<key>/      the source extracted from a tarball (<key> = its commit); a source directory
 *                     is used in place instead
 *   pg/               the PostgreSQL cluster of its own (data/, socket/, log), run by the `postgres`
 *                     OS user when we are root (PostgreSQL refuses to run as root)
 *   run/              logs, pid file, the state file the tests read (logto-oss.json)
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export class RunnerError extends Error {}

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const env = process.env;

/** Pinned: Logto 1.42 declares Node ^22.14 and pnpm 10 (`packageManager` in its package.json). */
const nodeVersion = '22.23.3';
const pnpmVersion = '10.34.9';
/** Logto's fork of oidc-provider is a GitHub dependency; upstream 9.11.3 from npm stands in. */
const oidcProviderVersion = '9.11.3';
/** A type-only devDependency of a few Logto packages that the npm registry does not have. */
const unpublishedDevDependency = ['@logto/cloud', '0.2.5-94350d3'];
const connectors = ['connector-aliyun-dm', 'connector-mock-email'];
const managementResource = 'https://default.logto.app/api';
const m2mAppId = 'logto-oss-m2m';
const dbUser = 'logto';

const settings = {
  workDir: resolve(projectRoot, env.LOGTO_OSS_DIR || '.logto-oss'),
  port: Number(env.LOGTO_OSS_PORT || 3301),
  adminPort: Number(env.LOGTO_OSS_ADMIN_PORT || 3302),
  pgPort: Number(env.LOGTO_OSS_PG_PORT || 5433),
  aliyunPort: Number(env.LOGTO_OSS_ALIYUN_PORT || 3303),
};
const paths = {
  toolchain: join(settings.workDir, 'toolchain'),
  toolchainBin: join(settings.workDir, 'toolchain', 'node_modules', '.bin'),
  pg: join(settings.workDir, 'pg'),
  pgData: join(settings.workDir, 'pg', 'data'),
  pgSocket: join(settings.workDir, 'pg', 'socket'),
  pgLog: join(settings.workDir, 'pg', 'postgres.log'),
  pgPassword: join(settings.workDir, 'pg', 'password'),
  run: join(settings.workDir, 'run'),
  corePid: join(settings.workDir, 'run', 'core.pid'),
  coreLog: join(settings.workDir, 'run', 'core.log'),
  state: resolve(projectRoot, env.LOGTO_OSS_STATE || join(settings.workDir, 'run', 'logto-oss.json')),
};
const endpoint = `http://localhost:${settings.port}`;
const adminEndpoint = `http://localhost:${settings.adminPort}`;
const aliyunFakeUrl = `http://127.0.0.1:${settings.aliyunPort}/`;
const asRoot = process.getuid?.() === 0;

// ---------------------------------------------------------------------------------------------
// Small helpers

const startedAt = Date.now();
function say(line) {
  console.log(`logto:oss [${((Date.now() - startedAt) / 1000).toFixed(0).padStart(3)} s] ${line}`);
}

/** Runs a command with output shown; throws RunnerError naming it on failure. */
function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) throw new RunnerError(`${command} could not start: ${result.error.message}`);
  if (result.status !== 0) throw new RunnerError(`${command} ${args.join(' ')} failed (exit ${result.status})`);
}

/** Runs a command into a log file; on failure prints the log's end and throws. */
function runLogged(label, logFile, command, args, options = {}) {
  const t0 = Date.now();
  say(`${label} (log: ${logFile})`);
  const fd = openSync(logFile, 'a');
  const result = spawnSync(command, args, { stdio: ['ignore', fd, fd], ...options });
  closeSync(fd);
  if (result.status !== 0) {
    console.error(tail(logFile, 40));
    throw new RunnerError(`${label} failed (exit ${result.status ?? result.signal}); full log: ${logFile}`);
  }
  say(`${label}: done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

function tail(file, lines) {
  if (!existsSync(file)) return `(no ${file})`;
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** Runs as the `postgres` OS user when we are root, as ourselves otherwise. */
function asPostgres(command, args, options = {}) {
  return asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args], options] : [command, args, options];
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Source: which Logto, and where its tree is

function describeSource() {
  const source = env.LOGTO_SOURCE?.trim();
  if (!source) return undefined;
  const absolute = resolve(source);
  if (!existsSync(absolute)) throw new RunnerError(`LOGTO_SOURCE ${absolute} does not exist.`);
  if (statSync(absolute).isDirectory()) {
    if (!existsSync(join(absolute, 'packages', 'core', 'package.json'))) {
      throw new RunnerError(`LOGTO_SOURCE ${absolute} is not a Logto source directory (no packages/core).`);
    }
    const key = createHash('sha256').update(realpathSync(absolute)).digest('hex').slice(0, 12);
    return { kind: 'directory', path: absolute, key, tree: absolute };
  }
  // A tarball named after its commit (logto-<commit>.tar.gz) keys the work directory by that commit;
  // any other name by the tarball's content.
  const commit = /([0-9a-f]{12,40})\.tar\.gz$/.exec(basename(absolute))?.[1];
  const key = commit ?? createHash('sha256').update(readFileSync(absolute)).digest('hex').slice(0, 12);
  return { kind: 'tarball', path: absolute, key, tree: join(settings.workDir, `logto-${key}`) };
}

const howToGetSource =
  'Set LOGTO_SOURCE to the Logto server source: a clone of github.com/logto-io/logto at commit 1fbc55441fd2 (or a tarball of it, e.g. logto-1fbc55441fd2.tar.gz).';

// ---------------------------------------------------------------------------------------------
// Steps of `up`

function ensureSystemPackages() {
  const missing = [];
  if (!hasCommand('rsync')) missing.push('rsync'); // core's build copies its API docs with rsync
  if (!postgresBin()) missing.push('postgresql');
  if (missing.length === 0) return;
  if (!asRoot)
    throw new RunnerError(`missing system packages: ${missing.join(', ')}. Install them (apt-get install ${missing.join(' ')}).`);
  say(`installing ${missing.join(', ')} from the Debian archive`);
  run('apt-get', ['update', '-qq'], { env: { ...env, DEBIAN_FRONTEND: 'noninteractive' } });
  run('apt-get', ['install', '-y', '-qq', ...missing], { env: { ...env, DEBIAN_FRONTEND: 'noninteractive' } });
}

/** The directory with initdb/pg_ctl of the newest PostgreSQL installed (Debian keeps them off PATH). */
function postgresBin() {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl')));
    versions.sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(root, versions[0], 'bin');
  }
  for (const dir of (env.PATH ?? '').split(':')) if (dir && existsSync(join(dir, 'pg_ctl')) && existsSync(join(dir, 'initdb'))) return dir;
  return undefined;
}

function toolchainVersion(bin) {
  const file = join(paths.toolchainBin, bin);
  if (!existsSync(file)) return undefined;
  const result = spawnSync(file, ['--version'], { encoding: 'utf8', env: toolchainEnv() });
  return result.status === 0 ? result.stdout.trim().replace(/^v/, '') : undefined;
}

/** PATH with our Node 22 and pnpm first: pnpm and Logto's scripts run `node` from PATH. */
function toolchainEnv(extra = {}) {
  return {
    ...env,
    PATH: `${paths.toolchainBin}:${env.PATH}`,
    CI: 'true',
    HUSKY: '0',
    PUPPETEER_SKIP_DOWNLOAD: 'true',
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
    ...extra,
  };
}

function ensureToolchain() {
  if (toolchainVersion('node') === nodeVersion && toolchainVersion('pnpm') === pnpmVersion) return;
  // Installed into a folder of its own (not `npm i -g`): nothing outside the work dir changes.
  mkdirSync(paths.toolchain, { recursive: true });
  runLogged(`Node ${nodeVersion} + pnpm ${pnpmVersion} from the npm registry`, join(paths.run, 'toolchain.log'), 'npm', [
    'install',
    '--prefix',
    paths.toolchain,
    '--no-audit',
    '--no-fund',
    `node@${nodeVersion}`,
    `pnpm@${pnpmVersion}`,
  ]);
  if (toolchainVersion('node') !== nodeVersion) throw new RunnerError(`Node ${nodeVersion} did not install into ${paths.toolchain}`);
}

function ensureSourceTree(source) {
  if (source.kind === 'directory') return;
  if (existsSync(join(source.tree, 'packages', 'core', 'package.json'))) return;
  const partial = `${source.tree}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  runLogged(`extracting ${basename(source.path)}`, join(paths.run, 'extract.log'), 'tar', ['-xzf', source.path, '-C', partial]);
  // Some tarballs hold one top-level folder, others the tree itself.
  const entries = readdirSync(partial);
  const root = entries.length === 1 && existsSync(join(partial, entries[0], 'packages')) ? join(partial, entries[0]) : partial;
  if (!existsSync(join(root, 'packages', 'core', 'package.json')))
    throw new RunnerError(`${source.path} holds no Logto source (no packages/core).`);
  execFileSync('mv', [root, source.tree]);
  rmSync(partial, { recursive: true, force: true });
}

function editJson(file, edit) {
  const text = readFileSync(file, 'utf8');
  const json = JSON.parse(text);
  if (!edit(json)) return false;
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
  return true;
}

/**
 * The two manifest changes a build from npm alone needs. Idempotent: a manifest already patched
 * is left untouched (so its timestamp, which tells whether install must run again, stays).
 */
function patchManifests(tree) {
  const changed = [];
  const core = join(tree, 'packages', 'core', 'package.json');
  if (
    editJson(core, (json) => {
      const current = json.dependencies?.['oidc-provider'];
      if (!current || current === oidcProviderVersion) return false;
      json.dependencies['oidc-provider'] = oidcProviderVersion;
      return true;
    })
  )
    changed.push('packages/core: oidc-provider → npm 9.11.3');
  const [name, version] = unpublishedDevDependency;
  for (const manifest of workspaceManifests(tree)) {
    const dropped = editJson(manifest, (json) => {
      let found = false;
      for (const field of ['dependencies', 'devDependencies']) {
        if (json[field]?.[name] === version) {
          delete json[field][name];
          found = true;
        }
      }
      return found;
    });
    if (dropped) changed.push(`${manifest.slice(tree.length + 1)}: dropped ${name}@${version}`);
  }
  for (const line of changed) say(`patched ${line}`);
  return changed.length > 0;
}

function workspaceManifests(tree) {
  const found = [];
  const walk = (dir, depth) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const child = join(dir, entry.name);
      if (existsSync(join(child, 'package.json'))) found.push(join(child, 'package.json'));
      if (depth > 0) walk(child, depth - 1);
    }
  };
  walk(join(tree, 'packages'), 2);
  return found;
}

function ensureInstalled(tree) {
  const patched = patchManifests(tree);
  const modules = join(tree, 'node_modules', '.modules.yaml');
  if (!patched && existsSync(modules)) return;
  runLogged(
    'pnpm install (no frozen lockfile: two manifests are patched)',
    join(paths.run, 'pnpm-install.log'),
    join(paths.toolchainBin, 'pnpm'),
    ['install', '--no-frozen-lockfile', '--reporter=append-only'],
    { cwd: tree, env: toolchainEnv() },
  );
}

function ensureBuilt(tree) {
  const serverBuilt =
    existsSync(join(tree, 'packages/core/build/index.js')) && existsSync(join(tree, 'packages/experience/dist/index.html'));
  const pnpm = join(paths.toolchainBin, 'pnpm');
  const log = join(paths.run, 'build.log');
  if (!serverBuilt) {
    // The server and the workspace packages it needs, with its sign-in pages (@logto/experience);
    // the admin Console, account center and demo apps are not needed to run or test it.
    runLogged(
      'building @logto/core and what it needs (the first time takes a few minutes)',
      log,
      'nice',
      [
        '-n',
        '10',
        pnpm,
        '-r',
        '--filter',
        '@logto/core...',
        ...['console', 'demo-app', 'device-demo-app', 'account'].flatMap((p) => ['--filter', `!@logto/${p}`]),
        'build',
      ],
      { cwd: tree, env: toolchainEnv() },
    );
  }
  const unbuilt = connectors.filter((c) => !existsSync(join(tree, 'packages/connectors', c, 'lib/index.js')));
  if (unbuilt.length > 0) {
    runLogged(
      `building ${unbuilt.join(', ')}`,
      log,
      'nice',
      ['-n', '10', pnpm, ...unbuilt.flatMap((c) => ['--filter', `@logto/${c}`]), 'build'],
      {
        cwd: tree,
        env: toolchainEnv(),
      },
    );
  }
  // What `logto connector link` does, for these connectors only.
  const linkDir = join(tree, 'packages/core/connectors');
  mkdirSync(linkDir, { recursive: true });
  for (const connector of connectors) {
    const link = join(linkDir, `@logto-${connector}`);
    const target = `../../connectors/${connector}`;
    if (existsSync(link) && lstatSync(link).isSymbolicLink() && readlinkSync(link) === target) continue;
    rmSync(link, { recursive: true, force: true });
    symlinkSync(target, link);
  }
}

// PostgreSQL ----------------------------------------------------------------------------------

function pgCtl(args, options = {}) {
  const [command, fullArgs, opts] = asPostgres(join(postgresBin(), 'pg_ctl'), ['-D', paths.pgData, ...args], options);
  return spawnSync(command, fullArgs, { encoding: 'utf8', ...opts });
}

function pgRunning() {
  return existsSync(join(paths.pgData, 'PG_VERSION')) && pgCtl(['status']).status === 0;
}

/** The postgres user must be able to reach its data folder: give search (x) permission where missing. */
function letPostgresTraverse(dir) {
  if (!asRoot) return;
  const blocked = [];
  for (let d = dirname(dir); d !== dirname(d); d = dirname(d)) {
    if (spawnSync('runuser', ['-u', 'postgres', '--', 'test', '-x', d]).status !== 0) blocked.push(d);
  }
  for (const d of blocked.reverse()) {
    chmodSync(d, statSync(d).mode | 0o001);
    say(`gave others search permission (o+x) on ${d} so PostgreSQL can reach its data folder`);
  }
}

function ensurePostgres() {
  mkdirSync(paths.pg, { recursive: true });
  let password = existsSync(paths.pgPassword) ? readFileSync(paths.pgPassword, 'utf8').trim() : '';
  if (!existsSync(join(paths.pgData, 'PG_VERSION'))) {
    rmSync(paths.pgData, { recursive: true, force: true });
    mkdirSync(paths.pgData, { recursive: true, mode: 0o700 });
    mkdirSync(paths.pgSocket, { recursive: true, mode: 0o700 });
    password = randomBytes(18).toString('hex');
    const pwfile = join(paths.pg, 'initdb-password');
    writeFileSync(paths.pgPassword, `${password}\n`, { mode: 0o600 });
    writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (asRoot) {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
      for (const p of [paths.pg, paths.pgData, paths.pgSocket, pwfile]) chownSync(p, uid, gid);
      letPostgresTraverse(paths.pg);
    }
    // Superuser `logto` with a password over TCP (Logto's seed creates its database); the unix
    // socket lives in a folder only the cluster's owner can enter.
    const [command, args] = asPostgres(join(postgresBin(), 'initdb'), [
      '-D',
      paths.pgData,
      '-U',
      dbUser,
      `--pwfile=${pwfile}`,
      '--auth-host=scram-sha-256',
      '--auth-local=trust',
      '-E',
      'UTF8',
      '--locale=C',
    ]);
    try {
      runLogged('creating a PostgreSQL cluster of its own', join(paths.run, 'initdb.log'), command, args);
    } finally {
      rmSync(pwfile, { force: true });
    }
  }
  if (pgRunning()) return password;
  const [command, args] = asPostgres(join(postgresBin(), 'pg_ctl'), [
    '-D',
    paths.pgData,
    '-l',
    paths.pgLog,
    '-w',
    '-t',
    '60',
    '-o',
    `-p ${settings.pgPort} -k ${paths.pgSocket} -c listen_addresses=127.0.0.1`,
    'start',
  ]);
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) {
    console.error(tail(paths.pgLog, 30));
    throw new RunnerError(
      `PostgreSQL did not start on port ${settings.pgPort} (log: ${paths.pgLog}). Is the port taken? Set LOGTO_OSS_PG_PORT.`,
    );
  }
  say(`PostgreSQL started on 127.0.0.1:${settings.pgPort}`);
  return password;
}

function dbUrl(password, key) {
  return `postgres://${dbUser}:${password}@127.0.0.1:${settings.pgPort}/logto_${key}`;
}

function psql(url, sql) {
  const result = spawnSync(join(postgresBin(), 'psql'), [url, '-qtA', '-v', 'ON_ERROR_STOP=1'], { input: sql, encoding: 'utf8' });
  if (result.status !== 0) throw new RunnerError(`SQL failed: ${result.stderr.trim()}`);
  return result.stdout.trim();
}

// Logto core ----------------------------------------------------------------------------------

function corePid() {
  if (!existsSync(paths.corePid)) return undefined;
  const pid = Number(readFileSync(paths.corePid, 'utf8'));
  return pid > 0 && pidAlive(pid) ? pid : undefined;
}

async function discoveryAnswers() {
  try {
    const response = await fetch(`${endpoint}/oidc/.well-known/openid-configuration`, { signal: AbortSignal.timeout(3000) });
    return response.ok;
  } catch {
    return false;
  }
}

async function startCore(tree, url) {
  if (corePid()) {
    say(`Logto already running (pid ${corePid()}) at ${endpoint}`);
    return;
  }
  if (await discoveryAnswers()) {
    throw new RunnerError(`something else already answers at ${endpoint}: stop it or set LOGTO_OSS_PORT / LOGTO_OSS_ADMIN_PORT.`);
  }
  const nodeBin = join(paths.toolchainBin, 'node');
  const preload = pathToFileURL(fileURLToPath(new URL('./aliyun-route.mjs', import.meta.url))).href;
  const logFd = openSync(paths.coreLog, 'a');
  const child = spawn(nodeBin, ['--import', preload, '.'], {
    cwd: join(tree, 'packages', 'core'),
    detached: true, // its own process group: `down` stops it and nothing else
    stdio: ['ignore', logFd, logFd],
    env: toolchainEnv({
      NODE_ENV: 'production',
      DB_URL: url,
      PORT: String(settings.port),
      ADMIN_PORT: String(settings.adminPort),
      ENDPOINT: endpoint,
      ADMIN_ENDPOINT: adminEndpoint,
      LOGTO_OSS_ALIYUN_URL: aliyunFakeUrl,
    }),
  });
  closeSync(logFd);
  child.unref();
  writeFileSync(paths.corePid, String(child.pid));
  const t0 = Date.now();
  while (Date.now() - t0 < 120_000) {
    if (!pidAlive(child.pid)) break;
    if (await discoveryAnswers()) {
      say(`Logto started (pid ${child.pid}) at ${endpoint}, ready in ${((Date.now() - t0) / 1000).toFixed(1)} s (log: ${paths.coreLog})`);
      return;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  console.error(tail(paths.coreLog, 40));
  stopCore();
  throw new RunnerError(`Logto did not become ready at ${endpoint} (log: ${paths.coreLog}).`);
}

function stopCore() {
  const pid = corePid();
  rmSync(paths.corePid, { force: true });
  if (!pid) return false;
  try {
    process.kill(-pid, 'SIGTERM'); // the process group we started
  } catch {
    process.kill(pid, 'SIGTERM');
  }
  return true;
}

/** Logto's mock email connector writes to a fixed file; read its path from the build itself. */
async function mockEmailFile(tree) {
  try {
    const kit = await import(pathToFileURL(join(tree, 'packages/toolkit/connector-kit/lib/index.js')).href);
    return kit.mockConnectorFilePaths?.Email;
  } catch {
    return undefined;
  }
}

/**
 * A machine-to-machine app holding the seeded role "Logto Management API access", inserted with
 * SQL because there is no Console or admin user yet. Idempotent; its secret is kept.
 */
function ensureM2mApp(url) {
  const secret = randomBytes(24).toString('hex');
  return psql(
    url,
    `insert into applications (tenant_id, id, name, secret, description, type, oidc_client_metadata, custom_client_metadata)
     values ('default', '${m2mAppId}', 'logto:oss Management API access', '${secret}',
             'Management API access for the project''s tests', 'MachineToMachine',
             '{"redirectUris":[],"postLogoutRedirectUris":[]}', '{}')
     on conflict (id) do nothing;
     insert into application_secrets (tenant_id, application_id, name, value)
     select 'default', '${m2mAppId}', 'default', secret from applications where id = '${m2mAppId}'
     on conflict do nothing;
     insert into applications_roles (tenant_id, id, application_id, role_id)
     select 'default', '${m2mAppId}-role', '${m2mAppId}', id from roles
     where tenant_id = 'default' and name = 'Logto Management API access'
     on conflict do nothing;
     select secret from applications where id = '${m2mAppId}';`,
  );
}

// ---------------------------------------------------------------------------------------------
// Commands

export async function up() {
  const source = describeSource();
  if (!source) throw new RunnerError(howToGetSource);
  mkdirSync(paths.run, { recursive: true });
  say(`Logto from ${source.path} (${source.kind}, key ${source.key})`);
  ensureSystemPackages();
  ensureToolchain();
  ensureSourceTree(source);
  ensureInstalled(source.tree);
  ensureBuilt(source.tree);
  const password = ensurePostgres();
  const url = dbUrl(password, source.key);
  runLogged(
    'seeding the database (skipped when seeded)',
    join(paths.run, 'seed.log'),
    join(paths.toolchainBin, 'pnpm'),
    ['-s', 'cli', 'db', 'seed', '--swe'],
    {
      cwd: source.tree,
      env: toolchainEnv({ DB_URL: url }),
    },
  );
  await startCore(source.tree, url);
  const m2mAppSecret = ensureM2mApp(url);
  const state = {
    endpoint,
    adminEndpoint,
    managementResource,
    m2mAppId,
    m2mAppSecret,
    aliyunFakeUrl,
    mockEmailFile: await mockEmailFile(source.tree),
    source: source.path,
    sourceKey: source.key,
    corePid: corePid(),
  };
  mkdirSync(dirname(paths.state), { recursive: true });
  writeFileSync(paths.state, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  say(`ready: ${endpoint} (state file ${paths.state}; Aliyun DirectMail requests go to ${aliyunFakeUrl})`);
}

export async function down() {
  const stopped = stopCore();
  say(stopped ? 'Logto stopped' : 'Logto was not running (nothing started by logto:oss)');
  rmSync(paths.state, { force: true });
  if (pgRunning()) {
    const result = pgCtl(['-w', '-m', 'fast', 'stop']);
    if (result.status !== 0) throw new RunnerError(`PostgreSQL did not stop: ${result.stderr.trim()}`);
    say('PostgreSQL stopped');
  }
}

export async function status() {
  const pid = corePid();
  say(pid ? `Logto running, pid ${pid}, ${endpoint} ${(await discoveryAnswers()) ? 'answers' : 'does NOT answer'}` : 'Logto not running');
  say(`PostgreSQL (${paths.pgData}) ${pgRunning() ? `running on port ${settings.pgPort}` : 'not running'}`);
  say(existsSync(paths.state) ? `state file ${paths.state}` : 'no state file');
  if (!env.LOGTO_SOURCE) say(howToGetSource);
}

export async function printEnv() {
  if (!existsSync(paths.state)) throw new RunnerError('not running: run `npm run logto:oss -- up` first.');
  const state = JSON.parse(readFileSync(paths.state, 'utf8'));
  console.log(`export LOGTO_ENDPOINT=${state.endpoint}`);
  console.log(`export LOGTO_M2M_APP_ID=${state.m2mAppId}`);
  console.log(`export LOGTO_M2M_APP_SECRET=${state.m2mAppSecret}`);
  console.log(`export LOGTO_MANAGEMENT_RESOURCE=${state.managementResource}`);
}
