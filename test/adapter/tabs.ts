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
 * The tabs of one browser profile as the browser shows them to a page: one localStorage (one
 * map), a `Storage` object per tab, and a `storage` event delivered in a later task to every
 * OTHER tab's window (never the writer's), with `storageArea` that tab's own `Storage` — the
 * shape `createWebSessionSharing` listens to. For the paths that run without the Web Locks API.
 */
export class BrowserProfile {
  readonly #data = new Map<string, string>();
  readonly #tabs: Array<{ local: Storage; listeners: Set<(event: unknown) => void> }> = [];

  snapshot(): Record<string, string> {
    return Object.fromEntries(this.#data);
  }

  seed(items: Record<string, string>): void {
    for (const [key, value] of Object.entries(items)) this.#data.set(key, value);
  }

  /** A new tab: its localStorage and its window (for `storage` listeners). */
  open(): { local: Storage; window: { addEventListener: WindowListen; removeEventListener: WindowListen } } {
    const data = this.#data;
    const listeners = new Set<(event: unknown) => void>();
    const tab = { local: undefined as unknown as Storage, listeners };
    const notify = (key: string | null, newValue: string | null) => {
      for (const other of this.#tabs) {
        if (other === tab) continue;
        const event = { key, newValue, storageArea: other.local };
        setTimeout(() => other.listeners.forEach((listener) => listener(event)), 0);
      }
    };
    const local: Storage = {
      get length() {
        return data.size;
      },
      key: (index) => [...data.keys()][index] ?? null,
      getItem: (key) => data.get(key) ?? null,
      setItem(key, value) {
        const old = data.get(key);
        data.set(key, String(value));
        if (old !== String(value)) notify(key, String(value));
      },
      removeItem(key) {
        if (data.delete(key)) notify(key, null);
      },
      clear() {
        data.clear();
        notify(null, null);
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
