import { DOCUMENT, type EnvironmentProviders, inject } from '@angular/core';

import type { LogtoAuthConfig } from '../logto';
import { apiPrefixesFor } from './api-prefixes';
import type { AuthBackend } from './auth-backend';
import { type AuthConfig, webRedirectUris } from './auth-config';
import { provideAuthWithBackend } from './auth-providers';
import { lazyBackend } from './lazy-backend';

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

async function createLogtoBackend(config: AuthConfig, origin: string): Promise<AuthBackend> {
  const [{ createLogtoAuth }, { Capacitor }] = await Promise.all([import('../logto'), import('@capacitor/core')]);
  return createLogtoAuth(logtoConfigFor(config, Capacitor.isNativePlatform(), origin));
}

/**
 * Sign-in for the app: the auth machine (auth/core) over the Logto adapter (auth/logto), its
 * signals in AuthService, started at bootstrap. This file is the one place that composes the
 * two; tests use provideAuthWithBackend() with a fake backend instead.
 * The adapter and the Logto SDK are loaded lazily (see lazyBackend): the initial bundle holds
 * only the machine and the binding.
 */
export function provideAuth(config: AuthConfig): EnvironmentProviders {
  // Parse the API prefixes once, at start-up: a bad one stops the app here, named.
  apiPrefixesFor(config.apis);
  return provideAuthWithBackend(config, () => {
    const origin = inject(DOCUMENT).location.origin;
    return lazyBackend(() => createLogtoBackend(config, origin));
  });
}
