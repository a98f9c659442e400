/**
 * Tabs for Node tests: several adapters over ONE device storage, each told of the others' writes
 * the way a browser tells its tabs (a `storage` event in every tab but the writer; a removed
 * refresh token at once, other writes once their burst is over), with one shared renewal lock.
 */
import { SharedSessionBus, type SessionSharing } from '../../src/app/auth/logto/session-sharing.ts';
import { SESSION_TOKEN_KEYS, StorageKey } from '../../src/app/auth/logto/token-storage.ts';
import type { createMemoryStorage } from '../../src/app/auth/logto/index.ts';

type DeviceStorage = ReturnType<typeof createMemoryStorage>;

export interface Tab {
  readonly storage: DeviceStorage;
  readonly sharing: SessionSharing;
}

export function tabsOver(device: DeviceStorage, options: { burstMs?: number } = {}): { bus: SharedSessionBus; open(): Tab } {
  const bus = new SharedSessionBus();
  const sessionKeys = new Set<string>(SESSION_TOKEN_KEYS);
  return {
    bus,
    open() {
      const member = bus.member();
      let timer: ReturnType<typeof setTimeout> | null = null;
      const news = (removedRefreshToken: boolean) => {
        const snapshot = () => device.snapshot();
        if (removedRefreshToken) {
          bus.publish(member.id, { signedOut: true, reason: snapshot()[StorageKey.sessionEnd] ?? null });
          return;
        }
        if (timer !== null) clearTimeout(timer);
        timer = setTimeout(() => {
          timer = null;
          const now = snapshot();
          const signedOut = now[StorageKey.refreshToken] === undefined;
          bus.publish(member.id, { signedOut, reason: signedOut ? (now[StorageKey.sessionEnd] ?? null) : null });
        }, options.burstMs ?? 5);
      };
      const storage: DeviceStorage = {
        getItem: (key) => device.getItem(key),
        async setItem(key, value) {
          await device.setItem(key, value);
          if (sessionKeys.has(key)) news(false);
        },
        async removeItem(key) {
          const had = device.snapshot()[key] !== undefined;
          await device.removeItem(key);
          if (had && sessionKeys.has(key)) news(key === StorageKey.refreshToken);
        },
        snapshot: () => device.snapshot(),
      };
      return { storage, sharing: member.sharing };
    },
  };
}

/**
 * The tabs of one browser profile as the browser shows them to a page: one localStorage, a
 * `Storage` object per tab, and a `storage` event delivered in a later task to every OTHER tab's
 * window (never the writer's), with `storageArea` that tab's own `Storage` — the shape
 * `createWebSessionSharing` listens to. For the paths that run without the Web Locks API.
 *
 * `propagationMs` (default 0: one map, every write seen at once): as in Chromium, each tab reads
 * its own copy, and another tab's write reaches it (with its `storage` event) that much later. The
 * browser orders all writes: a tab takes another's write of a key only if it came after the last
 * write of that key (and the last clear) the tab has, and a late clear leaves later writes in
 * place, so every copy ends as the browser's last writer left it. A busy machine makes that delay
 * tens of milliseconds.
 */
export class BrowserProfile {
  readonly #data = new Map<string, string>();
  readonly #tabs: Array<{ local: Storage; take: (key: string | null, newValue: string | null, order: number) => void }> = [];
  readonly #propagationMs: number;
  /** The browser's order of writes. */
  #writes = 0;

  constructor(options: { propagationMs?: number } = {}) {
    this.#propagationMs = options.propagationMs ?? 0;
  }

  snapshot(): Record<string, string> {
    return Object.fromEntries(this.#data);
  }

  seed(items: Record<string, string>): void {
    for (const [key, value] of Object.entries(items)) this.#data.set(key, value);
  }

  /** A new tab: its localStorage and its window (for `storage` listeners). */
  open(): { local: Storage; window: { addEventListener: WindowListen; removeEventListener: WindowListen } } {
    const delayed = this.#propagationMs > 0;
    // Without a delay every tab reads the profile's one map; with one, its own copy.
    const copy = delayed ? new Map(this.#data) : this.#data;
    /** With a delay: the browser's order of the last write of each key this tab's copy holds, and of its last clear. */
    const orderOf = new Map<string, number>();
    let clearedAt = 0;
    const listeners = new Set<(event: unknown) => void>();
    const set = (map: Map<string, string>, key: string | null, newValue: string | null) => {
      if (key === null) map.clear();
      else if (newValue === null) map.delete(key);
      else map.set(key, newValue);
    };
    /** Applies a write to this tab's copy, unless the copy already holds a later one (with a delay only). */
    const apply = (key: string | null, newValue: string | null, order: number): boolean => {
      if (!delayed) return true;
      if (key === null) {
        // A clear removes what was written before it, not what a later write put there.
        for (const item of [...copy.keys()]) if ((orderOf.get(item) ?? 0) < order) copy.delete(item);
        clearedAt = Math.max(clearedAt, order);
        return true;
      }
      if (order < Math.max(clearedAt, orderOf.get(key) ?? 0)) return false;
      set(copy, key, newValue);
      orderOf.set(key, order);
      return true;
    };
    const tab = {
      local: undefined as unknown as Storage,
      // Another tab's write, arriving here.
      take: (key: string | null, newValue: string | null, order: number) => {
        if (!apply(key, newValue, order)) return;
        const event = { key, newValue, storageArea: tab.local };
        listeners.forEach((listener) => listener(event));
      },
    };
    const write = (key: string | null, newValue: string | null) => {
      const order = ++this.#writes;
      set(this.#data, key, newValue);
      apply(key, newValue, order);
      for (const other of this.#tabs) if (other !== tab) setTimeout(() => other.take(key, newValue, order), this.#propagationMs);
    };
    const local: Storage = {
      get length() {
        return copy.size;
      },
      key: (index) => [...copy.keys()][index] ?? null,
      getItem: (key) => copy.get(key) ?? null,
      setItem(key, value) {
        if (copy.get(key) !== String(value)) write(key, String(value));
      },
      removeItem(key) {
        if (copy.has(key)) write(key, null);
      },
      clear() {
        write(null, null);
      },
    };
    tab.local = local;
    this.#tabs.push(tab);
    const on: WindowListen = (_type, listener) => void listeners.add(listener as (event: unknown) => void);
    const off: WindowListen = (_type, listener) => void listeners.delete(listener as (event: unknown) => void);
    return { local, window: { addEventListener: on, removeEventListener: off } };
  }
}

type WindowListen = (
  type: 'storage',
  listener: (event: { key: string | null; newValue: string | null; storageArea: unknown }) => void,
) => void;
