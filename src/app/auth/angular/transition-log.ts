import type { InspectionEvent, StateValue } from 'xstate';

import type { AuthContext } from '../core';
import { stateToString } from '../core';

/**
 * A console line per transition of the root actor: `[auth] SIGN_IN: idle → signingIn.redirecting.waiting`,
 * plus the error kind when one is set. Event types only, never payloads (options, claims, refs).
 */
export function createTransitionLog(write: (line: string) => void): (event: InspectionEvent) => void {
  let previous: { state: string; errorKind: string | undefined } | undefined;
  return (event) => {
    if (event.type !== '@xstate.snapshot' || event.actorRef.sessionId !== event.rootId) return;
    const snapshot = event.snapshot as { value?: StateValue; context?: Partial<AuthContext> };
    if (snapshot.value === undefined) return;
    const state = stateToString(snapshot.value);
    const errorKind = snapshot.context?.error?.kind;
    if (previous && previous.state === state && previous.errorKind === errorKind) return;
    write(`[auth] ${event.event.type}: ${previous?.state ?? '(start)'} → ${state}${errorKind ? ` (error: ${errorKind})` : ''}`);
    previous = { state, errorKind };
  };
}
