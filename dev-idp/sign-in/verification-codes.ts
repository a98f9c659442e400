import { randomInt, timingSafeEqual } from 'node:crypto';
import type { UsageType } from '../mail/types.ts';

/** A code sent for one sign-in interaction (Logto: 6 digits, 10 minutes, 10 attempts). */
export interface PendingCode {
  readonly email: string;
  readonly usageType: UsageType;
  /** The page the person started from, to go back to for "use a different email". */
  readonly flowPath: string;
  /**
   * No email was sent for it: a password reset for an address without an account (as Logto, the
   * page shows the code step all the same so it does not tell who has an account).
   */
  readonly withheld?: boolean;
  readonly code: string;
  readonly sentAt: number;
  readonly expiresAt: number;
  readonly attempts: number;
}

/**
 * Limits per email address, across interactions. A code belongs to one interaction, but the
 * wrong attempts and the sending budget belong to the address: starting a new authorization
 * request, or typing a decoy address in between, must not buy new guesses.
 *
 * Against Logto 1.42 (docs/logto-differences.md): the sending budget is Logto's (its message
 * rate guard: 10 codes per recipient per 10 minutes, then 429); there is no waiting time between
 * codes across sign-ins (Logto has none: a new sign-in mails a new code at once); the 60 s
 * countdown belongs to one sign-in's code page, as on Logto's page. The wrong-code budget is
 * stricter than Logto's sentinel (100 failures per identifier per hour, then 60 minutes): 10 per
 * hour, then 10 minutes, which a person mistyping never reaches and which gives a guesser a
 * tenth of the chances.
 */
export interface CodeLimits {
  /** Wrong codes per address within an hour before the address is refused. */
  readonly wrongCodesPerHour: number;
  /** How long an address is refused once it used up its wrong codes, in seconds. */
  readonly lockoutSeconds: number;
  /** Codes mailed to one address within `sendWindowSeconds` (Logto: 10). */
  readonly codesPerWindow: number;
  /** The window of `codesPerWindow`, in seconds (Logto: 600). */
  readonly sendWindowSeconds: number;
  /**
   * The code page's countdown before "Send a new code" (Logto's page: 60 s), within one
   * interaction only: a new sign-in for the same address gets a code at once.
   */
  readonly resendCooldownSeconds: number;
}

export const defaultCodeLimits: CodeLimits = {
  wrongCodesPerHour: 10,
  lockoutSeconds: 600,
  codesPerWindow: 10,
  sendWindowSeconds: 600,
  resendCooldownSeconds: 60,
};

export type CodeCheck =
  | { readonly status: 'ok'; readonly pending: PendingCode }
  | { readonly status: 'wrong'; readonly attemptsLeft: number; readonly locked?: { readonly until: number; readonly secondsLeft: number } }
  | { readonly status: 'expired' }
  | { readonly status: 'exhausted' }
  | { readonly status: 'locked'; readonly until: number; readonly secondsLeft: number }
  | { readonly status: 'missing' };

/** Why no code may be mailed to an address right now, and until when. */
export type SendRefusal =
  | { readonly reason: 'locked'; readonly until: number; readonly secondsLeft: number }
  | { readonly reason: 'quota'; readonly until: number; readonly secondsLeft: number };

export interface VerificationCodeOptions extends Partial<CodeLimits> {
  readonly ttlSeconds: number;
  /** Attempts on one code (Logto: 10); the address's hourly budget applies on top. */
  readonly maxAttempts: number;
  readonly now?: () => number;
  readonly generate?: () => string;
}

interface AddressRecord {
  /** When codes were mailed (reserved) within the send window. */
  sends: number[];
  /** When wrong codes were entered within the last hour. */
  wrong: number[];
  lockedUntil: number;
}

const hourMs = 60 * 60 * 1000;
const forgetAfterMs = hourMs;

export function randomSixDigitCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** Codes by interaction id, limits by address. Pure state: sending the email is the caller's job. */
export class VerificationCodes {
  readonly #pending = new Map<string, PendingCode>();
  readonly #addresses = new Map<string, AddressRecord>();
  readonly #options: Required<VerificationCodeOptions>;

  constructor(options: VerificationCodeOptions) {
    this.#options = { now: Date.now, generate: randomSixDigitCode, ...defaultCodeLimits, ...definedOnly(options), ...required(options) };
  }

  get(interactionId: string): PendingCode | undefined {
    return this.#pending.get(interactionId);
  }

