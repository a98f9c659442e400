import type { StateValue } from 'xstate';

/**
 * The dotted form of a state value: `idle`, `signingIn.redirecting.waiting`.
 * This is what `data-auth-state` shows; match with `s === name || s.startsWith(name + '.')`.
 * (Parallel regions, which this machine has none of, would be joined with a comma.)
 */
export function stateToString(value: StateValue): string {
  if (typeof value === 'string') return value;
  return Object.entries(value)
    .map(([key, child]) => (child === undefined ? key : `${key}.${stateToString(child)}`))
    .join(',');
}

/** True when `state` (dotted) is `name` or a sub-state of it. */
export function isInState(state: string, name: string): boolean {
  return state === name || state.startsWith(`${name}.`);
}
