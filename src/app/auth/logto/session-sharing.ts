import type { AuthLogger } from './error-mapping';
import { SESSION_TOKEN_KEYS, StorageKey } from './token-storage';

/**
 * Several instances of the app that share one session storage: the tabs of one browser profile
 * (one localStorage). Each tab has its own SessionStore (a memory copy of the session), so
 * without this, tab B presents a refresh token tab A already rotated (the provider then revokes
 * the grant), keeps serving tokens after A signed out, and a stale tab's expiry wipes the
 * session A just stored. Web only: a native build has one WebView, one instance, and none of it.
 */
export interface SessionSharing {
  /** Runs `task` while no other instance runs one (one renewal at a time across tabs). */
  exclusive<T>(task: () => Promise<T>): Promise<T>;
  /**
   * Calls `listener` when another instance changed the stored session. `signedOut` is true when
   * it removed the refresh token (a sign-out): the listener stops serving tokens at once.
   */
  watch(listener: (change: SharedChange) => void): () => void;
  /** Since when (ms, the adapter's clock) this instance hears the news: the page's start on the web. */
  readonly since: number;
}

export interface SharedChange {
  /** The stored session was removed. */
  readonly signedOut: boolean;
  /** Then: why, as the remover recorded it (`signed_out`, or an expiry code); null if unknown. */
  readonly reason?: string | null;
}

/** The lock's name: one per app (storage namespace), shared by its tabs. */
export function renewalLockName(namespace: string): string {
  return `${namespace}:logto:renewal`;
}

interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

interface StorageEventLike {
  readonly key: string | null;
  readonly newValue: string | null;
  readonly storageArea: unknown;
}

interface WindowLike {
  addEventListener(type: 'storage', listener: (event: StorageEventLike) => void): void;
  removeEventListener(type: 'storage', listener: (event: StorageEventLike) => void): void;
}

export interface WebSessionSharingDeps {
  readonly namespace: string;
  readonly local: Storage;
  readonly window: WindowLike;
  /** `navigator.locks` where the browser has the Web Locks API; absent: a storage lease. */
  readonly locks?: LockManagerLike | null;
  readonly log: AuthLogger;
  readonly now?: () => number;
  /** How long a lease holder may keep the fallback lease before others take it (a tab closed mid-renewal). */
  readonly leaseTimeout?: number;
  /** When the page started (default `performance.timeOrigin`): news older than that is no news to it. */
  readonly pageStart?: number;
}

/**
 * The browser's version: the Web Locks API for the lock (held until the task settles, released
 * by the browser if the tab dies), else a lease in localStorage with an expiry; `storage` events
 * for the news (they fire in the OTHER tabs of the origin, never in the writer).
 */
export function createWebSessionSharing(deps: WebSessionSharingDeps): SessionSharing {
  const { namespace, local, window, log } = deps;
  const now = deps.now ?? Date.now;
  const prefix = `${namespace}:logto:`;
  const sessionKeys = new Set<string>(SESSION_TOKEN_KEYS.map((item) => prefix + item));
  const refreshKey = prefix + StorageKey.refreshToken;
  const endKey = prefix + StorageKey.sessionEnd;
  const lockName = renewalLockName(namespace);
  const lease = new StorageLease(local, `${lockName}Lease`, now, deps.leaseTimeout ?? 30_000);
  const since = deps.pageStart ?? (typeof performance !== 'undefined' ? Math.floor(performance.timeOrigin) : now());
  return {
    since,
    exclusive(task) {
      if (deps.locks) return deps.locks.request(lockName, task);
      return lease.run(task);
    },
    watch(listener) {
      // Several keys change per sign-in or renewal (written one after another): one news per burst.
      let timer: ReturnType<typeof setTimeout> | null = null;
      const onStorage = (event: StorageEventLike) => {
        if (event.storageArea !== undefined && event.storageArea !== null && event.storageArea !== local) return;
        // `key` null: the whole storage was cleared (e.g. site data cleared in another tab).
        if (event.key !== null && !sessionKeys.has(event.key)) return;
        if ((event.key === refreshKey || event.key === null) && event.newValue === null) {
          // A sign-out: no token may be served from here on, not even until the burst settles.
          listener({ signedOut: true, reason: local.getItem(endKey) });
          return;
        }
        if (timer !== null) clearTimeout(timer);
        timer = setTimeout(() => {
          timer = null;
          const signedOut = local.getItem(refreshKey) === null;
          listener({ signedOut, reason: signedOut ? local.getItem(endKey) : null });
        }, 30);
      };
      window.addEventListener('storage', onStorage);
      log('debug', 'listening for session changes made in other tabs');
      return () => {
        if (timer !== null) clearTimeout(timer);
        window.removeEventListener('storage', onStorage);
      };
    },
  };
}

