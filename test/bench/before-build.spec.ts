/**
 * `BENCH_BEFORE=<git revision>` (bench/support/before-build.mjs): the benches build our app at that
 * revision. The build itself runs in `npm run bench` only; here, what a person gets wrong first:
 * a revision git does not know must say so, and the storage check must see no change against
 * the checkout itself.
 */
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';

// @ts-expect-error: a plain .mjs module without type declarations
import { resolveRevision, storageCodeChanged } from '../../bench/support/before-build.mjs';

describe('the before build of the benches', () => {
  it('resolves a revision to its commit, and names a revision git does not know', () => {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    expect(resolveRevision('HEAD')).toBe(head);
    expect(resolveRevision(head.slice(0, 9))).toBe(head);
    expect(() => resolveRevision('no-such-revision-here')).toThrow(/BENCH_BEFORE=no-such-revision-here: git knows no such commit/);
  });

  it('sees no change of the storage code between the checkout and its own commit', () => {
    const changed = storageCodeChanged(resolveRevision('HEAD'));
    // Only uncommitted edits of the storage files could show here.
    const dirty = execFileSync(
      'git',
      ['status', '--porcelain', '--', 'src/app/auth/logto/token-storage.ts', 'src/app/auth/logto/session-store.ts'],
      {
        encoding: 'utf8',
      },
    );
    expect(changed.length > 0).toBe(dirty.trim() !== '');
  });
});
