import type { AuthLogger } from './error-mapping';
import { describeError } from './error-mapping';
import { decodeIdTokenClaims } from './restore-decision';
import { SESSION_TOKEN_KEYS, StorageKey, type TokenStorage } from './token-storage';

/** One cached access token, in the SDK's storage format (`expiresAt` in seconds). */
export interface AccessTokenEntry {
  readonly token: string;
  readonly scope: string;
  readonly expiresAt: number;
}

/** The SDK's `buildAccessTokenKey` (no scopes): `@<resource>` or `@<resource>#<organization>`. */
export function accessTokenKey(resource?: string, organizationId?: string): string {
  return `@${resource ?? ''}${organizationId ? `#${organizationId}` : ''}`;
}

/** What one refresh or one sign-in brings; absent fields stay as they are. */
export interface SessionChange {
  readonly refreshToken?: string;
  readonly idToken?: string;
  readonly accessToken?: { readonly key: string; readonly entry: AccessTokenEntry };
}

/** A session's identity: which session a result belongs to. Changes on every sign-in, sign-out and expiry. */
export type Generation = number;

/**
 * What `adoptStored()` found another instance (tab) had stored: nothing new; a sign-out; the
 * same person's session renewed (rotated tokens); another session (a sign-in or switch).
 */
export type Adoption = 'unchanged' | 'signedOut' | 'renewed' | 'replaced';

/** What an expiry's `clear({ keepNewer })` left in the storage (see there). */
export type ClearOutcome = 'cleared' | 'newer' | 'ended';

/** Why a session was removed from the storage: a sign-out, or the expiry's code. */
export type SessionEndReason = 'signed_out' | 'session_expired' | 'refresh_answer_lost';

/**
 * The stored end mark (`sessionEnd`): `<reason> <time in ms>`, written by the tab that removed
 * the session. The time tells a tab that loads later whether the end happened since it opened.
 */
export function parseSessionEnd(value: string | null): { readonly reason: string; readonly at: number } | null {
  if (value === null) return null;
  const [reason = '', at] = value.split(' ');
  return { reason, at: Number(at ?? Number.NaN) };
}

/**
 * The one owner of the session's state, so a refresh answer cannot write tokens back after a
 * sign-out: the refresh token, the ID token and the access-token cache live here in memory, and
 * every write to the device storage goes through one ordered queue.
 *
 * - Reads are synchronous and come from memory, so a sign-out is effective the moment `clear()`
 *   is called, even while its storage removals are still queued behind earlier writes.
 * - A result is stored only for the session it belongs to: `commit(generation, …)` is dropped
 *   when the session changed since that generation was read. A refresh answer that lands during
 *   a sign-out can therefore never write tokens back.
 * - Storage writes run one at a time in call order: a removal queued by `clear()` always runs
 *   after the writes of a commit that was accepted before it.
 */
export class SessionStore {
  readonly #storage: TokenStorage;
  readonly #log: AuthLogger;
  #generation: Generation = 0;
  #refreshToken: string | null = null;
  #idToken: string | null = null;
  readonly #accessTokens = new Map<string, AccessTokenEntry>();
  #refreshUnanswered = false;
  #writes: Promise<void> = Promise.resolve();
  /** The refresh token this instance last wrote to the storage. */
  #persistedRefreshToken: string | null = null;
  /** Other instances (tabs) share the storage: a removal records why and when, for them. */
  readonly #shared: boolean;
  readonly #now: () => number;

  constructor(storage: TokenStorage, log: AuthLogger, options?: { readonly shared?: boolean; readonly now?: () => number }) {
    this.#storage = storage;
    this.#log = log;
    this.#shared = options?.shared ?? false;
    this.#now = options?.now ?? Date.now;
  }

