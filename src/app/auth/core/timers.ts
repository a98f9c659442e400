/**
 * The machine's timers (milliseconds). Every wait in the machine is bounded by one of these,
 * so no state waits forever for a signal the platform may never send.
 * Why each default is what it is: docs/auth-machine.md.
 */
export interface AuthTimers {
  /** Reading the stored session at boot (storage only, no network). */
  readonly restoreTimeout: number;
  /** After the browser reports closed/finished: how long a late deep link may still arrive. */
  readonly browserClosedGrace: number;
  /** After the app came back to the foreground while the browser was open: same idea. */
  readonly resumeWindow: number;
  /** The whole browser step (user reading an email code included). */
  readonly redirectTimeout: number;
  /** The code exchange (token request + ID-token check). */
  readonly codeExchangeTimeout: number;
  /** Waiting for the end-session page to come back (or the port's sign-out to settle). */
  readonly signOutTimeout: number;
}

export const DEFAULT_TIMERS: AuthTimers = Object.freeze({
  // A Keychain/Keystore read takes milliseconds; one that never answers must not hold the app
  // on a spinner. 10 s, then idle: the user can sign in, and the next launch restores again.
  restoreTimeout: 10_000,
  // Android can deliver `browserFinished` before `appUrlOpen`; the SDK's 150 ms loses real
  // deep links on slow devices (logto-io/js#1047). 2 s covers a cold activity restart.
  browserClosedGrace: 2_000,
  resumeWindow: 2_000,
  // Longer than the 10-minute life of an email one-time code, so the code expires first.
  redirectTimeout: 15 * 60_000,
  codeExchangeTimeout: 15_000,
  signOutTimeout: 10_000,
});

const TIMER_NAMES = Object.freeze(Object.keys(DEFAULT_TIMERS)) as readonly (keyof AuthTimers)[];

/**
 * Merge overrides onto a base, refusing values that would make a wait unbounded or negative.
 * A misconfigured timer is a programming error: fail loudly at construction.
 */
export function resolveMachineTimers(base: AuthTimers, overrides?: Partial<AuthTimers>): AuthTimers {
  const resolved: Record<keyof AuthTimers, number> = { ...base };
  for (const name of TIMER_NAMES) {
    const value = overrides?.[name];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new RangeError(`Auth timer "${name}" must be a finite number of milliseconds >= 0, got ${String(value)}.`);
    }
    resolved[name] = value;
  }
  return Object.freeze(resolved);
}