  /** Seconds left on this interaction's code-page countdown before "Send a new code"; 0 = now. */
  resendIn(interactionId: string): number {
    const pending = this.#pending.get(interactionId);
    if (!pending) {
      return 0;
    }
    return secondsUntil(pending.sentAt + this.#options.resendCooldownSeconds * 1000, this.#options.now());
  }

  /** Undefined when a code may be mailed to `email` now; otherwise why not and until when. */
  sendRefusal(email: string): SendRefusal | undefined {
    const now = this.#options.now();
    const record = this.#record(email, now);
    if (!record) {
      return undefined;
    }
    if (record.lockedUntil > now) {
      return { reason: 'locked', until: record.lockedUntil, secondsLeft: secondsUntil(record.lockedUntil, now) };
    }
    if (record.sends.length >= this.#options.codesPerWindow) {
      const until = record.sends[record.sends.length - this.#options.codesPerWindow]! + this.#sendWindowMs;
      return { reason: 'quota', until, secondsLeft: secondsUntil(until, now) };
    }
    return undefined;
  }

  /**
   * A new code for the interaction, counted against the address's budget at once (before the
   * email goes out, so two requests at the same moment cannot both pass the check). The caller
   * asks `sendRefusal` first. It replaces the interaction's previous code; the address's wrong
   * attempts are never reset by it.
   */
  issue(interactionId: string, request: { email: string; usageType: UsageType; flowPath: string; withheld?: boolean }): PendingCode {
    const now = this.#options.now();
    this.#prune(now);
    const pending: PendingCode = {
      ...request,
      code: this.#options.generate(),
      sentAt: now,
      expiresAt: now + this.#options.ttlSeconds * 1000,
      attempts: 0,
    };
    this.#pending.set(interactionId, pending);
    this.#ensureRecord(request.email).sends.push(now);
    return pending;
  }

  /**
   * The 11th try on one code is refused even with the right code (the code is spent, as in
   * Logto); the address's 10th wrong code within an hour refuses the address for the lockout.
   */
  check(interactionId: string, input: string): CodeCheck {
    const pending = this.#pending.get(interactionId);
    if (!pending) {
      return { status: 'missing' };
    }
    const now = this.#options.now();
    const record = this.#ensureRecord(pending.email);
    this.#trim(record, now);
    if (record.lockedUntil > now) {
      return { status: 'locked', until: record.lockedUntil, secondsLeft: secondsUntil(record.lockedUntil, now) };
    }
    if (now >= pending.expiresAt) {
      return { status: 'expired' };
    }
    if (pending.attempts >= this.#options.maxAttempts) {
      return { status: 'exhausted' };
    }
    const attempts = pending.attempts + 1;
    this.#pending.set(interactionId, { ...pending, attempts });
    if (!sameCode(input, pending.code)) {
      record.wrong.push(now);
      const addressLeft = Math.max(0, this.#options.wrongCodesPerHour - record.wrong.length);
      if (addressLeft === 0) {
        // Past the budget, every further wrong code (after a lockout) locks again at once.
        record.lockedUntil = now + this.#options.lockoutSeconds * 1000;
        return { status: 'wrong', attemptsLeft: 0, locked: { until: record.lockedUntil, secondsLeft: this.#options.lockoutSeconds } };
      }
      return { status: 'wrong', attemptsLeft: Math.min(this.#options.maxAttempts - attempts, addressLeft) };
    }
    this.#pending.delete(interactionId);
    // The owner of the inbox proved it: their earlier typos no longer count.
    record.wrong = [];
    return { status: 'ok', pending };
  }

  /**
   * Puts back the code a failed delivery was meant to replace (the person still has it), and
   * gives the failed send back to the address's budget: nothing reached the inbox.
   */
  restore(interactionId: string, previous: PendingCode | undefined, failed?: PendingCode): void {
    if (previous) {
      this.#pending.set(interactionId, previous);
    } else {
      this.#pending.delete(interactionId);
    }
    if (failed) {
      const sends = this.#addresses.get(failed.email)?.sends;
      const index = sends?.lastIndexOf(failed.sentAt) ?? -1;
      if (sends && index >= 0) {
        sends.splice(index, 1);
      }
    }
  }

  #record(email: string, now: number): AddressRecord | undefined {
    const record = this.#addresses.get(email);
    if (record) {
      this.#trim(record, now);
    }
    return record;
  }

  #ensureRecord(email: string): AddressRecord {
    let record = this.#addresses.get(email);
    if (!record) {
      record = { sends: [], wrong: [], lockedUntil: 0 };
      this.#addresses.set(email, record);
    }
    return record;
  }

  get #sendWindowMs(): number {
    return this.#options.sendWindowSeconds * 1000;
  }

  #trim(record: AddressRecord, now: number): void {
    record.sends = record.sends.filter((at) => now - at < this.#sendWindowMs);
    record.wrong = record.wrong.filter((at) => now - at < hourMs);
  }

  // Forget abandoned codes, but long after expiry, so a late submit still hears "expired";
  // forget addresses once nothing of theirs counts any more.
  #prune(now: number): void {
    for (const [id, pending] of this.#pending) {
      if (now >= pending.expiresAt + forgetAfterMs) {
        this.#pending.delete(id);
      }
    }
    for (const [email, record] of this.#addresses) {
      this.#trim(record, now);
      if (record.sends.length === 0 && record.wrong.length === 0 && record.lockedUntil <= now) {
        this.#addresses.delete(email);
      }
    }
  }
}

function secondsUntil(at: number, now: number): number {
  return Math.max(0, Math.ceil((at - now) / 1000));
}

function sameCode(input: string, expected: string): boolean {
  const a = Buffer.from(input);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function required({ ttlSeconds, maxAttempts }: VerificationCodeOptions): Pick<VerificationCodeOptions, 'ttlSeconds' | 'maxAttempts'> {
  return { ttlSeconds, maxAttempts };
}

function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}
