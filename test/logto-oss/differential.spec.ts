/**
 * The differential: one list of scenarios (test/logto-differential/scenarios.ts), each run
 * against the local identity server (in-process, through its HTML pages) and against the real
 * open-source Logto server (through the Experience API its sign-in pages call), comparing what a
 * client sees. Differences that remain on purpose are listed with their reasons in
 * `knownDifferences` and docs/logto-differences.md; any other difference fails.
 *
 * It also checks that Logto still answers as recorded in recorded-logto.ts, the record the
 * ordinary `npm test` holds the local server to (test/logto-differential/local-server.spec.ts).
 *
 * Runs in `npm run test:logto` (which starts Logto); skipped with a note otherwise.
 */
import { writeFileSync } from 'node:fs';

import { afterAll, beforeAll, expect, jest } from '@jest/globals';

import type { FakeAliyunDm } from '../../dev-idp/fake-aliyun/server.ts';
import type { IdentityDriver } from '../logto-differential/driver.ts';
import { startLocalDriver, type LocalDriver } from '../logto-differential/local-driver.ts';
import { recordedLogto } from '../logto-differential/recorded-logto.ts';
import { comparable, scenarios, type Outcome } from '../logto-differential/scenarios.ts';
import { fakeDirectMailSource, logtoDriver, mockEmailFileSource } from './support/logto-driver.ts';
import { describeWithRealLogto, managementApi, startLaneFakeAliyun, type RealLogto } from './support/real-logto.ts';
import { ensureBooksReaderRole, runLogtoSetup } from './support/tenant.ts';

jest.setTimeout(120_000);

describeWithRealLogto('the local identity server answers a client as the real Logto server does', (logto: RealLogto) => {
  let mail: FakeAliyunDm;
  let local: LocalDriver;
  let real: IdentityDriver;
  const measured: Record<string, Outcome> = {};

  beforeAll(async () => {
    mail = await startLaneFakeAliyun(logto);
    const appId = await runLogtoSetup(logto);
    const roleId = await ensureBooksReaderRole(logto);
    // Codes from wherever the tenant's email connector sends them.
    const connectors = await managementApi<{ type: string; connectorId: string }[]>(logto, 'GET', '/api/connectors');
    const email = connectors.find((connector) => connector.type === 'Email')?.connectorId;
    const source =
      email === 'mock-email-service' && logto.mockEmailFile ? mockEmailFileSource(logto.mockEmailFile) : fakeDirectMailSource(mail);
    real = logtoDriver(logto, { appId, roleId, mail: source });
    local = await startLocalDriver();
  });

  afterAll(async () => {
    await local?.stop();
    await mail?.stop();
    const record = process.env['LOGTO_DIFF_RECORD'];
    if (record) writeFileSync(record, `${JSON.stringify(measured, null, 2)}\n`);
  });

  it.each(scenarios.map((scenario) => [scenario.name, scenario] as const))('%s', async (name, scenario) => {
    const logtoOutcome = await scenario.run(real);
    measured[name] = logtoOutcome;
    const localOutcome = await scenario.run(local);
    const { local: l, logto: r, differences } = comparable(name, localOutcome, logtoOutcome);
    expect(l).toEqual(r);
    for (const difference of differences) {
      expect({ field: difference.field, local: localOutcome[difference.field] }).toEqual({
        field: difference.field,
        local: difference.local,
      });
      expect({ field: difference.field, logto: logtoOutcome[difference.field] }).toEqual({
        field: difference.field,
        logto: difference.logto,
      });
    }
    expect(logtoOutcome).toEqual(recordedLogto[name]);
  });
});
