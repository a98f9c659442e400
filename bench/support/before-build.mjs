// `BENCH_BEFORE=<git revision>`: our app as it was at that revision, built by its own
// `npm run build` in the same environment, so that the benches can measure it in the same run as
// the working tree (a same-run comparison "before / after a change"; docs/benchmarks.md).
//
// The revision is checked out in a temporary git worktree (outside this checkout), given
// node_modules (hard links to ours when its package-lock.json is ours byte for byte, else its own
// `npm ci`), built with its own `npm run build` and the same environment (LOGTO_ENDPOINT,
// LOGTO_APP_ID…), and its www/ and generated app settings copied to bench/results/before-<commit>/
// (git-ignored). The worktree is removed afterwards. BENCH_SKIP_BUILD=1 reuses that copy.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

const git = (args, cwd = root) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** The full commit a revision names; a clear error for one git does not know. */
export function resolveRevision(revision) {
  try {
    return git(['rev-parse', '--verify', '--quiet', `${revision}^{commit}`]);
  } catch {
    throw new Error(`BENCH_BEFORE=${revision}: git knows no such commit here (fetch it, or give a commit hash, branch or tag)`);
  }
}

const sameFile = (a, b) => existsSync(a) && existsSync(b) && readFileSync(a).equals(readFileSync(b));

/** Same dependencies: hard links to ours (GNU cp), no download and almost no disk. False when that is not possible here. */
function linkNodeModules(worktree) {
  if (!existsSync(join(root, 'node_modules'))) return false;
  try {
    execFileSync('cp', ['-al', join(root, 'node_modules'), join(worktree, 'node_modules')], { stdio: 'ignore' });
    return true;
  } catch {
    rmSync(join(worktree, 'node_modules'), { recursive: true, force: true });
    return false;
  }
}

/**
 * Builds the revision (or reuses its last build with BENCH_SKIP_BUILD=1) and returns where its
 * production build is: `{ dir, commit, label, settings }`, `settings` being that build's
 * src/app-settings.generated.json (its app ID names its storage keys).
 */
export function buildBefore(revision, { log = console.log } = {}) {
  const commit = resolveRevision(revision);
  const short = commit.slice(0, 9);
  // The build in www/, its settings beside it (not in it: the static server serves everything in www/).
  const home = join(root, 'bench', 'results', `before-${short}`);
  const out = join(home, 'www');
  const settingsFile = join(home, 'app-settings.generated.json');
  const label = `before (${revision === short || commit.startsWith(revision) ? short : `${revision}, ${short}`})`;
  if (process.env['BENCH_SKIP_BUILD'] === '1' && existsSync(join(out, 'index.html')) && existsSync(settingsFile)) {
    log(`before: reusing the build of ${short} in ${out} (BENCH_SKIP_BUILD=1)`);
    return { dir: out, commit, label, settings: JSON.parse(readFileSync(settingsFile, 'utf8')) };
  }
  const worktree = mkdtempSync(join(tmpdir(), `bench-before-${short}-`));
  log(`before: building ${short} in a temporary worktree…`);
  try {
    git(['worktree', 'add', '--detach', '--force', worktree, commit]);
    if (!(sameFile(join(root, 'package-lock.json'), join(worktree, 'package-lock.json')) && linkNodeModules(worktree))) {
      log(`before: ${short} gets its own node_modules (npm ci): its package-lock.json differs, or ours could not be linked`);
      execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: worktree, stdio: ['ignore', 'ignore', 'inherit'] });
    }
    execFileSync('npm', ['run', 'build'], { cwd: worktree, stdio: ['ignore', 'ignore', 'inherit'] });
    rmSync(home, { recursive: true, force: true });
    cpSync(join(worktree, 'www'), out, { recursive: true });
    cpSync(join(worktree, 'src', 'app-settings.generated.json'), settingsFile);
  } finally {
    try {
      git(['worktree', 'remove', '--force', worktree]);
    } catch {
      rmSync(worktree, { recursive: true, force: true });
      git(['worktree', 'prune']);
    }
  }
  log(`before: ${short} built to ${out}`);
  return { dir: out, commit, label, settings: JSON.parse(readFileSync(settingsFile, 'utf8')) };
}

/**
 * The storage code of our app that decides where a stored session is kept, changed between the
 * revision and the working tree? The bench seeds the before build with a session in today's
 * format (under the before build's own app ID); a change here may mean it reads another format.
 */
export function storageCodeChanged(commit) {
  return git(['diff', '--name-only', commit, '--', 'src/app/auth/logto/token-storage.ts', 'src/app/auth/logto/session-store.ts'])
    .split('\n')
    .filter(Boolean);
}
