/**
 * The seeded interleaving fuzzer over the session layer: the real adapter and
 * machine, the real SDK, the in-process identity server over HTTP; only the phone is simulated
 * (native shell, storage and network latency, kills). Each case is a seed; a failing seed is
 * printed with the command that replays it. A share of the cases (FUZZ_TAB_SHARE, default 0.3)
 * are 2–3 browser tabs over one storage. `npm test` runs FUZZ_CASES (default 300) cases;
 * `npm run test:soak:session` runs 5,000. FUZZ_SEED=<n> runs that one case. The run stops at
 * FUZZ_MAX_VIOLATIONS (default 3) violations; FUZZ_TRACE=1 adds each tab's writes and events to
 * a violation's log.
 */
import { jest } from '@jest/globals';

import { startIdentityServer, type RunningIdp } from '../../dev-idp/factory.ts';
import { FUZZ_ACCESS_TOKEN_TTL_S, newStats, runCase } from './fuzz-case.ts';

const single = process.env['FUZZ_SEED'];
const cases = single ? 1 : Number(process.env['FUZZ_CASES'] ?? 300);
const firstSeed = single ? Number(single) : Number(process.env['FUZZ_FIRST_SEED'] ?? 1);
const MAX_VIOLATIONS = Number(process.env['FUZZ_MAX_VIOLATIONS'] ?? 3);

jest.setTimeout(Math.max(120_000, cases * 1_000));

let idp: RunningIdp;

beforeAll(async () => {
  idp = await startIdentityServer({
    port: 0,
    log: () => undefined,
    ttl: { accessToken: FUZZ_ACCESS_TOKEN_TTL_S },
    // Hundreds of sign-ins for a few addresses: the code limits of the dev server would refuse them.
    codeLimits: { codesPerWindow: 1_000_000, resendCooldownSeconds: 0, wrongCodesPerHour: 1_000_000, lockoutSeconds: 0 },
  });
});

afterAll(async () => {
  await idp.stop();
});

describe('session-layer interleaving fuzzer', () => {
  it(`holds every session invariant over ${cases} seeded case(s) from seed ${firstSeed}`, async () => {
    const stats = newStats();
    const failures: string[] = [];
    const started = Date.now();
    let ran = 0;
    // The adapter logs through its own logger here; nothing else may print.
    const consoleSpies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
      jest.spyOn(console, method).mockImplementation(() => undefined),
    );
    try {
      for (let seed = firstSeed; seed < firstSeed + cases; seed += 1) {
        // Long soaks report as they go (a run stopped early still tells how far it got).
        if (cases >= 1_000 && (seed - firstSeed) % 100 === 0 && seed > firstSeed) {
          process.stdout.write(
            `session fuzz progress: ${seed - firstSeed} cases (${stats.tabCases} with tabs), ${stats.steps} steps, ` +
              `${idp.counters.refreshGrants} refresh grants, ${failures.length} violations\n`,
          );
        }
        ran += 1;
        try {
          await runCase(idp, seed, stats);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          // The share decides whether the seed is a tab case: the replay keeps it.
          const share = `FUZZ_TAB_SHARE=${process.env['FUZZ_TAB_SHARE'] ?? 0.3} `;
          failures.push(`${message}\n  replay: ${share}FUZZ_SEED=${seed} npm run test:fuzz`);
          // A long soak may be stopped before its end: each violation is printed as it happens.
          if (cases >= 1_000) process.stdout.write(`session fuzz violation: ${failures.at(-1)}\n`);
          if (failures.length >= MAX_VIOLATIONS) break;
        }
      }
    } finally {
      consoleSpies.forEach((spy) => spy.mockRestore());
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      `session fuzz: ${ran} cases from seed ${firstSeed} (${stats.tabCases} with 2–3 tabs over one storage), ${stats.steps} steps, ${stats.signIns} sign-ins, ${stats.signOuts} sign-outs, ` +
        `${stats.kills} kills, ${stats.tokenReads} token reads, ${stats.faults} server faults, ` +
        `${idp.counters.refreshGrants} refresh grants (max ${idp.counters.maxConcurrentRefreshGrants} in flight at the server), ` +
        `${stats.lostAnswers} honest lost-answer expiries, in ${seconds} s\n`,
    );
    expect(failures).toEqual([]);
  });
});
