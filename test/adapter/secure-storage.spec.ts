import { jest } from '@jest/globals';

// Registered before the module under test is imported (ESM mocks cannot be hoisted).
const calls: unknown[][] = [];
const keychain = new Map<string, string>();
jest.unstable_mockModule('@aparajita/capacitor-secure-storage', () => ({
  KeychainAccess: { whenUnlockedThisDeviceOnly: 1 },
  SecureStorage: {
    set: async (...args: unknown[]) => {
      calls.push(['set', ...args]);
      keychain.set(args[0] as string, JSON.stringify(args[1]));
    },
    get: async (key: string) => (keychain.has(key) ? JSON.parse(keychain.get(key) as string) : null),
    remove: async (key: string) => keychain.delete(key),
  },
}));

const { createSecureStorage } = await import('../../src/app/auth/logto/token-storage.ts');

it('keeps device tokens in the Keychain/Keystore plugin, namespaced by app id, this-device-only', async () => {
  const storage = createSecureStorage('com.example.app');
  await storage.setItem('refreshToken', 'rt');
  expect(calls).toEqual([['set', 'com.example.app.logto.refreshToken', 'rt', false, false, 1]]);
  expect([...keychain.keys()]).toEqual(['com.example.app.logto.refreshToken']);
  expect(await storage.getItem('refreshToken')).toBe('rt');
  await storage.removeItem('refreshToken');
  expect(await storage.getItem('refreshToken')).toBeNull();
});
