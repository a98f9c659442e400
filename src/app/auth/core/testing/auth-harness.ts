import { createActor, SimulatedClock, type Actor, type InspectionEvent } from 'xstate';

import type { AuthMachine } from '../auth-machine';
import type { AuthContext } from '../context';
import { createAuthMachine } from '../create-auth-machine';
import type { AuthEvent } from '../events';
import { stateToString } from '../state-string';
import type { AuthTimers } from '../timers';
import { FakeAuthPort } from './fake-port';

/**
 * A running auth machine on a FakeAuthPort and XState's SimulatedClock: timers only move when
 * the test calls `advance(ms)`, and every helper lets pending promises settle before returning.
 */
export interface AuthHarness {
  readonly port: FakeAuthPort;
  readonly clock: SimulatedClock;
  readonly actor: Actor<AuthMachine>;
  /** Dotted state, e.g. `signingIn.redirecting.waiting`. */
  state(): string;
  context(): AuthContext;
  send(event: AuthEvent): Promise<void>;
  /** Move simulated time forward (firing due timers in order) and let effects settle. */
  advance(ms: number): Promise<void>;
  settle(): Promise<void>;
  stop(): void;
}

/** Let promise chains (port → fromPromise → machine) run to completion. */
export async function flushMicrotasks(rounds = 12): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}

export interface StartAuthHarnessOptions {
  readonly port?: FakeAuthPort;
  /** Delays other than the defaults; ignored when `machine` is given (build it with them). */
  readonly timers?: Partial<AuthTimers>;
  readonly inspect?: (event: InspectionEvent) => void;
  readonly clock?: SimulatedClock;
  /** A machine already built with `createAuthMachine(port)` (saves rebuilding it per boot). */
  readonly machine?: AuthMachine;
}

export async function startAuthHarness(options: StartAuthHarnessOptions = {}): Promise<AuthHarness> {
  const port = options.port ?? new FakeAuthPort();
  const clock = options.clock ?? new SimulatedClock();
  const actor = createActor(options.machine ?? createAuthMachine(port, { timers: options.timers }), {
    clock,
    ...(options.inspect ? { inspect: options.inspect } : {}),
  });
  actor.start();
  await flushMicrotasks();
  return {
    port,
    clock,
    actor,
    state: () => stateToString(actor.getSnapshot().value),
    context: () => actor.getSnapshot().context,
    send: async (event) => {
      actor.send(event);
      await flushMicrotasks();
    },
    advance: async (ms) => {
      // One increment fires every due timer in order. That is exact for this machine: every
      // timed transition ends in `error` or `idle`, which start no effect and no timer.
      clock.increment(ms);
      await flushMicrotasks();
    },
    settle: () => flushMicrotasks(),
    stop: () => actor.stop(),
  };
}
