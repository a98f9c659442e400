import { type EnvironmentProviders, inject, makeEnvironmentProviders, provideEnvironmentInitializer } from '@angular/core';

import { AUTH_BACKEND, type AuthBackend } from './auth-backend';
import { AUTH_CONFIG, type AuthConfig } from './auth-config';
import { AuthService } from './auth-service';

/**
 * The binding without a particular backend: provideAuth() passes the Logto one, unit tests
 * a fake. The machine starts from an environment initializer: synchronously at bootstrap,
 * without an APP_INITIALIZER, so the first paint never waits for storage or the network.
 */
export function provideAuthWithBackend(config: AuthConfig, backend: () => AuthBackend): EnvironmentProviders {
  return makeEnvironmentProviders([
    { provide: AUTH_CONFIG, useValue: config },
    { provide: AUTH_BACKEND, useFactory: backend },
    AuthService,
    provideEnvironmentInitializer(() => inject(AuthService).start()),
  ]);
}
