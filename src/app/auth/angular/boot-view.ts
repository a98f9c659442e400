import type { SnapshotFrom, StateValue } from 'xstate';

import type { AuthMachine } from '../core/auth-machine';
import { type AuthContext, initialAuthContext, isUsableClaims } from '../core/context';
import type { RestoreResult } from '../core/port';
import type { AuthTag } from '../core/tags';

/** A state of the machine as `snapshot.matches` takes it: `'idle'`, `{ signingIn: 'callback' }`. */
export type AuthStateMatch = Parameters<SnapshotFrom<AuthMachine>['matches']>[0];

/** What the binding reads of a machine snapshot: its state, its context, its tags. */
export interface AuthView {
  readonly value: StateValue;
  readonly context: AuthContext;
  hasTag(tag: AuthTag): boolean;
  matches(state: AuthStateMatch): boolean;
}

/**
 * The machine before it has run: its initial state (`booting`: busy, not settled), so nothing is
 * drawn as decided. boot-view.spec.ts compares it with the machine's own initial snapshot.
 */
export const BOOTING_VIEW: AuthView = {
  value: 'booting',
  context: initialAuthContext(),
  hasTag: (tag) => tag === 'busy' || tag === 'unsettled',
  // Both early views are one top-level state: no nested value to match against.
  matches: (state) => state === 'booting',
};

/**
 * Where the machine's restore goes with `result` when the answer leaves it one way to go: a stored
 * session with nothing in flight (no launch callback, no pending sign-in) → `authenticated` with
 * those claims. Null for every other answer: the machine itself must run to decide those.
 *
 * Lets the first screen be drawn from the storage-only boot answer before XState and the machine
 * have loaded; the machine then starts and its restore takes the very same answer (the boot read
 * is asked once), so it arrives where this view already is. boot-view.spec.ts runs the real
 * machine over such answers and compares state, context and tags with this view.
 */
export function restoredView(result: RestoreResult): AuthView | null {
  if (result.launchCallback !== null || result.pendingSignIn || !isUsableClaims(result.claims)) return null;
  return {
    value: 'authenticated',
    context: { claims: result.claims, error: null, pendingSignIn: null, callback: null },
    hasTag: () => false,
    matches: (state) => state === 'authenticated',
  };
}
