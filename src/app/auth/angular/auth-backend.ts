import { InjectionToken } from '@angular/core';

import type { LogtoAuth } from '../logto';

/**
 * What the Angular binding needs below it: the machine's port plus the token operations.
 * `createLogtoAuth()` returns exactly this shape (type-only import: the adapter stays lazy);
 * unit tests provide one built on core's fake port.
 */
export type AuthBackend = LogtoAuth;

export const AUTH_BACKEND = new InjectionToken<AuthBackend>('AUTH_BACKEND');
