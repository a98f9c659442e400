import { matchesState } from 'xstate';

import { isUsableClaims } from './context';
import type { IdTokenClaims, SignInOptions } from './port';
import { startAuthHarness, type AuthHarness } from './testing/auth-harness';
import { TransitionCoverage } from './testing/coverage';
import { FakeAuthPort, fakeErrors } from './testing/fake-port';
import { DEFAULT_TIMERS, resolveMachineTimers, type AuthTimers } from './timers';
import { authMachine } from './auth-machine';
import { createAuthMachine } from './create-auth-machine';

/**
 * Seeded random walk with injected faults. Each sequence boots a machine on a FakeAuthPort,
 * then applies random user actions, platform signals (late, duplicate and foreign deep links,
 * browser closed at any moment, app resumes), faults (network failures, hanging effects,
 * rejecting closes), app kills (stop the actor, boot a new one from the port's storage) and
 * jumps of simulated time. Invariants are checked after every step; after the inputs stop,
 * every state must end within its own timer.
 *
 * 2,000 sequences normally; AUTH_SOAK=1 runs 10,000 (override with AUTH_SOAK_SEQUENCES).
 * A failure names its seed: AUTH_SOAK_SEED=<seed> AUTH_SOAK_SEQUENCES=1 replays exactly it.
 */

const SOAK = process.env['AUTH_SOAK'] === '1';
const SEQUENCES = Number(process.env['AUTH_SOAK_SEQUENCES'] ?? (SOAK ? 10_000 : 2_000));
const BASE_SEED = Number(process.env['AUTH_SOAK_SEED'] ?? 20_260_101);

/** mulberry32: tiny, fast, good enough to pick test inputs; same seed, same walk. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const USERS: IdTokenClaims[] = [
  { sub: 'user-a', email: 'alice@example.com' },
  { sub: 'user-b', email: 'bob@example.com' },
];
const SIGN_IN_OPTIONS: SignInOptions[] = [
  {},
  { firstScreen: 'identifier:sign_in', identifiers: ['email'], loginHint: 'alice@example.com' },
  { firstScreen: 'register' },
];
const TIME_JUMPS = [10, 150, 1_000, 1_999, 2_000, 2_500, 9_999, 15_000, 60_000, 14 * 60_000, 16 * 60_000];

class InvariantError extends Error {}

function check(condition: boolean, message: string): void {
  if (!condition) throw new InvariantError(message);
}

/** How long a state may last once nothing else happens (its own timer), ms. */
function boundOf(state: string, timers: AuthTimers): number {
  if (matchesState('signingIn.redirecting.closing', state)) return timers.browserClosedGrace;
  if (matchesState('signingIn.redirecting.resumed', state)) return timers.resumeWindow;
  if (matchesState('signingIn.redirecting', state)) return timers.redirectTimeout;
  if (matchesState('signingIn.callback', state)) return timers.codeExchangeTimeout;
  if (matchesState('signingOut', state)) return timers.signOutTimeout;
  return 0;
}

const SETTLED = ['idle', 'authenticated', 'error'];

interface Totals {
  sequences: number;
  steps: number;
  kills: number;
}