  /** Boot: read the stored session once (storage only). Nothing else reads these keys afterwards. */
  async load(): Promise<void> {
    const [[idToken, refreshToken, accessTokens, unanswered], ended] = await Promise.all([
      Promise.all(SESSION_TOKEN_KEYS.map((key) => this.#storage.getItem(key))),
      this.#ended(),
    ]);
    // A session stored after its end is another tab's late write, about to be tidied away: none.
    this.#idToken = ended ? null : (idToken ?? null);
    this.#refreshToken = ended ? null : (refreshToken ?? null);
    this.#refreshUnanswered = unanswered === '1' && this.#refreshToken !== null;
    this.#accessTokens.clear();
    if (ended) return;
    for (const [key, entry] of Object.entries(parseAccessTokenMap(accessTokens ?? null))) this.#accessTokens.set(key, entry);
  }

  get generation(): Generation {
    return this.#generation;
  }

  get refreshToken(): string | null {
    return this.#refreshToken;
  }

  get idToken(): string | null {
    return this.#idToken;
  }

  /** The refresh token was sent and no answer came: it may already be spent at the server. */
  get refreshUnanswered(): boolean {
    return this.#refreshUnanswered;
  }

  /**
   * Record, durably and before the request leaves, whether the refresh token may be spent: true
   * right before it is sent; after an answered failure, back to what it was. A new refresh token
   * (commit) clears it. False when the session changed meanwhile (nothing written).
   */
  async markRefreshUnanswered(generation: Generation, unanswered: boolean): Promise<boolean> {
    if (generation !== this.#generation) return false;
    if (this.#refreshUnanswered === unanswered) return true;
    this.#refreshUnanswered = unanswered;
    await this.#enqueue(() =>
      unanswered ? this.#storage.setItem(StorageKey.refreshUnanswered, '1') : this.#storage.removeItem(StorageKey.refreshUnanswered),
    );
    return true;
  }

  accessToken(key: string): AccessTokenEntry | undefined {
    return this.#accessTokens.get(key);
  }

  accessTokenKeys(): string[] {
    return [...this.#accessTokens.keys()];
  }

  /**
   * Store a refresh's results if the session is still the one of `generation`; false when it
   * was dropped (the session ended or was replaced meanwhile). Memory changes at once; the
   * returned promise settles when the storage writes did.
   */
  async commit(generation: Generation, change: SessionChange): Promise<boolean> {
    if (generation !== this.#generation) return false;
    this.#apply(change);
    await this.#persist(change);
    return true;
  }

  /** A new sign-in landed: its tokens replace the old session's, cached resource tokens included. */
  async replace(change: SessionChange & { readonly idToken: string }): Promise<void> {
    this.#generation += 1;
    this.#refreshToken = null;
    this.#refreshUnanswered = false;
    this.#accessTokens.clear();
    this.#apply(change);
    await this.#enqueue(async () => {
      // The end mark goes first: a session stored while it is there is taken for a dead one's leftovers.
      if (this.#shared) await this.#storage.removeItem(StorageKey.sessionEnd);
      await this.#writeAll();
    });
  }

  /**
   * Sign-out or expiry: forget every token now (memory), and in storage after the queued writes.
   * `keepNewer` (an expiry where other instances share the storage): compare-and-delete — the
   * stored session is removed only if it is still the one this instance held; a newer one another
   * tab stored meanwhile stays (`newer`), and a session another tab already ended stays ended with
   * that tab's reason (`ended`: this instance had not heard of it yet). Else `cleared`.
   */
  async clear(options?: { readonly keepNewer?: boolean; readonly reason?: SessionEndReason }): Promise<ClearOutcome> {
    const held = this.#refreshToken;
    this.#forgetMemory();
    let outcome: ClearOutcome = 'cleared';
    await this.#enqueue(async () => {
      if (options?.keepNewer) {
        if (await this.#ended()) {
          outcome = 'ended';
          return;
        }
        const stored = await this.#storage.getItem(StorageKey.refreshToken);
        if (stored !== null && stored !== held) {
          outcome = 'newer';
          return;
        }
      }
      // Before the removals: the other tabs read it when they see the refresh token go.
      if (this.#shared) await this.#storage.setItem(StorageKey.sessionEnd, `${options?.reason ?? 'signed_out'} ${this.#now()}`);
      await this.#writeAll();
    });
    return outcome;
  }

  /**
   * Another instance signed out: forget the session in memory at once, writing nothing (the
   * storage is already empty, or holds what that instance wrote). True when a session was held.
   */
  forget(): boolean {
    const had = this.#refreshToken !== null;
    this.#forgetMemory();
    return had;
  }

  /**
   * Re-read the stored session (after this instance's own queued writes) and take it over when
   * another instance changed it. A renewal of the same person's session keeps the generation
   * (nothing of this instance's is in flight under the renewal lock); another session is a new one.
   */
  async adoptStored(): Promise<Adoption> {
    await this.#writes;
    const generation = this.#generation;
    const [[idToken, refreshToken, accessTokens, unanswered], ended] = await Promise.all([
      Promise.all(SESSION_TOKEN_KEYS.map((key) => this.#storage.getItem(key))),
      this.#ended(),
    ]);
    // Something changed here meanwhile (a sign-out, a sign-in): that is newer than what was read.
    if (generation !== this.#generation) return 'unchanged';
    // The session was ended (a sign-out or expiry marked it) and not signed into since: whatever is
    // stored is the late write of a renewal that was under way in some tab, never a session to take.
    if (ended) return this.forget() ? 'signedOut' : 'unchanged';
    if ((refreshToken ?? null) === this.#refreshToken && (idToken ?? null) === this.#idToken) return 'unchanged';
    if (!refreshToken || !idToken) {
      if (refreshToken) return 'unchanged'; // half-written: the rest of that write is on its way
      return this.forget() ? 'signedOut' : 'unchanged';
    }
    const renewed = this.#refreshToken !== null && this.#idToken !== null && sameSubject(this.#idToken, idToken);
    if (!renewed) {
      this.#generation += 1;
      this.#accessTokens.clear();
    }
    this.#refreshToken = refreshToken;
    this.#idToken = idToken;
    this.#refreshUnanswered = unanswered === '1';
    for (const [key, entry] of Object.entries(parseAccessTokenMap(accessTokens ?? null))) this.#accessTokens.set(key, entry);
    return renewed ? 'renewed' : 'replaced';
  }

  /**
   * After a sign-out elsewhere: a write of this instance's that was already under way when the
   * session was forgotten may have landed after the other tab's removals. Once this instance's
   * writes are done, remove what is left of a session whose refresh token is gone — checking,
   * before each removal, that no new session (a sign-in elsewhere) has been stored meanwhile.
   */
  async sweepSignedOut(): Promise<void> {
    await this.#writes;
    const ours = this.#persistedRefreshToken;
    for (const key of [StorageKey.refreshToken, StorageKey.idToken, StorageKey.accessToken, StorageKey.refreshUnanswered]) {
      if (this.#refreshToken !== null) return;
      const stored = await this.#storage.getItem(StorageKey.refreshToken);
      // Another session (not the one this instance last wrote) is stored: it is not ours to remove.
      if (stored !== null && stored !== ours) return;
      if ((await this.#storage.getItem(key)) !== null) await this.#storage.removeItem(key);
    }
  }

  /**
   * Tabs only: the stored session was ended (`sessionEnd` is written before a sign-out's or an
   * expiry's removals and removed before a sign-in's writes). Native never writes it: not read there.
   */
  async #ended(): Promise<boolean> {
    return this.#shared && (await this.#storage.getItem(StorageKey.sessionEnd)) !== null;
  }

  #forgetMemory(): void {
    this.#generation += 1;
    this.#refreshToken = null;
    this.#refreshUnanswered = false;
    this.#idToken = null;
    this.#accessTokens.clear();
  }

  /** Settles when every write queued so far has run. */
  flushed(): Promise<void> {
    return this.#writes;
  }

  #apply(change: SessionChange): void {
    if (change.refreshToken !== undefined) {
      this.#refreshToken = change.refreshToken;
      this.#refreshUnanswered = false;
    }
    if (change.idToken !== undefined) this.#idToken = change.idToken;
    if (change.accessToken) this.#accessTokens.set(change.accessToken.key, change.accessToken.entry);
  }

  #persist(change: SessionChange): Promise<void> {
    return this.#enqueue(async () => {
      // The rotated refresh token first: the old one is already spent at the server.
      if (change.refreshToken !== undefined) {
        this.#persistedRefreshToken = change.refreshToken;
        await this.#storage.setItem(StorageKey.refreshToken, change.refreshToken);
        await this.#storage.removeItem(StorageKey.refreshUnanswered);
      }
      if (change.accessToken) await this.#writeAccessTokens();
      if (change.idToken !== undefined) await this.#storage.setItem(StorageKey.idToken, change.idToken);
    });
  }

  /** The map as memory holds it when the write runs. */
  async #writeAccessTokens(): Promise<void> {
    await this.#storage.setItem(StorageKey.accessToken, JSON.stringify(Object.fromEntries(this.#accessTokens)));
  }

  /** The whole session as memory holds it when the write runs (empty after a clear: every key removed). */
  async #writeAll(): Promise<void> {
    const put = (key: string, value: string | null) => (value === null ? this.#storage.removeItem(key) : this.#storage.setItem(key, value));
    if (this.#refreshToken !== null) this.#persistedRefreshToken = this.#refreshToken;
    await put(StorageKey.refreshToken, this.#refreshToken);
    await put(StorageKey.idToken, this.#idToken);
    await put(StorageKey.accessToken, this.#accessTokens.size ? JSON.stringify(Object.fromEntries(this.#accessTokens)) : null);
    await put(StorageKey.refreshUnanswered, this.#refreshUnanswered ? '1' : null);
  }

  /**
   * One write at a time, in call order. A write queued for a session that has since ended or
   * been replaced is skipped: every change of generation (replace, clear) queues a write of the
   * whole session as it then is, so the newest generation's state always reaches the storage,
   * and the device never holds a dead session's token, not even between two writes.
   */
  #enqueue(write: () => Promise<void>): Promise<void> {
    const generation = this.#generation;
    const run = this.#writes.then(async () => {
      if (generation === this.#generation) await write();
    });
    this.#writes = run.catch((error: unknown) => this.#log('error', `could not write the session to storage: ${describeError(error)}`));
    return run;
  }
}

function sameSubject(a: string, b: string): boolean {
  try {
    return decodeIdTokenClaims(a).sub === decodeIdTokenClaims(b).sub;
  } catch {
    return false;
  }
}

export function parseAccessTokenMap(raw: string | null): Record<string, AccessTokenEntry> {
  if (!raw) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null) return {};
    const result: Record<string, AccessTokenEntry> = {};
    for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
      const v = value as Partial<AccessTokenEntry> | null;
      if (v && typeof v.token === 'string' && typeof v.scope === 'string' && typeof v.expiresAt === 'number') {
        result[key] = { token: v.token, scope: v.scope, expiresAt: v.expiresAt };
      }
    }
    return result;
  } catch {
    return {};
  }
}
