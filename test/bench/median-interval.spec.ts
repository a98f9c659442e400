/**
 * The interval the cold-start bench gives with its median of round ratios: order statistics
 * chosen from the binomial distribution, checked against values worked out by hand and against
 * a simulation of its coverage.
 */
import { describe, expect, it } from '@jest/globals';

import { medianWithInterval } from '../../bench/support/results';

describe('median of ratios with a 95 % interval', () => {
  it('8 rounds: the smallest to the largest ratio (covers 1 − 2/256 = 99.2 %)', () => {
    const result = medianWithInterval([1.1, 0.9, 1.3, 1.0, 0.8, 1.2, 1.05, 0.95]);
    expect(result.median).toBeCloseTo(1.025);
    expect([result.low, result.high]).toEqual([0.8, 1.3]);
    expect(result.coverage).toBeCloseTo(1 - 2 / 256, 6);
  });

  it('11 rounds: the 2nd smallest to the 2nd largest (covers 1 − 2·12/2048 = 98.8 %; the 3rd would be 93.5 %)', () => {
    const values = Array.from({ length: 11 }, (_, i) => i + 1).reverse();
    const result = medianWithInterval(values);
    expect(result).toEqual({ median: 6, low: 2, high: 10, coverage: 1 - (2 * 12) / 2048 });
  });

  it('under 6 rounds: no 95 % interval exists; the smallest to the largest, coverage unknown', () => {
    const result = medianWithInterval([3, 1, 2]);
    expect([result.median, result.low, result.high]).toEqual([2, 1, 3]);
    expect(result.coverage).toBeNaN();
  });

  it('covers the true median at least 95 % of the time on skewed data (simulated)', () => {
    // Log-normal-ish ratios (a long right tail, as timings under load have); true median 1.
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const normal = () => Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
    let covered = 0;
    const trials = 2000;
    for (let trial = 0; trial < trials; trial++) {
      const { low, high } = medianWithInterval(Array.from({ length: 21 }, () => Math.exp(0.3 * normal())));
      if (low <= 1 && 1 <= high) covered += 1;
    }
    expect(covered / trials).toBeGreaterThanOrEqual(0.95);
  });
});
