import { TestBed } from '@angular/core/testing';

import { apiRouteFor, webRedirectUris } from './auth-config';
import { AuthService } from './auth-service';
import { logtoConfigFor, provideAuth } from './provide-auth';
import { TEST_AUTH_CONFIG, untilState } from './testing/provide-test-auth';

describe('provideAuth configuration', () => {
  it('gives the adapter the custom-scheme redirect URIs on a device', () => {
    const config = logtoConfigFor(TEST_AUTH_CONFIG, true, 'capacitor://localhost');
    expect(config).toMatchObject({
      platform: 'native',
      redirectUri: 'com.example.app://callback',
      postSignOutRedirectUri: 'com.example.app://callback/sign-out',
      endpoint: 'http://localhost:3001',
      appId: 'bookstore-test',
      storageNamespace: 'com.example.app',
      scopes: ['email'],
      resources: ['https://api.bookstore.local'],
    });
  });

  it('gives the adapter the web redirect URIs in a browser', () => {
    const config = logtoConfigFor(TEST_AUTH_CONFIG, false, 'http://localhost:8100');
    expect(config).toMatchObject({
      platform: 'web',
      redirectUri: 'http://localhost:8100/callback',
      postSignOutRedirectUri: 'http://localhost:8100/callback/sign-out',
    });
  });

  it('keeps the web redirect paths on the origin the app is served from', () => {
    expect(webRedirectUris(TEST_AUTH_CONFIG.redirectUris.web, 'http://127.0.0.1:4321')).toEqual({
      signIn: 'http://127.0.0.1:4321/callback',
      signOut: 'http://127.0.0.1:4321/callback/sign-out',
    });
  });

  it('routes a URL to the API whose prefix it starts with, and nothing else', () => {
    const apis = [
      { urlPrefix: 'http://localhost:3002/', resource: 'bookstore' },
      { urlPrefix: 'http://localhost:3002/reviews/', resource: 'reviews' },
    ];
    expect(apiRouteFor(apis, 'http://localhost:3002/bookshelf')?.resource).toBe('bookstore');
    expect(apiRouteFor(apis, 'http://localhost:3002/reviews/1')?.resource).toBe('reviews');
    expect(apiRouteFor(apis, 'http://localhost:30020/bookshelf')).toBeUndefined();
    expect(apiRouteFor(undefined, 'http://localhost:3002/bookshelf')).toBeUndefined();
  });
});

/** A stored web session as the adapter leaves it (the web fallback's keys), with an unsigned ID token. */
function storeSession(namespace: string, email: string): void {
  const payload = btoa(
    JSON.stringify({ iss: 'http://localhost:3001/oidc', sub: 'u1', aud: 'bookstore-test', exp: 2e9, iat: 1.7e9, email }),
  );
  localStorage.setItem(`${namespace}:logto:idToken`, `e30.${payload.replace(/=+$/, '')}.sig`);
  localStorage.setItem(`${namespace}:logto:refreshToken`, 'r'.repeat(43));
  localStorage.setItem(`${namespace}:logto:legacyMigrated`, '1');
}

describe('provideAuth at launch', () => {
  afterEach(() => {
    TestBed.resetTestingModule();
    localStorage.clear();
  });

  it('restores a stored session from the read started before Angular bootstrapped, without the network', async () => {
    storeSession(TEST_AUTH_CONFIG.storageNamespace, 'jane@example.com');
    const fetchSpy = jest.fn(() => Promise.reject(new TypeError('no network in this test')));
    const originalFetch = globalThis.fetch;
    globalThis.fetch = fetchSpy as unknown as typeof fetch;
    try {
      const providers = provideAuth(TEST_AUTH_CONFIG);
      TestBed.configureTestingModule({ providers: [providers] });
      const auth = TestBed.inject(AuthService);
      await untilState(auth, 'authenticated');
      expect(auth.claims()?.['email']).toBe('jane@example.com');
      expect(fetchSpy).not.toHaveBeenCalled();
    } finally {
      globalThis.fetch = originalFetch;
    }
  });

  it('uses the early read once: a later start (another injector) reads storage afresh, so a signed-out session does not come back', async () => {
    storeSession(TEST_AUTH_CONFIG.storageNamespace, 'jane@example.com');
    const providers = provideAuth(TEST_AUTH_CONFIG);
    TestBed.configureTestingModule({ providers: [providers] });
    await untilState(TestBed.inject(AuthService), 'authenticated');
    TestBed.resetTestingModule();

    localStorage.clear(); // signed out meanwhile
    TestBed.configureTestingModule({ providers: [providers] });
    const again = TestBed.inject(AuthService);
    await untilState(again, 'idle');
    expect(again.claims()).toBeNull();
  });
});

describe('provideAuth with the real Logto adapter', () => {
  afterEach(() => {
    TestBed.resetTestingModule();
    localStorage.clear();
    jest.restoreAllMocks();
  });

  it('boots to idle from empty storage without the network, and reports an unreachable server as a network error', async () => {
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const fetchSpy = jest.fn(() => Promise.reject(new TypeError('no network in this test')));
    const originalFetch = globalThis.fetch;
    globalThis.fetch = fetchSpy as unknown as typeof fetch;
    try {
      TestBed.configureTestingModule({ providers: [provideAuth(TEST_AUTH_CONFIG)] });
      const auth = TestBed.inject(AuthService);
      await untilState(auth, 'idle');
      // Restore really ran (a failed restore also ends in idle, through xstate.error.actor.restore).
      expect(auth.recorder.entries().at(-1)).toMatchObject({ event: 'xstate.done.actor.restore', from: 'booting', to: 'idle' });
      expect(document.documentElement.getAttribute('data-auth-state')).toBe('idle');
      expect(fetchSpy).not.toHaveBeenCalled();

      // Sign-in needs the identity server: unreachable, it is a network error, not a hang.
      auth.signIn();
      await untilState(auth, 'error');
      expect(auth.error()).toMatchObject({ kind: 'network', retry: 'newRedirect' });
      expect(fetchSpy).toHaveBeenCalled();
    } finally {
      globalThis.fetch = originalFetch;
    }
  });
});
