import type { CallbackRef, IdTokenClaims } from '../core/port';

interface VaultEntry {
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
