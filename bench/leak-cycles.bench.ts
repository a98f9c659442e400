/**
 * No leaks over a long session of use: 200 cycles of sign-in → cancel (the person closes the
 * browser) → Retry → signed in → sign-out, on the full stack (XState machine → our adapter →
 * real @logto/capacitor SDK → simulated native shell → the real identity server over HTTP).
 * After every cycle the Capacitor listeners must be back to their count before the first one;
 * the heap (after GC) is compared between the end of 10 warm-up cycles and the end of all
 * cycles. The identity server and the person's browser run in a worker thread
 * (bench/support/idp-worker.mts): their sessions, mailbox, requests and cookies are not the app's
 * heap (on a phone the system browser is another process too).
 */
import { setFlagsFromString, writeHeapSnapshot } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import { createActor, matchesState } from 'xstate';

import { createAuthMachine, stateToString } from '../src/app/auth/core/index';
import { createLogtoAuth, createMemoryStorage } from '../src/app/auth/logto/index';
import { nativeConfig } from '../test/adapter/harness.ts';
import { nativeShell, type Person, type PersonOutcome } from '../test/native-shell/shell.ts';
import { kB, projectRoot, writeRows, type BenchRow } from './support/results';

const WARM_UP = 10;

interface IdpWorker {
  readonly endpoint: string;
  readonly appId: string;
  /** The person in the system browser (in the worker): signs in, or walks away at `stopAt` and closes it. */
  person(email: string, stopAt?: 'email'): Person;
  stop(): Promise<void>;
}

async function startIdpWorker(): Promise<IdpWorker> {
  const worker = new Worker(`${projectRoot()}bench/support/idp-worker.mts`, {
    workerData: { codeLimits: { resendCooldownSeconds: 0, codesPerWindow: 100_000 } },
  });
  const { endpoint, appId } = await new Promise<{ endpoint: string; appId: string }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  const pending = new Map<number, { resolve(outcome: PersonOutcome): void; reject(error: Error): void }>();
  let next = 0;
  worker.on('message', (message: { id: number; outcome?: PersonOutcome; error?: string }) => {
    const visit = pending.get(message.id);
    pending.delete(message.id);
    if (message.outcome) visit?.resolve(message.outcome);
    else visit?.reject(new Error(`the person's browser failed: ${message.error}`));
  });
  return {
    endpoint,
    appId,
    person: (email, stopAt) => (url) =>
      new Promise<PersonOutcome>((resolve, reject) => {
        const id = ++next;
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, url, email, ...(stopAt ? { stopAt } : {}) });
      }),
    stop: async () => {
      worker.postMessage('stop');
      await new Promise((resolve) => worker.once('exit', resolve));
    },
  };
}

function heapAfterGc(): number {
  // npm run bench passes --expose-gc; under Jest the flag is set at run time.
  let gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

/** BENCH_HEAP_SNAPSHOTS=<dir>: heap snapshots after the warm-up and at the end, to see what grew (Chrome DevTools, Memory → Comparison). */
function snapshot(name: string): void {
  const dir = process.env['BENCH_HEAP_SNAPSHOTS'];
  if (dir) console.log(`heap snapshot: ${writeHeapSnapshot(`${dir}/leak-cycles-${name}.heapsnapshot`)}`);
}

export async function runLeakCycles(options: { cycles: number; warmUp?: number }): Promise<BenchRow[]> {
  const warmUp = options.warmUp ?? WARM_UP;
  const idp = await startIdpWorker();
  nativeShell.reset();
  nativeShell.use('android-url-first');
  const auth = createLogtoAuth(
    // The adapter tests' configuration (native redirect URIs, the three resources).
    nativeConfig(idp),
    { storage: createMemoryStorage(), log: () => undefined },
  );
  // Shorter than the app's 2 s so that 200 cancels take minutes, long enough that a loaded
  // machine's late deep link is not taken for a closed browser.
  const actor = createActor(
    createAuthMachine(auth.port, { timers: { browserClosedGrace: 500, resumeWindow: 500, redirectTimeout: 30_000 } }),
  );
  actor.start();
  const state = () => stateToString(actor.getSnapshot().value);
  const waitFor = (target: string, what: string) =>
    new Promise<void>((resolve, reject) => {
      if (matchesState(target, state())) return resolve();
      const timer = setTimeout(() => {
        subscription.unsubscribe();
        const error = actor.getSnapshot().context.error;
        reject(
          new Error(
            `leak-cycles bench: ${what}: expected "${target}", the machine is in "${state()}"${error ? ` (${error.kind}/${error.code})` : ''}`,
          ),
        );
      }, 15_000);
      const subscription = actor.subscribe(() => {
        if (!matchesState(target, state())) return;
        clearTimeout(timer);
        subscription.unsubscribe();
        resolve();
      });
    });

  const email = 'leak-cycles@example.com';
  const walkAway = idp.person(email, 'email');
  const signIn = idp.person(email);
  let heapAtWarmUp = 0;
  let maxListenerDrift = 0;
  try {
    await waitFor('idle', 'boot');
    const listenersAtStart = nativeShell.listenerCount();
    for (let cycle = 1; cycle <= options.cycles + warmUp; cycle++) {
      nativeShell.person = walkAway;
      actor.send({ type: 'SIGN_IN', options: { firstScreen: 'identifier:sign_in', identifiers: ['email'], loginHint: email } });
      await waitFor('error', `cycle ${cycle}, cancel`);
      nativeShell.person = signIn;
      actor.send({ type: 'RETRY' });
      await waitFor('authenticated', `cycle ${cycle}, retry`);
      actor.send({ type: 'SIGN_OUT' });
      await waitFor('idle', `cycle ${cycle}, sign-out`);
      maxListenerDrift = Math.max(maxListenerDrift, Math.abs(nativeShell.listenerCount() - listenersAtStart));
      // The shell's own record of visits is the test double's memory, not the app's.
      nativeShell.visits.length = 0;
      nativeShell.trace.length = 0;
      nativeShell.closeCalls.length = 0;
      if (cycle === warmUp) {
        heapAtWarmUp = heapAfterGc();
        snapshot('warm-up');
      }
    }
    const growth = heapAfterGc() - heapAtWarmUp;
    snapshot('end');
    const listenersAtEnd = nativeShell.listenerCount();
    return [
      {
        figure: `Capacitor listeners after ${options.cycles} sign-in → cancel → retry → sign-out cycles`,
        ours: `${listenersAtEnd} (start ${listenersAtStart}, largest drift after a cycle ${maxListenerDrift})`,
        baseline: '',
        ratio: '',
        target: `back to start: ${listenersAtEnd === listenersAtStart && maxListenerDrift === 0 ? 'met' : 'not met'}`,
      },
      {
        figure: `heap growth after GC over those ${options.cycles} cycles`,
        ours: kB(growth),
        baseline: '',
        ratio: '',
        target: `< 2 MB: ${growth < 2e6 ? 'met' : 'not met'}`,
      },
    ];
  } finally {
    actor.stop();
    auth.dispose();
    await idp.stop();
  }
}

if (process.argv[1]?.includes('leak-cycles')) {
  const rows = await runLeakCycles({ cycles: Number(process.env['BENCH_CYCLES'] ?? 200) });
  writeRows('leak-cycles', rows);
  for (const row of rows) console.log(`${row.figure}: ${row.ours}; ${row.target}`);
}
