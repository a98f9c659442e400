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
  /** The target this project set for the figure, and whether this run met it. */
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

/**
 * The median of some values (the round ratios of the cold-start bench) and a distribution-free
 * 95 % interval for it: the k-th smallest and the k-th largest value, k the largest rank for which
 * that interval covers the true median with at least 95 % probability (the count of values below
 * the true median is Binomial(n, ½)). It assumes nothing about the shape of the values'
 * distribution; with few values the interval is wide and covers more than 95 % (`coverage`; with
 * 8 values it is the smallest to the largest, 99.2 %). Under 6 values no such interval exists:
 * the smallest to the largest is given, `coverage` NaN.
 */
export function medianWithInterval(values: readonly number[]): { median: number; low: number; high: number; coverage: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  // P(Binomial(n, ½) < k), summed as it grows.
  let k = 0;
  let below = 0;
  let coverage = 1;
  for (let rank = 1; rank <= Math.floor(n / 2); rank++) {
    below += binomial(n, rank - 1) / 2 ** n;
    if (1 - 2 * below < 0.95) break;
    k = rank;
    coverage = 1 - 2 * below;
  }
  if (k === 0) return { median: median(sorted), low: sorted[0], high: sorted[n - 1], coverage: Number.NaN };
  return { median: median(sorted), low: sorted[k - 1], high: sorted[n - k], coverage };
}

function binomial(n: number, k: number): number {
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i;
  return result;
}

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
