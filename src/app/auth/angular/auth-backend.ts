import { InjectionToken } from '@angular/core';

import type { AuthPort } from '../core';

/**
 * What the Angular binding needs below it: the machine's port plus the token operations.
 * `createLogtoAuth()` returns exactly this shape; unit tests provide one built on core's fake port.
 */
export interface AuthBackend {
  readonly port: AuthPort;
  getAccessToken(resource?: string, organizationId?: string): Promise<string>;
  /** Forced refresh, used once after an API answered 401. */
  refreshAccessToken(resource?: string, organizationId?: string): Promise<string>;
  /** Clears the local session and makes the machine report `session_expired`. */
  expireSession(): Promise<void>;
  fetchUserInfo(): Promise<Record<string, unknown>>;
  dispose(): void;
}

export const AUTH_BACKEND = new InjectionToken<AuthBackend>('AUTH_BACKEND');
