import { authError, type AuthError, defaultRetryPolicy, type IdTokenClaims } from '../../core';
import { FakeAuthPort, type FakeAuthPortOptions } from '../../core/testing/fake-port';
import type { AuthBackend } from '../auth-backend';

export const JANE: IdTokenClaims = Object.freeze({
  sub: 'user-jane',
  name: 'Jane Doe',
  email: 'jane@example.com',
  picture: 'https://example.com/jane.png',
  iss: 'http://localhost:3001/oidc',
  aud: 'bookstore-test',
  iat: 1_700_000_000,
});

function defaultRetryOrRedirect(kind: AuthError['kind'], step: AuthError['step']): AuthError['retry'] {
  const policy = defaultRetryPolicy(kind, step);
  return policy === 'none' ? 'newRedirect' : policy;
}

export function authErrorOf(kind: AuthError['kind'], step: AuthError['step'] = 'callback', message = `A ${kind} error.`): AuthError {
  // Everything but a misconfiguration can be retried, as in the adapter's most forgiving cases.
  return authError({ kind, code: `test_${kind}`, step, message, retry: kind === 'config' ? 'none' : defaultRetryOrRedirect(kind, step) });
}

/** A value, an AuthError to reject with, or a promise the test settles. */
type Answer<T> = T | AuthError | Promise<T>;

function answer<T>(value: Answer<T>): Promise<T> {
  if (value instanceof Promise) return value;
  if (typeof value === 'object' && value !== null && 'kind' in value && 'step' in value) return Promise.reject(value);
  return Promise.resolve(value as T);
}

/**
 * The backend of the Angular binding's unit tests: core's scriptable FakeAuthPort (the real
 * machine runs on it) plus scripted token operations. `port.emit()` / `port.completeBrowserSignIn()`
 * play native code delivering a deep link: a plain function call outside anything Angular knows about.
 * Free of Jest globals: it is compiled with the app's sources.
 */
export class FakeAuthBackend implements AuthBackend {
  readonly port: FakeAuthPort;

  accessTokens: (resource: string | undefined) => Answer<string> = (resource) => `token-${resource ?? 'default'}-1`;
  refreshedTokens: (resource: string | undefined) => Answer<string> = (resource) => `token-${resource ?? 'default'}-2`;
  userInfoWith: Answer<Record<string, unknown>> = { sub: JANE.sub, name: 'Jane Doe', email: 'jane@example.com' };

  readonly calls = {
    getAccessToken: [] as (string | undefined)[],
    refreshAccessToken: [] as (string | undefined)[],
    expireSession: 0,
    fetchUserInfo: 0,
    disposed: 0,
  };

  constructor(options: FakeAuthPortOptions = {}) {
    this.port = new FakeAuthPort({ nextClaims: JANE, ...options });
  }

  getAccessToken(resource?: string): Promise<string> {
    this.calls.getAccessToken.push(resource);
    return answer(this.accessTokens(resource));
  }

  refreshAccessToken(resource?: string): Promise<string> {
    this.calls.refreshAccessToken.push(resource);
    return answer(this.refreshedTokens(resource));
  }

  /** Like the Logto adapter: local session cleared, SESSION_EXPIRED sent to the machine. */
  expireSession(): Promise<void> {
    this.calls.expireSession++;
    this.port.expireSession();
    return Promise.resolve();
  }

  fetchUserInfo(): Promise<Record<string, unknown>> {
    this.calls.fetchUserInfo++;
    return answer(this.userInfoWith);
  }

  dispose(): void {
    this.calls.disposed++;
  }
}

/** A promise the test settles by hand. */
export function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(reason: unknown): void } {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
