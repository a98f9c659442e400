import { createMemoryStorage, createWebFallbackStorage } from '../../src/app/auth/logto/index.ts';
import { StorageKey } from '../../src/app/auth/logto/token-storage.ts';
import { FakeIdp } from '../support/fake-idp.ts';
import { createHarness, nativeShell, type Harness } from './harness.ts';
import { RESOURCES } from '../support/constants.ts';

let h: Harness | undefined;
afterEach(() => h?.auth.dispose());
beforeEach(() => nativeShell.reset());

describe('migration from Preferences', () => {
  it('moves the tokens an older install left in Preferences, deletes them there, and uses them', async () => {
    const idp = await FakeIdp.start();
    const session = await idp.issueSession('user-1', 'jane@example.com', { [RESOURCES[0]]: 3600 });
    nativeShell.preferences.set('idToken', session.idToken);
    nativeShell.preferences.set('refreshToken', session.refreshToken);
    nativeShell.preferences.set('accessToken', JSON.stringify(session.accessTokenMap));
    nativeShell.preferences.set('unrelated', 'kept');
    const storage = createMemoryStorage();
    h = await createHarness({ idp, storage });

    expect((await h.auth.port.restore()).claims?.sub).toBe('user-1');
    expect([...nativeShell.preferences.keys()]).toEqual(['unrelated']);
    expect(await storage.getItem(StorageKey.refreshToken)).toBe(session.refreshToken);
    // The migrated access token is used as is: no refresh grant.
    expect(await h.auth.getAccessToken(RESOURCES[0])).toBe(session.accessTokenMap[`@${RESOURCES[0]}`].token);
    expect(idp.counters.tokenRequests).toBe(0);
  });

  it('runs once: a value that reappears in Preferences later is not copied over the session', async () => {
    const idp = await FakeIdp.start();
    const storage = createMemoryStorage();
    h = await createHarness({ idp, storage });
    await h.auth.port.restore();
    h.auth.dispose();
    nativeShell.preferences.set('refreshToken', 'legacy');
    h = await createHarness({ idp, storage });
    await h.auth.port.restore();
    expect(await storage.getItem(StorageKey.refreshToken)).toBeNull();
    expect(nativeShell.preferences.get('refreshToken')).toBe('legacy');
  });

  it('keeps a newer value of ours and gives a migrated pending sign-in an age', async () => {
    const idp = await FakeIdp.start();
    nativeShell.preferences.set('refreshToken', 'legacy');
    nativeShell.preferences.set(
      'signInSession',
      JSON.stringify({ redirectUri: 'com.example.app://callback', codeVerifier: 'v', state: 's' }),
    );
    const storage = createMemoryStorage({ [StorageKey.refreshToken]: 'newer' });
    h = await createHarness({ idp, storage });
    expect((await h.auth.port.restore()).pendingSignIn).toBe(true);
    expect(await storage.getItem(StorageKey.refreshToken)).toBe('newer');
    expect(nativeShell.preferences.size).toBe(0);
  });
});

describe('storage back-ends', () => {
  it('namespaces the web fallback in localStorage by app id', async () => {
    const data = new Map<string, string>();
    const local = {
      getItem: (key: string) => data.get(key) ?? null,
      setItem: (key: string, value: string) => void data.set(key, value),
      removeItem: (key: string) => void data.delete(key),
    } as Storage;
    const storage = createWebFallbackStorage('com.example.app', local);
    await storage.setItem('idToken', 'x');
    expect([...data.keys()]).toEqual(['com.example.app:logto:idToken']);
    expect(await storage.getItem('idToken')).toBe('x');
    await storage.removeItem('idToken');
    expect(data.size).toBe(0);
  });
});
