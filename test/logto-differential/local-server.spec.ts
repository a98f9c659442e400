/**
 * The differential's local half in `npm test`: every scenario of scenarios.ts against the local
 * identity server, held to what the real Logto server answered (recorded-logto.ts, checked
 * against Logto itself by test/logto-oss/differential.spec.ts). So the local server cannot drift
 * from Logto's behaviour unnoticed even where no Logto build runs.
 */
import { jest } from '@jest/globals';

import { startLocalDriver, type LocalDriver } from './local-driver.ts';
import { recordedLogto } from './recorded-logto.ts';
import { comparable, scenarios } from './scenarios.ts';

jest.setTimeout(30_000);

describe('the local identity server answers a client as Logto 1.42 did (recorded)', () => {
  let local: LocalDriver;

  beforeAll(async () => {
    local = await startLocalDriver();
  });

  afterAll(async () => {
    await local?.stop();
  });

  it('has a recorded Logto answer for every scenario', () => {
    expect(Object.keys(recordedLogto).sort()).toEqual(scenarios.map((scenario) => scenario.name).sort());
  });

  it.each(scenarios.map((scenario) => [scenario.name, scenario] as const))('%s', async (name, scenario) => {
    const outcome = await scenario.run(local);
    const recorded = recordedLogto[name] ?? {};
    const { local: l, logto: r, differences } = comparable(name, outcome, recorded);
    expect(l).toEqual(r);
    for (const difference of differences) {
      expect({ field: difference.field, local: outcome[difference.field] }).toEqual({ field: difference.field, local: difference.local });
      expect({ field: difference.field, logto: recorded[difference.field] }).toEqual({ field: difference.field, logto: difference.logto });
    }
  });
});
