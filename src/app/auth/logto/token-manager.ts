import { fetchTokenByRefreshToken, type Requester } from '@logto/js';

import type { AuthError } from '../core/port';
import { authError } from '../core/errors';
import { mapLogtoError } from './error-mapping';
import { describeError, type AuthLogger } from './auth-log';
import { ORGANIZATIONS_SCOPE } from './config';
import { SESSION_TOKEN_KEYS, StorageKey, type SessionStorage } from './session-storage';

/** One cached access token, in the SDK's storage format (`expiresAt` in seconds). */
export interface AccessTokenEntry {
  token: string;
  scope: string;
  expiresAt: number;
}

export interface TokenManagerDeps {
  readonly storage: SessionStorage;
  readonly requester: Requester;
  readonly appId: string;
  readonly scopes: readonly string[];
  readonly getTokenEndpoint: () => Promise<string>;
  readonly verifyIdToken: (idToken: string) => Promise<void>;
  /** The SDK client's own in-memory map, kept in step so the SDK never holds stale tokens. */
  readonly sdkMap: Map<string, AccessTokenEntry>;
  readonly refreshMargin: number;
  readonly resumeRefreshWindow: number;
  readonly now: () => number;
  readonly log: AuthLogger;
  /** The refresh token is dead and the local session was cleared: tell the machine. */
  readonly onSessionExpired: () => void;
}

interface Job {
  readonly promise: Promise<string>;
  /** The token must stay valid at least this long (ms) or the job refreshes; raised by later joiners. */
  minValidity: number;
  started: boolean;
  refreshing: boolean;
}

/** The SDK's `buildAccessTokenKey` (no scopes): `@<resource>` or `@<resource>#<organization>`. */
export function accessTokenKey(resource?: string, organizationId?: string): string {
  return `@${resource ?? ''}${organizationId ? `#${organizationId}` : ''}`;
}

const notSignedIn = (): AuthError => authError({ kind: 'session_expired', code: 'not_authenticated', step: 'session' });

/**
 * One refresh worker for every resource and organization. Refresh tokens rotate on every use,
 * so two grants in flight with the same refresh token kill the session (logto-io/js#1073):
 * all refreshes go through one queue, one grant at a time, and concurrent callers for the same
 * token share one job. Tokens are refreshed `refreshMargin` before they expire.
 * The code exchange of a new sign-in runs in the same queue (`runExclusive`). A `generation`
 * counter ends the life of an in-flight refresh when the session is thrown away under it
 * (sign-out, expiry, which never wait for the queue): its result is discarded.
 */
export class TokenManager {
  readonly #deps: TokenManagerDeps;
  readonly #cache = new Map<string, AccessTokenEntry>();
  readonly #jobs = new Map<string, Job>();
  #queue: Promise<unknown> = Promise.resolve();
  #generation = 0;

  constructor(deps: TokenManagerDeps) {
    this.#deps = deps;
  }

  /** Boot: load the stored access tokens (storage only). The SDK's own load runs before our storage is installed. */
  async hydrate(): Promise<void> {
    const raw = await this.#deps.storage.getItem(StorageKey.accessToken);
    this.#cache.clear();
    for (const [key, entry] of Object.entries(parseAccessTokenMap(raw))) this.#cache.set(key, entry);
    this.#mirror();
  }

  getAccessToken(resource?: string, organizationId?: string): Promise<string> {
    return this.#request(resource, organizationId, this.#deps.refreshMargin);
  }

  /** Forced refresh (an API answered 401 with the cached token). */
  refreshAccessToken(resource?: string, organizationId?: string): Promise<string> {
    return this.#request(resource, organizationId, Number.POSITIVE_INFINITY);
  }

