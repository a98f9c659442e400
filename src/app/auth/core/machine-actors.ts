import { fromCallback, fromPromise } from 'xstate';

import type { AuthEvent } from './events';
import type { CallbackRef, IdTokenClaims, RestoreResult, SignInOptions, SignOutOptions, SignOutStarted } from './port';

/** Ids of the invoked actors (they name the done/error events: `xstate.done.actor.restore`). */
export const AUTH_ACTOR_IDS = Object.freeze({
  restore: 'restore',
  startSignIn: 'startSignIn',
  completeSignIn: 'completeSignIn',
  signOut: 'signOut',
  platformEvents: 'platformEvents',
} as const);

function notProvided(name: string): never {
  throw new Error(`Auth machine: the "${name}" effect is not provided. Build the machine with createAuthMachine(port).`);
}

/**
 * Placeholders: the bare `authMachine` can be inspected, drawn and traversed, but its effects
 * reject until `createAuthMachine(port)` provides real ones.
 */
export const placeholderActors = {
  restore: fromPromise<RestoreResult>(async () => notProvided('restore')),
  startSignIn: fromPromise<void, SignInOptions>(async () => notProvided('startSignIn')),
  completeSignIn: fromPromise<IdTokenClaims, CallbackRef>(async () => notProvided('completeSignIn')),
  signOut: fromPromise<SignOutStarted, SignOutOptions>(async () => notProvided('signOut')),
  platformEvents: fromCallback<AuthEvent>(() => () => undefined),
};
