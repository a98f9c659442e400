import type { StateValue } from 'xstate';

/**
 * The dotted form of a state value: `idle`, `signingIn.redirecting.waiting`.
 * This is what `data-auth-state` shows. To ask whether the machine is in a state, use
 * `snapshot.matches('signingIn.callback')`, or xstate's `matchesState` for a recorded dotted string.
 * (Parallel regions, which this machine has none of, would be joined with a comma.)
 */
export function stateToString(value: StateValue): string {
  if (typeof value === 'string') return value;
  return Object.entries(value)
    .map(([key, child]) => (child === undefined ? key : `${key}.${stateToString(child)}`))
    .join(',');
}