/**
 * The lock without Web Locks: a lease `{ owner, until }` in localStorage. localStorage has no
 * compare-and-swap, so a taker writes, waits and reads back: of two tabs that wrote at once, the
 * last writer wins and the other sees it lost, once the other's write has reached it. Each tab
 * reads its own copy of localStorage, and another tab's write arrives later: a millisecond on a
 * quiet machine, tens of them on a busy one. With a 25 ms wait an e2e run on a 2-core machine made
 * two renewals where one was due, and test/adapter/tabs.spec.ts reproduces that with a write 60
 * ms late. So the wait is `SETTLE_MS`. A lease whose holder died expires.
 */
class StorageLease {
  readonly #owner = `${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  #queue: Promise<unknown> = Promise.resolve();
  readonly local: Storage;
  readonly key: string;
  readonly now: () => number;
  readonly timeout: number;

  constructor(local: Storage, key: string, now: () => number, timeout: number) {
    this.local = local;
    this.key = key;
    this.now = now;
    this.timeout = timeout;
  }

  run<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(async () => {
      await this.#acquire();
      try {
        return await task();
      } finally {
        if (this.#holder()?.owner === this.#owner) this.local.removeItem(this.key);
      }
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #holder(): { owner: string; until: number } | null {
    try {
      const value = JSON.parse(this.local.getItem(this.key) ?? 'null') as { owner?: unknown; until?: unknown } | null;
      return value && typeof value.owner === 'string' && typeof value.until === 'number'
        ? { owner: value.owner, until: value.until }
        : null;
    } catch {
      return null;
    }
  }

  async #acquire(): Promise<void> {
    const deadline = this.now() + this.timeout;
    for (;;) {
      const holder = this.#holder();
      if (!holder || holder.until < this.now() || holder.owner === this.#owner) {
        this.local.setItem(this.key, JSON.stringify({ owner: this.#owner, until: this.now() + this.timeout }));
        await delay(SETTLE_MS);
        if (this.#holder()?.owner === this.#owner) return;
      }
      // Never wait forever: past the lease timeout the holder is presumed dead.
      if (this.now() > deadline) {
        this.local.setItem(this.key, JSON.stringify({ owner: this.#owner, until: this.now() + this.timeout }));
        return;
      }
      await delay(50 + Math.floor(Math.random() * 50));
    }
  }
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** How long a taker waits for another tab's lease write to reach it before it reads back (see StorageLease). */
const SETTLE_MS = 100;

/** The browser's sharing when it has a window and localStorage, else none. */
export function defaultWebSessionSharing(namespace: string, log: AuthLogger): SessionSharing | null {
  if (typeof window === 'undefined' || typeof localStorage === 'undefined') return null;
  const locks = typeof navigator !== 'undefined' ? (navigator as { locks?: LockManagerLike }).locks : undefined;
  return createWebSessionSharing({
    namespace,
    local: localStorage,
    window: window as unknown as WindowLike,
    locks: locks && typeof locks.request === 'function' ? locks : null,
    log,
  });
}

/**
 * An in-memory stand-in shared by several adapters in one process (tests, the fuzzer): one
 * mutex, and news delivered to every instance except the writer, like `storage` events.
 */
export class SharedSessionBus {
  #lock: Promise<unknown> = Promise.resolve();
  readonly #listeners = new Map<number, (change: SharedChange) => void>();
  #next = 0;

  /** Tell every other instance: `writer` is the id `member()` returned. */
  publish(writer: number, change: SharedChange): void {
    for (const [id, listener] of [...this.#listeners]) if (id !== writer) listener(change);
  }

  /** A new instance; `since` is when it started (its page's start), on the adapter's clock. */
  member(since = Date.now()): { readonly id: number; readonly sharing: SessionSharing } {
    const id = (this.#next += 1);
    const exclusive = <T>(task: () => Promise<T>): Promise<T> => {
      const run = this.#lock.then(task);
      this.#lock = run.catch(() => undefined);
      return run;
    };
    const watch = (listener: (change: SharedChange) => void) => {
      this.#listeners.set(id, listener);
      return () => void this.#listeners.delete(id);
    };
    return { id, sharing: { exclusive, watch, since } };
  }
}
