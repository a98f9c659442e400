/** The SessionStore on its own: the one owner of the session's tokens and of their storage writes. */
import { SessionStore } from '../../../src/app/auth/logto/session-store.ts';
import { createMemoryStorage } from '../../../src/app/auth/logto/token-storage.ts';

const entry = (token: string) => ({ token, scope: 'read:books', expiresAt: 2_000_000_000 });

/** Memory storage whose writes take `ms` and are recorded in the order they land. */
function slowStorage(ms: number) {
  const memory = createMemoryStorage();
  const landed: string[] = [];
  const later = () => new Promise((resolve) => setTimeout(resolve, ms));
  return {
    landed,
    snapshot: memory.snapshot,
    getItem: memory.getItem,
    async setItem(key: string, value: string) {
      await later();
      landed.push(`set ${key}`);
      await memory.setItem(key, value);
    },
    async removeItem(key: string) {
      await later();
      landed.push(`remove ${key}`);
      await memory.removeItem(key);
    },
  };
}

async function signedIn(storage = slowStorage(5)) {
  const store = new SessionStore(storage, () => undefined);
  await store.replace({ idToken: 'id-1', refreshToken: 'rt-1', accessToken: { key: '@', entry: entry('at-1') } });
  return { store, storage };
}

describe('SessionStore', () => {
  it('drops a refresh result for a session that ended while it was on its way, and storage ends empty', async () => {
    const { store, storage } = await signedIn();
    const generation = store.generation;
    const clearing = store.clear();
    expect(await store.commit(generation, { refreshToken: 'rt-2', accessToken: { key: '@api', entry: entry('at-2') } })).toBe(false);
    await clearing;
    await store.flushed();
    expect(storage.snapshot()).toEqual({});
    expect(store.refreshToken).toBeNull();
    expect(store.accessToken('@api')).toBeUndefined();
  });

  it('a sign-out after an accepted commit is ordered after its writes: nothing is written back', async () => {
    const { store, storage } = await signedIn();
    const committing = store.commit(store.generation, {
      refreshToken: 'rt-2',
      idToken: 'id-2',
      accessToken: { key: '@api', entry: entry('at-2') },
    });
    const clearing = store.clear(); // while the commit's writes are still queued
    expect(store.refreshToken).toBeNull(); // effective at once, in memory
    await Promise.all([committing, clearing]);
    await store.flushed();
    expect(storage.snapshot()).toEqual({});
  });

  it('writes in call order, one at a time', async () => {
    const { store, storage } = await signedIn();
    storage.landed.length = 0;
    const first = store.commit(store.generation, { refreshToken: 'rt-2', accessToken: { key: '@a', entry: entry('at-a') } });
    const second = store.commit(store.generation, { refreshToken: 'rt-3', accessToken: { key: '@b', entry: entry('at-b') } });
    await Promise.all([first, second]);
    expect(storage.landed).toEqual([
      'set refreshToken',
      'remove refreshUnanswered',
      'set accessToken',
      'set refreshToken',
      'remove refreshUnanswered',
      'set accessToken',
    ]);
    expect(storage.snapshot()['refreshToken']).toBe('rt-3');
    expect(Object.keys(JSON.parse(storage.snapshot()['accessToken'] ?? '{}'))).toEqual(['@', '@a', '@b']);
  });

  it('a new sign-in replaces the whole session, cached resource tokens included', async () => {
    const { store, storage } = await signedIn();
    await store.commit(store.generation, { accessToken: { key: '@api', entry: entry('at-api') } });
    const before = store.generation;
    await store.replace({ idToken: 'id-b', refreshToken: 'rt-b', accessToken: { key: '@', entry: entry('at-b') } });
    expect(store.generation).toBe(before + 1);
    expect(store.accessToken('@api')).toBeUndefined();
    await store.flushed();
    expect(JSON.parse(storage.snapshot()['accessToken'] ?? '{}')).toEqual({ '@': entry('at-b') });
  });

  it('keeps the "refresh token may be spent" mark durably until a new refresh token is stored', async () => {
    const { store, storage } = await signedIn();
    expect(await store.markRefreshUnanswered(store.generation, true)).toBe(true);
    expect(storage.snapshot()['refreshUnanswered']).toBe('1');
    const relaunched = new SessionStore(storage, () => undefined);
    await relaunched.load();
    expect(relaunched.refreshUnanswered).toBe(true);
    await relaunched.commit(relaunched.generation, { refreshToken: 'rt-2' });
    expect(relaunched.refreshUnanswered).toBe(false);
    expect(storage.snapshot()['refreshUnanswered']).toBeUndefined();
  });

  it('logs a storage write that fails and keeps the queue going', async () => {
    const logs: string[] = [];
    const memory = createMemoryStorage();
    let failNext = true;
    const storage = {
      ...memory,
      async setItem(key: string, value: string) {
        if (failNext) {
          failNext = false;
          throw Object.assign(new Error('keychain locked'), { name: 'StorageError' });
        }
        await memory.setItem(key, value);
      },
    };
    const store = new SessionStore(storage, (level, message) => logs.push(`${level}: ${message}`));
    await expect(store.replace({ idToken: 'id-1', refreshToken: 'rt-1' })).rejects.toThrow();
    await store.commit(store.generation, { refreshToken: 'rt-2' });
    expect(memory.snapshot()['refreshToken']).toBe('rt-2');
    expect(logs.some((line) => line.startsWith('error: could not write the session to storage'))).toBe(true);
  });
});
