import { createActor, type InspectionEvent, waitFor } from 'xstate';

import { type AuthPort, type AuthTimers, createAuthMachine } from '../core';

/**
 * The auth machine's actor, with XState itself: loaded by AuthService after the first screen
 * when storage alone answered the launch, at once otherwise (auth-service.ts says when). Its own
 * chunk so XState and the machine (≈ 68 kB raw) stay out of the initial bundle.
 */
export function createAuthActor(port: AuthPort, timers: Partial<AuthTimers> | undefined, inspect: (event: InspectionEvent) => void) {
  return createActor(createAuthMachine(port, { timers }), { inspect });
}

export type AuthActor = ReturnType<typeof createAuthActor>;
export type AuthSnapshot = ReturnType<AuthActor['getSnapshot']>;

/** Resolves once the actor has left every state tagged `unsettled` (or stopped). */
export async function whenActorSettled(actor: AuthActor): Promise<void> {
  await waitFor(actor, (snapshot) => !snapshot.hasTag('unsettled') || snapshot.status !== 'active');
}
