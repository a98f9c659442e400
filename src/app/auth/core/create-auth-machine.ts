import { fromCallback, fromPromise } from 'xstate';

import { authMachine, type AuthMachine } from './auth-machine';
import { toMachineEvent, type AuthEvent } from './events';
import type { AuthPort, CallbackRef, IdTokenClaims, RestoreResult, SignInOptions, SignOutOptions, SignOutStarted } from './port';
import { DEFAULT_TIMERS, resolveMachineTimers, type AuthTimers } from './timers';

export interface CreateAuthMachineOptions {
  /** Delays that differ from DEFAULT_TIMERS (tests shorten them); provided with `.provide({ delays })`. */
  readonly timers?: Partial<AuthTimers>;
}

/** Run a best-effort effect: neither a rejection nor a synchronous throw may reach the machine. */
function bestEffort(effect: () => Promise<unknown>): void {
  try {
    effect().catch(() => undefined);
  } catch {
    // A port that throws synchronously is as ignorable as one that rejects.
  }
}

/**
 * The auth machine wired to a port: the port's methods become the machine's actors and
 * actions, and configured timers its delays. Usage:
 *
 *   const actor = createActor(createAuthMachine(port, { timers }), { inspect });
 *   actor.start();
 */
export function createAuthMachine(port: AuthPort, options: CreateAuthMachineOptions = {}): AuthMachine {
  return authMachine.provide({
    delays: { ...resolveMachineTimers(DEFAULT_TIMERS, options.timers) },
    actors: {
      restore: fromPromise<RestoreResult>(() => port.restore()),
      // XState aborts `signal` when the state that invoked it is left (CANCEL, a timeout).
      startSignIn: fromPromise<void, SignInOptions>(({ input, signal }) => port.startSignIn(input, signal)),
      completeSignIn: fromPromise<IdTokenClaims, CallbackRef>(({ input }) => port.completeSignIn(input)),
      signOut: fromPromise<SignOutStarted, SignOutOptions>(({ input }) => port.signOut(input)),
      // Invoked at the root: subscribed from start to stop, unsubscribed when the actor stops.
      platformEvents: fromCallback<AuthEvent>(({ sendBack }) => {
        const unsubscribe = port.subscribe((event) => {
          const machineEvent = toMachineEvent(event);
          if (machineEvent) sendBack(machineEvent);
        });
        return () => unsubscribe();
      }),
    },
    actions: {
      closeBrowser: () => bestEffort(() => port.closeBrowser()),
      discardPendingSignIn: () => bestEffort(() => port.discardPendingSignIn()),
    },
  });
}
