import { computed, signal } from '@angular/core';

/** How a finished sign-out is confirmed on the sign-in screen. */
export interface SignOutConfirmation {
  /** `done`: signed out everywhere we could tell; `local`: on this device only (provider unreachable). */
  readonly tone: 'done' | 'local';
  readonly text: string;
}

export const SIGNED_OUT_TEXT = "You're signed out.";

/** sessionStorage key: survives the web sign-out's trip to the end-session page and a reload. */
const SIGN_OUT_KEY = 'auth.signOutConfirmation';

/** What the last transition was, as far as the screens' feedback cares. */
export interface FlowStep {
  readonly signingOut: boolean;
  readonly signedOut: boolean;
  readonly signingIn: boolean;
  readonly failed: boolean;
  readonly signedIn: boolean;
  /** The idle notice of an offline sign-out (`context.error` with step `signOut`), if any. */
  readonly signOutNotice: string | null;
}

/**
 * Feedback the machine's context does not hold because it must outlive a page load or count
 * attempts (a re-sign-in that did not finish must say so without leaving the kept session): "You're signed out" after a sign-out (the web sign-out reloads the app
 * at /callback/sign-out, the offline notice used to vanish on reload), and how many Retries in a
 * row ended in the same failure, so a Retry shows a sign of life instead of the identical card.
 */
export class FlowFeedback {
  readonly #storage: Storage | null;
  readonly #now: () => number;
  readonly #signOut = signal<SignOutConfirmation | null>(null);
  readonly #retry = signal<{ pending: boolean; failures: number; at: number | null }>({ pending: false, failures: 0, at: null });

  readonly signOutConfirmation = this.#signOut.asReadonly();
  /** Retries in a row that failed again (0 after a success or a new action). */
  readonly failedRetries = computed(() => this.#retry().failures);
  /** When the last Retry was pressed (ms since the epoch), or null. */
  readonly lastRetryAt = computed(() => this.#retry().at);

  constructor(storage: Storage | null, now: () => number = Date.now) {
    this.#storage = storage;
    this.#now = now;
    this.#signOut.set(this.#read());
  }

  retryPressed(): void {
    this.#retry.update((state) => ({ ...state, pending: true, at: this.#now() }));
  }

  /** A new action (sign in, sign out, dismiss): the next failure is a first one again. */
  resetRetries(): void {
    this.#retry.set({ pending: false, failures: 0, at: null });
  }

  dismissSignOut(): void {
    this.#signOut.set(null);
    this.#write(null);
  }

  /** Called with every machine snapshot. */
  step(step: FlowStep, previous: FlowStep | null): void {
    const retry = this.#retry();
    if (step.failed && retry.pending) this.#retry.set({ pending: false, failures: retry.failures + 1, at: retry.at });
    else if (!step.failed && !retry.pending && !step.signingIn && retry.failures > 0)
      this.#retry.set({ pending: false, failures: 0, at: null });

    if (step.signingOut) {
      // Remembered before the web sign-out leaves for the end-session page.
      this.#write({ tone: 'done', text: '' }, 'pending');
      this.#signOut.set(null);
    } else if (step.signedOut && (previous?.signingOut || this.#pending())) {
      const confirmation: SignOutConfirmation = step.signOutNotice
        ? { tone: 'local', text: step.signOutNotice }
        : { tone: 'done', text: SIGNED_OUT_TEXT };
      this.#signOut.set(confirmation);
      this.#write(confirmation);
    } else if (step.signingIn || step.signedIn) {
      if (this.#signOut() || this.#pending()) this.dismissSignOut();
    }
  }

  #pending(): boolean {
    return this.#storage?.getItem(SIGN_OUT_KEY) === 'pending';
  }

  #read(): SignOutConfirmation | null {
    try {
      const raw = this.#storage?.getItem(SIGN_OUT_KEY);
      if (!raw || raw === 'pending') return null;
      const value = JSON.parse(raw) as Partial<SignOutConfirmation>;
      return (value.tone === 'done' || value.tone === 'local') && typeof value.text === 'string' && value.text
        ? { tone: value.tone, text: value.text }
        : null;
    } catch {
      return null;
    }
  }

  #write(value: SignOutConfirmation | null, raw?: string): void {
    try {
      if (value === null) this.#storage?.removeItem(SIGN_OUT_KEY);
      else this.#storage?.setItem(SIGN_OUT_KEY, raw ?? JSON.stringify(value));
    } catch {
      // Storage full or blocked: the confirmation then lasts only as long as the page.
    }
  }
}
