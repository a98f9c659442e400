/**
 * The full-stack integration suite's hooks. Every spec calls `useAuthStackSuite()` once; it owns
 * the file's leak scan (leak-scan.ts) and installs, per test:
 * - a console spy, an XState inspector, the flight recorder's report and the identity server's
 *   log lines make the transcript; the ledger collects every secret value that existed (tokens,
 *   codes, verifiers, callback URLs, sign-in states) from the device storage writes, the token
 *   endpoint's requests and responses, and the deep links. After each test the transcript must
 *   contain none of the ledger's values, and after the file the whole file's transcript neither.
 * - teardown: actors stopped, then no Capacitor listener may be left (the machine's stop must
 *   release them; the adapter is disposed only after that count), identity servers stopped.
 * The stack itself is auth-stack.ts, one app process app-process.ts.
 */
import { afterAll, afterEach, beforeEach, expect, jest } from '@jest/globals';

import { nativeShell, settle } from '../native-shell/shell.ts';
import { AuthStack, type StackOptions } from './auth-stack.ts';
import { LeakScan } from './leak-scan.ts';

export * from './auth-stack.ts';
export { AppProcess, type StateVisit } from './app-process.ts';

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

export interface AuthStackSuite {
  /** Brings up an identity server and the app's first process (booting). */
  start(options?: StackOptions): Promise<AuthStack>;
  /** What the app printed to the console during the current test. */
  consoleLines(): readonly string[];
}

/**
 * Registers the suite's hooks in the calling spec file. Everything started is torn down and
 * checked after each test; the file's whole transcript is checked once more after the last one.
 */
export function useAuthStackSuite(): AuthStackSuite {
  const scan = new LeakScan();
  const stacks: AuthStack[] = [];
  let started = 0;
  let spies: { mockRestore(): void }[] = [];

  beforeEach(() => {
    nativeShell.reset();
    scan.startTest();
    spies = CONSOLE_METHODS.map((method) =>
      jest.spyOn(console, method).mockImplementation((...args: unknown[]) => scan.addConsole(method, args)),
    );
  });

  afterEach(async () => {
    const problems: string[] = [];
    try {
      // 1. The machines stop (app shutdown): their platform subscription must release every listener.
      //    Their flight-recorder reports ("copy report" in the debug page) join the transcript.
      for (const stack of stacks) {
        for (const app of stack.processes) {
          scan.addText('flight recorder', JSON.stringify(app.recorder.report()));
          app.stop();
        }
      }
      await settle(10);
      const left = nativeShell.listenerCount();
      if (left !== 0) problems.push(`${left} Capacitor listener(s) left after the machines stopped`);
    } finally {
      // 2. Adapters disposed, servers stopped, whatever happened above.
      for (const stack of stacks.splice(0)) await stack.stop();
      spies.forEach((spy) => spy.mockRestore());
    }
    // 3. Nothing this test logged or inspected holds a secret (any secret seen so far in this file).
    problems.push(...scan.testProblems());
    expect(problems).toEqual([]);
  });

  afterAll(() => {
    if (started === 0) return;
    // The whole file, once: the scan saw real secrets of every kind a sign-in makes (so it was
    // looking at something), and none of them, nor a callback URL's shape, was ever printed.
    const report = scan.fileReport();
    expect([...report.secretKinds]).toEqual(
      expect.arrayContaining(['access token', 'refresh token', 'ID token', 'authorization code', 'code verifier']),
    );
    expect(report.inspectionEvents).toBeGreaterThan(0);
    expect(report.leaks).toEqual([]);
    expect(report.callbackShapes).toBe(false);
  });

  return {
    async start(options) {
      const stack = await AuthStack.start(scan, options);
      stacks.push(stack);
      started += 1;
      return stack;
    },
    consoleLines: () => scan.consoleLines,
  };
}
