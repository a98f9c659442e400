import type { EnvironmentProviders } from '@angular/core';
import { waitFor } from 'xstate';

import type { AuthConfig } from '../auth-config';
import { provideAuthWithBackend } from '../auth-providers';
import type { AuthService } from '../auth-service';
import type { FakeAuthBackend } from './fake-auth-backend';

export const TEST_AUTH_CONFIG: AuthConfig = {
  endpoint: 'http://localhost:3001',
  appId: 'bookstore-test',
  redirectUris: {
    native: { signIn: 'com.example.app://callback', signOut: 'com.example.app://callback/sign-out' },
    web: { signIn: 'http://localhost:8100/callback', signOut: 'http://localhost:8100/callback/sign-out' },
  },
  scopes: ['email'],
  resources: ['https://api.bookstore.local'],
  apis: [{ urlPrefix: 'http://localhost:3002/', resource: 'https://api.bookstore.local' }],
  storageNamespace: 'com.example.app',
};

/** The real binding and the real machine over a fake backend. */
export function provideTestAuth(backend: FakeAuthBackend, config: Partial<AuthConfig> = {}): EnvironmentProviders {
  return provideAuthWithBackend({ ...TEST_AUTH_CONFIG, ...config }, () => backend);
}

/** Resolves once the machine is in `state` (or a sub-state of it). */
export async function untilState(auth: AuthService, state: string): Promise<void> {
  await auth.machine();
  await waitFor(auth.actor, (snapshot) => snapshot.matches(state as never) || snapshot.status !== 'active', {
    timeout: 2_000,
  });
  if (!auth.actor.getSnapshot().matches(state as never)) throw new Error(`expected auth state ${state}, got ${auth.state()}`);
}
