import type { CallbackRef } from '../core/port';
import type { AuthLogger } from './auth-log';
import { CallbackVault } from './callback-vault';
import { readPendingSignInState } from './pending-sign-in';
import { inspectSignInCallback } from './redirect-uri';
import type { SessionStorage } from './session-storage';

export type Admission = { readonly ok: true; readonly ref: CallbackRef } | { readonly ok: false };

const REFUSALS = {
  malformed: 'the URL is malformed',
  not_canonical: 'the URL is not in its canonical form',
  not_redirect_uri: 'it is not the sign-in redirect URI',
  missing_state: 'it carries no state',
  missing_code: 'it carries neither a code nor an error',
  duplicate: 'the same URL was already received (duplicate or replay)',
  no_pending_sign_in: 'no sign-in is pending',
  stale: 'the pending sign-in is too old',
  state_mismatch: 'its state does not match the pending sign-in',
} as const;

export interface CallbackAdmissionDeps {
  readonly storage: SessionStorage;
  readonly vault: CallbackVault;
  readonly redirectUri: string;
  readonly pendingSignInMaxAge: number;
  readonly now: () => number;
  readonly log: AuthLogger;
}

/**
 * Decides whether a URL is this app's answer to the sign-in in flight, and if so puts it in the
 * vault (the machine only ever sees the opaque ref). Steps: parse and match the redirect URI
 * exactly; admit only the canonical form (the exchange compares the raw string with the redirect
 * URI, so a look-alike that parses to the same URL would fail there and end the pending sign-in);
 * refuse duplicates and replays by hash; then the pending sign-in must be valid and its state
 * must match. Admissions run one at a time, so two deliveries of one URL cannot both pass.
 */
export class CallbackAdmission {
  readonly #deps: CallbackAdmissionDeps;
  readonly #redirectUrl: URL;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(deps: CallbackAdmissionDeps) {
    this.#deps = deps;
    this.#redirectUrl = new URL(deps.redirectUri);
  }

  admit(url: string, source: 'deep-link' | 'launch'): Promise<Admission> {
    const run = this.#queue.then(() => this.#admitNow(url, source));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #admitNow(url: string, source: 'deep-link' | 'launch'): Promise<Admission> {
    const refuse = (reason: keyof typeof REFUSALS): Admission => {
      this.#deps.log('warn', `refused a sign-in callback: ${REFUSALS[reason]}`);
      return { ok: false };
    };
    const inspection = inspectSignInCallback(url, this.#redirectUrl);
    if (!inspection.ok) return refuse(inspection.reason);
    if (new URL(url).href !== url) return refuse('not_canonical');
    const { vault } = this.#deps;
    const hash = await CallbackVault.hash(url);
    const seen = vault.refFor(hash);
    if (seen !== undefined) {
      // The launch URL may repeat a deep link already taken: boot continues with the same ref.
      if (source === 'launch' && vault.isOpen(seen)) return { ok: true, ref: seen };
      return refuse('duplicate');
    }
    const pending = await readPendingSignInState(this.#deps.storage, {
      now: this.#deps.now(),
      maxAge: this.#deps.pendingSignInMaxAge,
      redirectUri: this.#deps.redirectUri,
    });
    if (!pending.ok) return refuse(pending.reason === 'stale' ? 'stale' : 'no_pending_sign_in');
    if (pending.session.state !== inspection.params.state) return refuse('state_mismatch');
    return { ok: true, ref: vault.admit(url, hash) };
  }
}
