/**
 * Every bench hands its figures to `npm run bench` as rows of one table (bench/run.mjs prints
 * it): the figure, ours, the baseline measured in the same run, and the ratio ours / baseline.
 * Rows are written to bench/results/<bench>.json (git-ignored).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface BenchRow {
  /** What is measured, in words a reader of the README understands. */
  readonly figure: string;
  readonly ours: string;
  /** The baseline from the same run (the Ionic blank starter, or the bare Logto SDK), or '' when there is none. */
  readonly baseline: string;
  /** ours / baseline when both are numbers, else ''. */
  readonly ratio: string;
  /** The target as the issue states it, and whether this run met it. */
  readonly target: string;
}

export function ratio(ours: number, baseline: number): string {
  return baseline > 0 ? `${(ours / baseline).toFixed(2)}×` : '';
}

export function writeRows(bench: string, rows: readonly BenchRow[]): void {
  const dir = fileURLToPath(new URL('../results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}${bench}.json`, `${JSON.stringify(rows, null, 2)}\n`);
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

export const kB = (bytes: number): string => `${(bytes / 1000).toFixed(1)} kB`;
export const ms = (value: number): string => `${Math.round(value)} ms`;

/** The project folder, from a bench's source or from its bundle in bench/results/. */
export function projectRoot(from: string = import.meta.url): string {
  let dir = new URL('./', from);
  while (!existsSync(fileURLToPath(new URL('bench/run.mjs', dir)))) {
    const parent = new URL('../', dir);
    if (parent.href === dir.href) throw new Error('bench: cannot find the project folder (bench/run.mjs)');
    dir = parent;
  }
  return fileURLToPath(dir);
}