  /** App resumed: refresh, one by one, the cached tokens that expire within the resume window. */
  async refreshAhead(): Promise<void> {
    const soon = [...this.#cache.entries()].filter(([, entry]) => this.#validFor(entry) < this.#deps.resumeRefreshWindow);
    await Promise.all(
      soon.map(async ([key]) => {
        const { resource, organizationId } = splitKey(key);
        try {
          await this.#request(resource, organizationId, this.#deps.resumeRefreshWindow);
        } catch (error) {
          this.#deps.log('info', `refresh ahead on resume failed: ${describeError(error)}`);
        }
      }),
    );
  }

  /**
   * Runs `task` in the refresh queue, alone. The code exchange goes through here: a refresh of
   * the old session finishing in the middle of it would write the old account's rotated refresh
   * token over the new one, and discarding that rotation instead would kill the old session.
   */
  runExclusive<T>(task: () => Promise<T>): Promise<T> {
    const promise = this.#queue.then(task);
    this.#queue = promise.catch(() => undefined);
    return promise;
  }

  /** A new sign-in landed (call inside `runExclusive`): its tokens replace the old session's, cached resource tokens included. */
  async adoptNewSession(): Promise<void> {
    this.#generation += 1;
    const fresh = this.#deps.sdkMap.get(accessTokenKey());
    this.#cache.clear();
    if (fresh) this.#cache.set(accessTokenKey(), { ...fresh });
    await this.#persist();
  }

  /** Sign-out or expiry: forget every token, locally. Never touches the network. */
  async clearLocalSession(): Promise<void> {
    this.#generation += 1;
    this.#cache.clear();
    this.#deps.sdkMap.clear();
    await Promise.all(SESSION_TOKEN_KEYS.map((key) => this.#deps.storage.removeItem(key)));
  }

  /** Clear the local session and tell the machine why (refresh token dead, or a second 401). */
  async expire(): Promise<void> {
    await this.clearLocalSession();
    this.#deps.onSessionExpired();
  }

  #validFor(entry: AccessTokenEntry): number {
    return entry.expiresAt * 1000 - this.#deps.now();
  }

  #request(resource: string | undefined, organizationId: string | undefined, minValidity: number): Promise<string> {
    const res = resource || undefined;
    const org = organizationId || undefined;
    if (org && !this.#deps.scopes.includes(ORGANIZATIONS_SCOPE)) {
      return Promise.reject(mapLogtoError({ name: 'LogtoClientError', code: 'missing_scope_organizations' }, 'session'));
    }
    const key = accessTokenKey(res, org);
    const cached = this.#cache.get(key);
    if (cached && this.#validFor(cached) > minValidity) return Promise.resolve(cached.token);

    const pending = this.#jobs.get(key);
    // Join a job that has not looked at the cache yet, or one that is already fetching a new token.
    if (pending && (!pending.started || pending.refreshing)) {
      pending.minValidity = Math.max(pending.minValidity, minValidity);
      return pending.promise;
    }
    return this.#enqueue(key, res, org, minValidity);
  }

  #enqueue(key: string, resource: string | undefined, organizationId: string | undefined, minValidity: number): Promise<string> {
    const job: Job = { promise: Promise.resolve(''), minValidity, started: false, refreshing: false };
    const run = async (): Promise<string> => {
      job.started = true;
      const cached = this.#cache.get(key);
      if (cached && this.#validFor(cached) > job.minValidity) return cached.token;
      job.refreshing = true;
      return this.#refresh(key, resource, organizationId);
    };
    const promise = this.#queue.then(run);
    (job as { promise: Promise<string> }).promise = promise;
    this.#queue = promise.catch(() => undefined);
    this.#jobs.set(key, job);
    const done = () => {
      if (this.#jobs.get(key) === job) this.#jobs.delete(key);
    };
    promise.then(done, done);
    return promise;
  }

  async #refresh(key: string, resource: string | undefined, organizationId: string | undefined): Promise<string> {
    // Should the session change mid-refresh anyway, the new one gets a try with its own refresh token.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const generation = this.#generation;
      const refreshToken = await this.#deps.storage.getItem(StorageKey.refreshToken);
      if (!refreshToken) throw notSignedIn();
      let response: Awaited<ReturnType<typeof fetchTokenByRefreshToken>>;
      const requestedAt = Math.round(this.#deps.now() / 1000);
      try {
        const tokenEndpoint = await this.#deps.getTokenEndpoint();
        response = await fetchTokenByRefreshToken(
          { clientId: this.#deps.appId, tokenEndpoint, refreshToken, resource, organizationId },
          this.#deps.requester,
        );
      } catch (error) {
        const mapped = mapLogtoError(error, 'session');
        if (generation !== this.#generation) continue;
        if (mapped.kind === 'session_expired') {
          this.#deps.log('warn', `refresh token refused (${mapped.code}): local session cleared`);
          await this.expire();
        } else {
          // Network, timeout, server: the session stays; the caller may retry.
          this.#deps.log('info', `refresh failed, session kept: ${describeError(error)}`);
        }
        throw mapped;
      }
      if (generation !== this.#generation) continue;
      return this.#store(key, response, requestedAt);
    }
    throw notSignedIn();
  }

  async #store(key: string, response: Awaited<ReturnType<typeof fetchTokenByRefreshToken>>, requestedAt: number): Promise<string> {
    const { storage } = this.#deps;
    // The rotated refresh token first: the old one is already spent at the server.
    if (response.refreshToken) await storage.setItem(StorageKey.refreshToken, response.refreshToken);
    const entry: AccessTokenEntry = {
      token: response.accessToken,
      scope: typeof response.scope === 'string' ? response.scope : '',
      expiresAt: requestedAt + response.expiresIn,
    };
    this.#cache.set(key, entry);
    await this.#persist();
    if (response.idToken) {
      try {
        await this.#deps.verifyIdToken(response.idToken);
        await storage.setItem(StorageKey.idToken, response.idToken);
      } catch (error) {
        this.#deps.log('warn', `kept the previous ID token; the refreshed one failed verification: ${describeError(error)}`);
      }
    }
    return entry.token;
  }

  async #persist(): Promise<void> {
    this.#mirror();
    await this.#deps.storage.setItem(StorageKey.accessToken, JSON.stringify(Object.fromEntries(this.#cache)));
  }

  #mirror(): void {
    this.#deps.sdkMap.clear();
    for (const [key, entry] of this.#cache) this.#deps.sdkMap.set(key, { ...entry });
  }
}

export function parseAccessTokenMap(raw: string | null): Record<string, AccessTokenEntry> {
  if (!raw) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null) return {};
    const result: Record<string, AccessTokenEntry> = {};
    for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
      const v = value as Partial<AccessTokenEntry> | null;
      if (v && typeof v.token === 'string' && typeof v.scope === 'string' && typeof v.expiresAt === 'number') {
        result[key] = { token: v.token, scope: v.scope, expiresAt: v.expiresAt };
      }
    }
    return result;
  } catch {
    return {};
  }
}

function splitKey(key: string): { resource?: string; organizationId?: string } {
  const body = key.slice(key.indexOf('@') + 1);
  const [resource, organizationId] = body.split('#');
  return { resource: resource || undefined, organizationId: organizationId || undefined };
}
