import { DOCUMENT, type EnvironmentProviders, inject } from '@angular/core';
import { NavigationCancel, NavigationEnd, NavigationError, Router } from '@angular/router';
import { Capacitor } from '@capacitor/core';

import type { RestoreResult } from '../core';
import type { LogtoAuthConfig } from '../logto';
import { lazyBackend, whenIdle } from '../logto/lazy-backend';
import { readBootSession } from '../logto/restore-decision';
import { defaultTokenStorage } from '../logto/token-storage';
import { apiPrefixesFor } from './api-prefixes';
import type { AuthBackend } from './auth-backend';
import { type AuthConfig, webRedirectUris } from './auth-config';
import { provideAuthWithBackend } from './auth-providers';

/** The adapter's configuration for the platform the app runs on. */
export function logtoConfigFor(config: AuthConfig, native: boolean, origin: string): LogtoAuthConfig {
  const redirect = native ? config.redirectUris.native : webRedirectUris(config.redirectUris.web, origin);
  return {
    endpoint: config.endpoint,
    appId: config.appId,
    platform: native ? 'native' : 'web',
    redirectUri: redirect.signIn,
    postSignOutRedirectUri: redirect.signOut,
    scopes: config.scopes,
    resources: config.resources,
    storageNamespace: config.storageNamespace,
  };
}

/**
 * When the adapter may load after a restore answered from storage: once the first navigation has
 * ended and two frames were drawn (the first screen is on it), when the page is idle; at the
 * latest after 5 s. An idle callback alone fires in the gaps while home's chunks download, which
 * put the adapter's parsing back before the first screen.
 */
function afterFirstScreen(router: Router | null): (task: () => void) => void {
  return (task) => {
    let done = false;
    const run = () => {
      if (done) return;
      done = true;
      task();
    };
    setTimeout(run, 5_000);
    const drawn = () => requestAnimationFrame(() => requestAnimationFrame(() => whenIdle(run)));
    if (!router || router.navigated) {
      drawn();
      return;
    }
    const subscription = router.events.subscribe((event) => {
      if (event instanceof NavigationEnd || event instanceof NavigationCancel || event instanceof NavigationError) {
        subscription.unsubscribe();
        drawn();
      }
    });
  };
}

/**
 * The launch with a stored session and nothing in flight, from storage only (`readBootSession`,
 * logto/restore.ts, over the adapter's default storage). In the initial bundle on purpose: as lazy
 * chunks it was a chain of three downloads, each waiting for the main thread while Angular booted,
 * ≈ 1 s before storage was even asked on a throttled phone (docs/benchmarks.md).
 */
async function readStoredBootSession(config: AuthConfig): Promise<RestoreResult | null> {
  // async: storage that throws (blocked) becomes a rejection, and the full restore then runs.
  return readBootSession(defaultTokenStorage(config.storageNamespace, Capacitor.isNativePlatform() ? 'native' : 'web'));
}

/**
 * Starts the boot read at once (provideAuth runs while main.js evaluates, before Angular has
 * bootstrapped): storage answers while Angular, Ionic and the router start, instead of after
 * them when the machine's restore asks (docs/benchmarks.md).
 * The first restore takes this read; any later one (another injector, tests) reads afresh.
 */
function earlyBootRead(config: AuthConfig): () => Promise<RestoreResult | null> {
  let early: Promise<RestoreResult | null> | null = readStoredBootSession(config);
  // Never used (an app that does not start the machine): not an unhandled rejection.
  early.catch(() => undefined);
  return () => {
    const read = early ?? readStoredBootSession(config);
    early = null;
    return read;
  };
}

async function createLogtoBackend(config: AuthConfig, origin: string): Promise<AuthBackend> {
  const { createLogtoAuth } = await import('../logto');
  return createLogtoAuth(logtoConfigFor(config, Capacitor.isNativePlatform(), origin));
}

/**
 * Sign-in for the app: the auth machine (auth/core) over the Logto adapter (auth/logto), its
 * signals in AuthService, started at bootstrap. This file is the one place that composes the
 * two; tests use provideAuthWithBackend() with a fake backend instead.
 * The adapter and the Logto SDK are loaded lazily (see lazyBackend), and so are XState and the
 * machine (AuthService, auth-actor.ts): the initial bundle holds the binding and the boot reader
 * (storage, the restore decision, the ID-token decoder).
 */
export function provideAuth(config: AuthConfig): EnvironmentProviders {
  // Parse the API prefixes once, at start-up: a bad one stops the app here, named.
  apiPrefixesFor(config.apis);
  const bootRead = earlyBootRead(config);
  return provideAuthWithBackend(config, () => {
    const origin = inject(DOCUMENT).location.origin;
    const router = inject(Router, { optional: true });
    const drawn = afterFirstScreen(router);
    // Once the first screen is drawn the machine loads, and its restore then asks for the adapter:
    // the adapter's code starts downloading now too, not after the machine's, so platform events
    // (a sign-out in another tab) are heard as soon as before XState left the initial bundle.
    const later = (task: () => void) =>
      drawn(() => {
        import('../logto').catch(() => undefined);
        task();
      });
    return lazyBackend(() => createLogtoBackend(config, origin), bootRead, later);
  });
}
