import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';

import { ChunkFailure, isChunkLoadFailure } from './chunk-failure';

@Component({ template: 'signed-out screen' })
class Screen {}

describe('ChunkFailure (a screen whose code could not be downloaded)', () => {
  afterEach(() => TestBed.resetTestingModule());

  function setup() {
    let online = false;
    TestBed.configureTestingModule({
      providers: [
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
});
