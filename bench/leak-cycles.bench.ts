/**
 * No leaks over a long session of use: 200 cycles of sign-in → cancel (the person closes the
 * browser) → Retry → signed in → sign-out, on the full stack (XState machine → our adapter →
 * real @logto/capacitor SDK → simulated native shell → the real identity server over HTTP).
 * After every cycle the Capacitor listeners must be back to their count before the first one;
 * the heap (after GC) is compared between the end of 10 warm-up cycles and the end of all
 * cycles. The identity server runs in a worker thread (bench/support/idp-worker.mts), so its own
 * state is not counted in the app's heap.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import { createActor } from 'xstate';

import { HttpBrowser, mailboxCodeReader } from '../dev-idp/testing/http-browser.ts';
import { createAuthMachine, isInState, stateToString } from '../src/app/auth/core/index';
import { createLogtoAuth, createMemoryStorage } from '../src/app/auth/logto/index';
import { httpPerson } from '../test/native-shell/http-person.ts';
import { nativeShell } from '../test/native-shell/shell.ts';
import { kB, projectRoot, writeRows, type BenchRow } from './support/results';

const WARM_UP = 10;
const RESOURCES = ['https://api.bookstore.local', 'https://api.reviews.local', 'https://api.billing.local'];

async function startIdpWorker(): Promise<{ endpoint: string; appId: string; stop(): Promise<void> }> {
  const worker = new Worker(`${projectRoot()}bench/support/idp-worker.mts`, {
    workerData: { codeLimits: { resendCooldownSeconds: 0, codesPerHour: 100_000 } },
  });
  const { endpoint, appId } = await new Promise<{ endpoint: string; appId: string }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    endpoint,
    appId,
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

export async function runLeakCycles(options: { cycles: number; warmUp?: number }): Promise<BenchRow[]> {
  const warmUp = options.warmUp ?? WARM_UP;
  const idp = await startIdpWorker();
  nativeShell.reset();
  nativeShell.use('android-url-first');
  const auth = createLogtoAuth(
    {
      endpoint: idp.endpoint,
      appId: idp.appId,
      platform: 'native',
      redirectUri: 'com.example.app://callback',
      postSignOutRedirectUri: 'com.example.app://callback/sign-out',
      scopes: ['email', 'read:books'],
      resources: RESOURCES,
      storageNamespace: 'com.example.app',
    },
    { storage: createMemoryStorage(), log: () => undefined },
  );
  const actor = createActor(
    createAuthMachine(auth.port, { timers: { browserClosedGrace: 50, resumeWindow: 50, redirectTimeout: 30_000 } }),
  );
  actor.start();
  const state = () => stateToString(actor.getSnapshot().value);
  const waitFor = (target: string, what: string) =>
    new Promise<void>((resolve, reject) => {
      if (isInState(state(), target)) return resolve();
      const timer = setTimeout(() => {
        subscription.unsubscribe();
        reject(new Error(`leak-cycles bench: ${what}: expected "${target}", the machine is in "${state()}"`));
      }, 15_000);
      const subscription = actor.subscribe(() => {
        if (!isInState(state(), target)) return;
        clearTimeout(timer);
        subscription.unsubscribe();
        resolve();
      });
    });

  const email = 'leak-cycles@example.com';
  const readCode = mailboxCodeReader(idp.endpoint);
  const browser = new HttpBrowser();
  const walkAway = httpPerson(browser, { email, readCode, stopAt: 'email', afterStop: 'dismiss' });
  const signIn = httpPerson(browser, { email, readCode });
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
      if (cycle === warmUp) heapAtWarmUp = heapAfterGc();
    }
    const growth = heapAfterGc() - heapAtWarmUp;
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
