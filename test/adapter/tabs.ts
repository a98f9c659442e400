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
