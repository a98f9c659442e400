/**
 * Wrong passwords count per email address with the same limits as wrong codes
 * (verification-codes.ts CodeLimits: 10 wrong per hour, then a lockout), so a password is no
 * easier to guess than a code.
 */
export interface PasswordLimits {
  readonly wrongCodesPerHour: number;
  readonly lockoutSeconds: number;
}

export type PasswordAttempt =
  { readonly status: 'locked'; readonly until: number; readonly secondsLeft: number } | { readonly status: 'open' };

const hourMs = 60 * 60 * 1000;

export class PasswordAttempts {
  readonly #limits: PasswordLimits;
  readonly #now: () => number;
  readonly #records = new Map<string, { wrong: number[]; lockedUntil: number }>();

  constructor(limits: PasswordLimits, now: () => number = Date.now) {
    this.#limits = limits;
    this.#now = now;
  }

  state(email: string): PasswordAttempt {
    const now = this.#now();
    const lockedUntil = this.#records.get(email)?.lockedUntil ?? 0;
    return lockedUntil > now
      ? { status: 'locked', until: lockedUntil, secondsLeft: Math.ceil((lockedUntil - now) / 1000) }
      : { status: 'open' };
  }

  /** Counts a wrong password; returns how many are left this hour, and the lockout when none are. */
  wrong(email: string): { readonly attemptsLeft: number; readonly locked?: { readonly until: number; readonly secondsLeft: number } } {
    const now = this.#now();
    const record = this.#records.get(email) ?? { wrong: [], lockedUntil: 0 };
    record.wrong = [...record.wrong.filter((at) => now - at < hourMs), now];
    this.#records.set(email, record);
    const attemptsLeft = Math.max(0, this.#limits.wrongCodesPerHour - record.wrong.length);
    if (attemptsLeft > 0) return { attemptsLeft };
    record.lockedUntil = now + this.#limits.lockoutSeconds * 1000;
    return { attemptsLeft: 0, locked: { until: record.lockedUntil, secondsLeft: this.#limits.lockoutSeconds } };
  }

  /** The right password: earlier typos no longer count (as with codes). */
  succeeded(email: string): void {
    this.#records.delete(email);
  }
}
