/**
 * Smoke run of the Node benches inside `npm test`: they run end to end on a few
 * rounds and report what they measure. No timed assertion: only outcomes that hold on any
 * machine (our cold start reads storage only, our refresh under load never runs two grants,
 * listeners come back to their count). The Chromium cold-start bench needs four production
 * builds and runs in `npm run bench` only.
 */
import { describe, expect, it } from '@jest/globals';

import { runLeakCycles } from '../../bench/leak-cycles.bench.ts';
import { runSdkVsOurs } from '../../bench/sdk-vs-ours.bench.ts';

const row = (rows: readonly { figure: string }[], start: string) => {
  const found = rows.find((r) => r.figure.startsWith(start));
  if (!found) throw new Error(`no row "${start}" in ${rows.map((r) => r.figure).join('; ')}`);
  return found as { figure: string; ours: string; baseline: string; target: string };
};

describe('benches (smoke)', () => {
  it('bare SDK vs ours: our cold start makes no request, our refreshes under load keep the session', async () => {
    const rows = await runSdkVsOurs({ rounds: 1 });
    expect(row(rows, 'cold start: identity-server requests').ours).toMatch(/^0 /);
    expect(row(rows, '50 concurrent').target).toMatch(/met$/);
    expect(row(rows, '50 concurrent').target).not.toMatch(/not met$/);
    expect(row(rows, 'sign-in: requests').ours).toContain('1 token');
  }, 60_000);

  it('leak cycles: listeners are back to their count after sign-in → cancel → retry → sign-out', async () => {
    const rows = await runLeakCycles({ cycles: 2, warmUp: 1 });
    expect(row(rows, 'Capacitor listeners').target).toBe('back to start: met');
  }, 60_000);
});
