import { randomInt, timingSafeEqual } from 'node:crypto';
import type { UsageType } from '../mail/types.ts';

/** A code sent for one sign-in interaction (Logto: 6 digits, 10 minutes, 10 attempts). */
export interface PendingCode {
  readonly email: string;
  readonly usageType: UsageType;
  /** The page the person started from, to go back to for "use a different email". */
  readonly flowPath: string;
  readonly code: string;
  readonly sentAt: number;
  readonly expiresAt: number;
  readonly attempts: number;
}

export type CodeCheck =
  | { readonly status: 'ok'; readonly pending: PendingCode }
  | { readonly status: 'wrong'; readonly attemptsLeft: number }
  | { readonly status: 'expired' }
  | { readonly status: 'exhausted' }
  | { readonly status: 'missing' };

export interface VerificationCodeOptions {
  readonly ttlSeconds: number;
  readonly maxAttempts: number;
  readonly resendCooldownSeconds: number;
  readonly now?: () => number;
  readonly generate?: () => string;
}

const forgetAfterMs = 60 * 60 * 1000;

export function randomSixDigitCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** Codes by interaction id. Pure state: sending the email is the caller's job. */
export class VerificationCodes {
  readonly #pending = new Map<string, PendingCode>();
  readonly #options: Required<VerificationCodeOptions>;

  constructor(options: VerificationCodeOptions) {
    this.#options = { now: Date.now, generate: randomSixDigitCode, ...options };
  }

  get(interactionId: string): PendingCode | undefined {
    return this.#pending.get(interactionId);
  }

  /** Seconds until another code may be sent to the same address; 0 = now. */
  cooldownLeft(interactionId: string, email: string): number {
    const pending = this.#pending.get(interactionId);
    if (!pending || pending.email !== email) {
      return 0;
    }
    const readyAt = pending.sentAt + this.#options.resendCooldownSeconds * 1000;
    return Math.max(0, Math.ceil((readyAt - this.#options.now()) / 1000));
  }

  /** A new code replaces the previous one and resets the attempts. */
  issue(interactionId: string, request: { email: string; usageType: UsageType; flowPath: string }): PendingCode {
    this.#prune();
    const now = this.#options.now();
    const pending: PendingCode = {
      ...request,
      code: this.#options.generate(),
      sentAt: now,
      expiresAt: now + this.#options.ttlSeconds * 1000,
      attempts: 0,
    };
    this.#pending.set(interactionId, pending);
    return pending;
  }

  /** The 11th try is refused even with the right code: the code is spent, as in Logto. */
  check(interactionId: string, input: string): CodeCheck {
    const pending = this.#pending.get(interactionId);
    if (!pending) {
      return { status: 'missing' };
    }
    if (this.#options.now() >= pending.expiresAt) {
      return { status: 'expired' };
    }
    if (pending.attempts >= this.#options.maxAttempts) {
      return { status: 'exhausted' };
    }
    const attempts = pending.attempts + 1;
    this.#pending.set(interactionId, { ...pending, attempts });
    if (!sameCode(input, pending.code)) {
      return { status: 'wrong', attemptsLeft: this.#options.maxAttempts - attempts };
    }
    this.#pending.delete(interactionId);
    return { status: 'ok', pending };
  }

  /** Puts back the code a failed delivery was meant to replace (the person still has it). */
  restore(interactionId: string, previous: PendingCode | undefined): void {
    if (previous) {
      this.#pending.set(interactionId, previous);
    } else {
      this.#pending.delete(interactionId);
    }
  }

  // Forget abandoned codes, but long after expiry, so a late submit still hears "expired".
  #prune(): void {
    const now = this.#options.now();
    for (const [id, pending] of this.#pending) {
      if (now >= pending.expiresAt + forgetAfterMs) {
        this.#pending.delete(id);
      }
    }
  }
}

function sameCode(input: string, expected: string): boolean {
  const a = Buffer.from(input);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
