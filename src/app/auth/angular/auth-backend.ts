import { InjectionToken } from '@angular/core';

import type { AuthBackend as LazyAuthBackend } from '../logto/lazy-backend';

/**
 * What the Angular binding needs below it: the machine's port plus the token operations.
 * `createLogtoAuth()` returns this shape (type-only import: the adapter stays lazy); provideAuth's
 * lazy backend adds `boot` (the storage-only answer of the launch, before anything loads); unit
 * tests provide one built on core's fake port.
 */
export type AuthBackend = LazyAuthBackend;

export const AUTH_BACKEND = new InjectionToken<AuthBackend>('AUTH_BACKEND');