async function runSequence(seed: number, coverage: TransitionCoverage, totals: Totals): Promise<void> {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const chance = (p: number) => random() < p;
  const log: string[] = [];

  const port = new FakeAuthPort({
    session: chance(0.4) ? pick(USERS) : null,
    nextClaims: pick(USERS),
    signOutAwaitsBrowser: chance(0.5),
  });
  if (chance(0.15)) {
    // The app died during a sign-in before this run; maybe the user finished meanwhile.
    await port.startSignIn(pick(SIGN_IN_OPTIONS));
    port.relaunch({ withCallback: chance(0.5) });
  }
  const timers: Partial<AuthTimers> = chance(0.3)
    ? {
        browserClosedGrace: pick([100, 2_000, 5_000]),
        resumeWindow: pick([100, 2_000, 5_000]),
        codeExchangeTimeout: pick([1_000, 15_000]),
        signOutTimeout: pick([500, 10_000]),
      }
    : {};

  const machine = createAuthMachine(port, { timers });
  let h: AuthHarness;
  let unsubscribe: () => void = () => undefined;
  /** Claims of the session a re-sign-in started from, while that sign-in is unresolved. */
  let protectedSession: IdTokenClaims | null = null;
  let lastRef: string | null = null;

  const fail = (error: unknown): never => {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Soak sequence failed (seed ${seed}; replay: AUTH_SOAK_SEED=${seed} AUTH_SOAK_SEQUENCES=1): ${message}\n` +
        `state: ${h ? h.state() : '?'}\nsteps:\n  ${log.join('\n  ')}`,
    );
  };

  const boot = async () => {
    // Sometimes storage is slow: events then arrive while booting.
    if (chance(0.1)) port.hold('restore');
    h = await startAuthHarness({ port, machine, inspect: coverage.inspect });
    // Invariants on every snapshot the actor emits, not only between steps.
    const subscription = h.actor.subscribe((snapshot) => {
      try {
        const state = h.state();
        check(snapshot.status === 'active', `actor status ${snapshot.status}`);
        if (state === 'authenticated') check(isUsableClaims(snapshot.context.claims), 'authenticated without claims');
        if (state === 'error') check(snapshot.context.error !== null, 'error state without an error');
        // A re-sign-in that did not finish returns to the kept session (its person is still signed in), never to an error or sign-in screen.
        if (state === 'authenticated' && snapshot.context.error?.kind === 'cancelled' && protectedSession) {
          check(
            JSON.stringify(snapshot.context.claims) === JSON.stringify(protectedSession),
            'a cancelled re-sign-in did not return to the kept session',
          );
        }
        if (state === 'error' && snapshot.context.error?.kind === 'cancelled' && protectedSession) {
          check(
            JSON.stringify(snapshot.context.claims) === JSON.stringify(protectedSession),
            'a cancelled re-sign-in lost the existing session (context)',
          );
          check(port.storage.session !== null, 'a cancelled re-sign-in lost the existing session (storage)');
        }
      } catch (error) {
        fail(error);
      }
    });
    unsubscribe = () => subscription.unsubscribe();
    check(port.listenerCount === 1, `expected one platform listener, found ${port.listenerCount}`);
  };

  const stop = () => {
    unsubscribe();
    h.stop();
    check(port.listenerCount === 0, `leaked platform listeners: ${port.listenerCount}`);
  };

  try {
    await boot();
    const steps = 8 + Math.floor(random() * 25);
    for (let i = 0; i < steps; i++) {
      const before = h!.state();
      const r = random();
      let action: string;
      if (r < 0.12) {
        const options = pick(SIGN_IN_OPTIONS);
        action = 'SIGN_IN';
        if (before === 'authenticated') protectedSession = h!.context().claims;
        port.nextClaims = pick(USERS);
        await h!.send({ type: 'SIGN_IN', options });
      } else if (r < 0.17) {
        action = 'SIGN_OUT';
        await h!.send({ type: 'SIGN_OUT', options: { endSession: chance(0.7) } });
      } else if (r < 0.24) {
        action = 'RETRY';
        await h!.send({ type: 'RETRY' });
      } else if (r < 0.3) {
        action = 'DISMISS';
        await h!.send({ type: 'DISMISS' });
      } else if (r < 0.34) {
        action = 'CANCEL';
        await h!.send({ type: 'CANCEL' });
      } else if (r < 0.45) {
        action = 'deep link (user finished in browser)';
        lastRef = port.completeBrowserSignIn() ?? lastRef;
      } else if (r < 0.49) {
        action = `duplicate/late deep link ${lastRef ?? 'cb-0'}`;
        port.emit({ type: 'CALLBACK_RECEIVED', callback: lastRef ?? 'cb-0' });
      } else if (r < 0.51) {
        action = 'foreign callback ref';
        port.emit({ type: 'CALLBACK_RECEIVED', callback: `cb-foreign-${Math.floor(random() * 5)}` });
      } else if (r < 0.59) {
        action = 'BROWSER_CLOSED';
        port.emit({ type: 'BROWSER_CLOSED' });
      } else if (r < 0.65) {
        action = 'APP_RESUMED';
        port.emit({ type: 'APP_RESUMED' });
      } else if (r < 0.68) {
        action = 'SIGN_OUT_CALLBACK_RECEIVED';
        port.emit({ type: 'SIGN_OUT_CALLBACK_RECEIVED' });
      } else if (r < 0.71) {
        // The token layer ended the session, or another tab signed out / signed in (web).
        const news = pick(['session expired', 'signed out in another tab', 'signed in in another tab'] as const);
        action = news;
        protectedSession = null;
        if (news === 'session expired') port.expireSession();
        else if (news === 'signed out in another tab') port.emit({ type: 'SIGNED_OUT_ELSEWHERE' });
        else port.emit({ type: 'SESSION_ADOPTED', claims: pick(USERS) });
      } else if (r < 0.8) {
        const fault = pick([
          'completeSignIn network',
          'completeSignIn server',
          'completeSignIn hangs',
          'completeSignIn answers without claims',
          'startSignIn fails',
          'startSignIn hangs',
          'signOut fails',
          'signOut hangs',
          'closeBrowser rejects',
          'restore fails',
          'release hung effects',
        ] as const);
        action = `fault: ${fault}`;
        switch (fault) {
          case 'completeSignIn network':
            port.failNext('completeSignIn', fakeErrors.network());
            break;
          case 'completeSignIn server':
            port.failNext('completeSignIn', fakeErrors.server());
            break;
          case 'completeSignIn answers without claims':
            port.resolveNext('completeSignIn', { name: 'no subject' });
            break;
          case 'completeSignIn hangs':
            port.hold('completeSignIn');
            break;
          case 'startSignIn fails':
            port.failNext('startSignIn', pick([fakeErrors.network('redirect'), fakeErrors.userCancelled()]));
            break;
          case 'startSignIn hangs':
            port.hold('startSignIn');
            break;
          case 'signOut fails':
            port.failNext('signOut', fakeErrors.network('signOut'));
            break;
          case 'signOut hangs':
            port.hold('signOut');
            break;
          case 'closeBrowser rejects':
            port.failNext('closeBrowser', new Error('No active window to close!'), 3);
            break;
          case 'restore fails':
            port.failNext('restore', new Error('storage unavailable'));
            break;
          case 'release hung effects':
            for (const method of ['restore', 'completeSignIn', 'startSignIn', 'signOut'] as const) {
              port.release(method);
              if (!port.heldCount(method)) continue;
              // A late settlement of an abandoned or current call: healthy or failed.
              if (chance(0.75) || method === 'restore') port.resolveHeld(method);
              else port.rejectHeld(method, fakeErrors.network());
            }
            break;
        }
        await h!.settle();
      } else if (r < 0.95) {
        const ms = pick(TIME_JUMPS);
        action = `+${ms}ms`;
        await h!.advance(ms);
      } else {
        const withCallback = chance(0.5);
        action = `app killed (relaunch ${withCallback ? 'with' : 'without'} callback)`;
        stop();
        port.kill();
        port.release('restore').release('completeSignIn').release('startSignIn').release('signOut');
        port.relaunch({ withCallback });
        protectedSession = null;
        totals.kills++;
        await boot();
      }
      await h!.settle();
      const after = h!.state();
      // A re-sign-in is resolved once the machine settles anywhere but its error state.
      if (after === 'authenticated' || after === 'idle' || matchesState('signingOut', after)) protectedSession = null;
      log.push(`${action}: ${before} -> ${after}`);

      totals.steps++;
    }

    // Inputs stop. A held restore is let finish (restoreTimeout would otherwise end booting in idle).
    if (port.release('restore').heldCount('restore')) port.resolveHeld('restore');
    await h!.settle();
    // Each state must end within its own timer (one jump, no help from outside).
    const state = h!.state();
    const bound = boundOf(state, resolveMachineTimers(DEFAULT_TIMERS, timers));
    await h!.advance(bound);
    check(SETTLED.includes(h!.state()), `${state} did not settle within ${bound} ms (now ${h!.state()})`);
    await h!.advance(DEFAULT_TIMERS.redirectTimeout);
    check(SETTLED.includes(h!.state()), `left a settled state with no input (now ${h!.state()})`);
    stop();
    totals.sequences++;
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('Soak sequence failed')) throw error;
    fail(error);
  }
}

describe('random walk with injected faults', () => {
  jest.setTimeout(SOAK ? 600_000 : 60_000);

  it(`${SEQUENCES} seeded sequences keep every invariant`, async () => {
    const coverage = new TransitionCoverage();
    const totals: Totals = { sequences: 0, steps: 0, kills: 0 };
    for (let i = 0; i < SEQUENCES; i++) await runSequence(BASE_SEED + i, coverage, totals);

    expect(totals.sequences).toBe(SEQUENCES);
    // The walk must actually reach the whole machine, or its invariants prove little.
    expect(coverage.missingStates(authMachine)).toEqual([]);
    expect(coverage.missingTransitions(authMachine)).toEqual([]);
    console.log(
      `[auth soak] ${totals.sequences} sequences, ${totals.steps} steps, ${totals.kills} app kills, ` +
        `${coverage.total} transitions exercised (${coverage.taken.size} distinct)`,
    );
  });
});
