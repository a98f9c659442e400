import type { CallbackRef, IdTokenClaims } from '../core/port';
import type { AuthLogger } from './error-mapping';
import { readPendingSignInState } from './pending-sign-in';
import { inspectSignInCallback } from './redirect-uri';
import type { TokenStorage } from './token-storage';

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
  readonly storage: TokenStorage;
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

export interface VaultEntry {
  /** The callback URL (code + state); dropped once the exchange succeeded or failed for good. */
  url: string | null;
  readonly hash: string;
  /** The exchange in flight or settled; a retry after a timeout joins it instead of starting over. */
  attempt?: Promise<IdTokenClaims>;
  claims?: IdTokenClaims;
}

/**
 * Keeps callback URLs inside the adapter: the machine only ever sees `cb-<n>`.
 * Every URL that was ever admitted is remembered by its SHA-256 (never the URL itself), so a
 * duplicate delivery (launch URL + retained `appUrlOpen`) or a replay is recognised; memory only.
 */
export class CallbackVault {
  readonly #byRef = new Map<CallbackRef, VaultEntry>();
  readonly #refByHash = new Map<string, CallbackRef>();
  #next = 1;

  static async hash(url: string): Promise<string> {
    const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(url));
    return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
  }

  /** The ref an identical URL was admitted under, if any. */
  refFor(hash: string): CallbackRef | undefined {
    return this.#refByHash.get(hash);
  }

  admit(url: string, hash: string): CallbackRef {
    const ref = `cb-${this.#next++}`;
    this.#byRef.set(ref, { url, hash });
    this.#refByHash.set(hash, ref);
    return ref;
  }

  entry(ref: CallbackRef): VaultEntry | undefined {
    return this.#byRef.get(ref);
  }

  /** Still exchangeable: admitted, URL kept, not completed. */
  isOpen(ref: CallbackRef): boolean {
    const entry = this.#byRef.get(ref);
    return entry !== undefined && entry.url !== null && entry.claims === undefined;
  }

  /** Drop the URL (success or final failure); the hash stays so the same URL is refused later. */
  seal(ref: CallbackRef): void {
    const entry = this.#byRef.get(ref);
    if (entry) entry.url = null;
  }

  /** Sign-out: no callback of the old session can be exchanged any more. */
  clear(): void {
    for (const entry of this.#byRef.values()) entry.url = null;
    this.#byRef.clear();
  }
}
