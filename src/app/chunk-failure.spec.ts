import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';

import type { RestoreResult } from './auth/core';
import { lazyBackend } from './auth/logto/lazy-backend';
import { AuthService } from './auth/angular';
import { provideAuthWithBackend } from './auth/angular/auth-providers';
import { FakeAuthBackend, JANE } from './auth/angular/testing/fake-auth-backend';
import { TEST_AUTH_CONFIG, untilState } from './auth/angular/testing/provide-test-auth';
import { ChunkFailure, isChunkLoadFailure } from './chunk-failure';

/** The auth machine's chunk (XState), as a browser gone offline before it arrived fails to import it. */
let mockMachineOffline = false;
jest.mock('./auth/angular/auth-actor', () => {
  if (mockMachineOffline) throw new TypeError('Failed to fetch dynamically imported module: http://localhost/chunk-M.js');
  return jest.requireActual('./auth/angular/auth-actor');
});

@Component({ template: 'signed-out screen' })
class Screen {}

/**
 * provideAuth's composition on a launch with a stored session: home is drawn from the boot read and
 * the machine waits for the first screen (held here), so it loads only when something is sent.
 */
function provideStoredSession() {
  const answer: RestoreResult = { claims: JANE, pendingSignIn: false, launchCallback: null };
  const adapter = new FakeAuthBackend({ session: JANE });
  const backend = lazyBackend(
    () => Promise.resolve(adapter),
    () => Promise.resolve(answer),
    () => undefined,
  );
  return { adapter, provider: provideAuthWithBackend(TEST_AUTH_CONFIG, () => backend) };
}

describe('ChunkFailure (a screen whose code could not be downloaded)', () => {
  afterEach(() => TestBed.resetTestingModule());

  function setup() {
    let online = false;
    TestBed.configureTestingModule({
      providers: [
        provideStoredSession().provider,
        provideRouter([
          { path: 'home', component: Screen },
          {
            path: 'sign-in',
            loadComponent: () =>
              online
                ? Promise.resolve(Screen)
                : Promise.reject(new TypeError('Failed to fetch dynamically imported module: http://localhost/chunk-X.js')),
          },
        ]),
      ],
    });
    const chunks = TestBed.inject(ChunkFailure);
    return { chunks, router: TestBed.inject(Router), goOnline: () => (online = true) };
  }

  it('recognises the browsers’ chunk-load failures and nothing else', () => {
    expect(isChunkLoadFailure(new TypeError('Failed to fetch dynamically imported module: x.js'))).toBe(true);
    expect(isChunkLoadFailure(new TypeError('Importing a module script failed.'))).toBe(true);
    expect(isChunkLoadFailure(Object.assign(new Error('Loading chunk 7 failed.'), { name: 'ChunkLoadError' }))).toBe(true);
    expect(isChunkLoadFailure(new Error('Cannot match any routes'))).toBe(false);
  });

  it('remembers the failed screen and loads it by itself when the browser is back online', async () => {
    const { chunks, router, goOnline } = setup();
    await router.navigateByUrl('/home');
    await router.navigateByUrl('/sign-in').catch(() => undefined);
    expect(chunks.failedUrl()).toBe('/sign-in');
    expect(router.url).toBe('/home');

    goOnline();
    window.dispatchEvent(new Event('online'));
    await TestBed.inject(Router).navigated;
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(router.url).toBe('/sign-in');
    expect(chunks.failedUrl()).toBeNull();
  });

  it('Retry while still offline keeps the notice; Retry once online recovers', async () => {
    const { chunks, router, goOnline } = setup();
    await router.navigateByUrl('/sign-in').catch(() => undefined);
    chunks.retry();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(chunks.failedUrl()).toBe('/sign-in');
    expect(chunks.retrying()).toBe(false);
    goOnline();
    chunks.retry();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(router.url).toBe('/sign-in');
    expect(chunks.failedUrl()).toBeNull();
  });

  it('Sign out tapped while the auth machine’s code cannot download: the notice, Retry keeps it offline, online signs out', async () => {
    const { adapter, provider } = provideStoredSession();
    TestBed.configureTestingModule({ providers: [provider, provideRouter([])] });
    const auth = TestBed.inject(AuthService);
    const chunks = TestBed.inject(ChunkFailure);
    await auth.whenSettled();
    expect(auth.isAuthenticated()).toBe(true);
    expect(chunks.failed()).toBe(false);

    mockMachineOffline = true;
    const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    auth.signOut();
    const settle = async () => {
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
    };
    await settle();
    expect(chunks.failed()).toBe(true);
    expect(auth.isAuthenticated()).toBe(true);

    chunks.retry();
    expect(chunks.retrying()).toBe(true);
    await settle();
    expect(chunks.retrying()).toBe(false);
    expect(chunks.failed()).toBe(true);
    expect(adapter.port.calls.signOut).toHaveLength(0);

    mockMachineOffline = false;
    window.dispatchEvent(new Event('online'));
    await untilState(auth, 'idle');
    expect(chunks.failed()).toBe(false);
    expect(adapter.port.calls.signOut).toHaveLength(1);
    // What the console got: a code, nothing of the session.
    expect(logged.mock.calls).toEqual([['[auth] the auth machine could not be loaded', 'unexpected_error']]);
    logged.mockRestore();
  });
});
