/**
 * package.json's allowScripts must decide exactly the dependencies whose install scripts the lock
 * file records: CI installs with `npm ci --strict-allow-scripts`, which refuses the whole install
 * when a dependency with an install script is neither approved nor denied. This test says so in
 * `npm test`, before CI, and also catches entries left behind for packages that are gone.
 *
 * It reads the lock file because `npm install-scripts ls` reads node_modules: in a fresh clone, or
 * before `npm install` brought a new package in, it reports nothing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '../..');
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  allowScripts?: Record<string, boolean>;
};
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { hasInstallScript?: boolean }>;
};

/** Package names (from their node_modules path) of every locked dependency with an install script. */
const withInstallScripts = [
  ...new Set(
    Object.entries(lock.packages)
      .filter(([path, entry]) => path !== '' && entry.hasInstallScript)
      .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)),
  ),
].sort();

/** allowScripts keys are `name` or `name@version`; the decision is per package name. */
const decided = Object.keys(packageJson.allowScripts ?? {})
  .map((key) => key.replace(/(.)@.*$/, '$1'))
  .sort();

describe('allowScripts in package.json', () => {
  it('approves or denies every dependency that has an install script, and nothing else', () => {
    // On failure: `npm install`, then `npm install-scripts ls`, read what each script does, and
    // `npm install-scripts approve <pkg>` or `deny <pkg>` (or `npm install-scripts prune` for stale entries).
    expect(decided).toEqual(withInstallScripts);
  });

  it('approves the `node` package, which installs the project’s Node 24', () => {
    expect(packageJson.allowScripts?.['node']).toBe(true);
  });
});
