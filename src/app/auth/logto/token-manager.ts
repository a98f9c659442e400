import { fetchTokenByRefreshToken, type Requester } from '@logto/js';

import { authError } from '../core/errors';
import type { AuthError, SessionExpiredCode } from '../core/port';
import { ORGANIZATIONS_SCOPE } from './config';
import { describeError, mapLogtoError, type AuthLogger } from './error-mapping';
import { withTimeout } from './http';
import { accessTokenKey, type AccessTokenEntry, type SessionStore } from './session-store';

export interface TokenManagerDeps {
  readonly store: SessionStore;
  /** Bounded by the network only (see `refreshRequestTimeout`): a refresh is never abandoned early. */
  readonly requester: Requester;
  readonly appId: string;
  readonly scopes: readonly string[];
  readonly getTokenEndpoint: () => Promise<string>;
  readonly verifyIdToken: (idToken: string) => Promise<void>;
  readonly refreshMargin: number;
  readonly resumeRefreshWindow: number;
  /** How long a caller waits for a token; the refresh itself goes on and stores a late answer. */
  readonly callerTimeout: number;
  readonly now: () => number;
  readonly log: AuthLogger;
  /** The session is dead and was cleared locally: tell the machine why. */
  readonly onSessionExpired: (code: SessionExpiredCode) => void;
  /** A rotated refresh token whose session ended while it was on its way: revoke it (best effort). */
  readonly discardRefreshToken: (refreshToken: string) => void;
  /**
   * A refresh whose connection failed within this long (ms) after it was sent is sent again at
   * once, with the same refresh token (default 1500; 0 = never). See `LOST_ANSWER_RETRY_WINDOW`.
   */
  readonly lostAnswerRetryWindow?: number;
  /**
   * Web: other tabs share the stored session. Renewals then run under their cross-tab lock, each
   * first adopting what another tab stored (so a rotated refresh token is never presented again),
   * and an expiry removes the stored session only if it is still this tab's (compare-and-delete).
   * Absent (native): none of this, at no cost.
   */
  readonly shared?: {
    exclusive<T>(task: () => Promise<T>): Promise<T>;
    /** Take over what another tab stored, telling the machine of a sign-out or another session. */
    adoptStored(): Promise<void>;
    /** Another tab ended the session (its reason is stored) before this one heard: tell the machine that reason. */
    endedElsewhere(): Promise<void>;
  };
}

/**
 * Logto answers a rotated refresh token presented again within 3 s of its rotation (its
 * refresh-token reuse leeway) with another new token; after 3 s it revokes the whole grant. So a
 * refresh whose answer was lost on the way back (the connection dropped after sending) is
 * recovered by sending the same token again at once — but only if the failure came quickly: the
 * server may have rotated the token at any moment after we sent it, so the time from sending to
 * the retry reaching the server must stay under 3 s. 1.5 s from sending to failing leaves 1.5 s
 * for the retry to arrive. A later retry would be no worse than the next refresh (it presents the
 * same token), but it is not made: it is no longer likely to help.
 */
export const LOST_ANSWER_RETRY_WINDOW = 1_500;

interface Job {
  readonly promise: Promise<string>;
  /** The token must stay valid at least this long (ms) or the job refreshes; raised by later joiners. */
  minValidity: number;
  started: boolean;
  refreshing: boolean;
}

type RefreshResponse = Awaited<ReturnType<typeof fetchTokenByRefreshToken>>;

const notSignedIn = (): AuthError => authError({ kind: 'session_expired', code: 'not_authenticated', step: 'session' });

/**
 * One refresh worker for every resource and organization. Refresh tokens rotate on every use,
 * so two grants in flight with the same refresh token kill the session (logto-io/js#1073):
 * all refreshes go through one queue, one grant at a time, and concurrent callers for the same
 * token share one job. Tokens are refreshed `refreshMargin` before they expire. The code
 * exchange of a new sign-in runs in the same queue (`runExclusive`).
 *
 * What it stores goes through the SessionStore, tagged with the generation it was read in: a
 * refresh whose session ended meanwhile (sign-out, expiry, another sign-in) stores nothing.
 *
 * A lost answer: a refresh whose request failed without an answer (network, the network bound)
 * may still have been processed, and with rotation the token it presented is then spent. Logto
 * still answers it within 3 s of its rotation (its reuse leeway), so a connection that failed
 * quickly is retried at once with the same token (LOST_ANSWER_RETRY_WINDOW). Otherwise the next
 * refresh must present it again (there is no other): after the leeway Logto revokes the grant,
 * and the session ends with `refresh_answer_lost`, not a generic expiry.
 */
export class TokenManager {
  readonly #deps: TokenManagerDeps;
  readonly #jobs = new Map<string, Job>();
  #queue: Promise<unknown> = Promise.resolve();

  constructor(deps: TokenManagerDeps) {
    this.#deps = deps;
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
    const { store, resumeRefreshWindow } = this.#deps;
    const soon = store.accessTokenKeys().filter((key) => {
      const entry = store.accessToken(key);
      return entry !== undefined && this.#validFor(entry) < resumeRefreshWindow;
    });
    await Promise.all(
      soon.map(async (key) => {
        const { resource, organizationId } = splitKey(key);
        try {
          await this.#request(resource, organizationId, resumeRefreshWindow);
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

  /**
   * Web: runs `task` under the other tabs' renewal lock; native (no sharing): at once. A sign-in's
   * writes go through here: a renewal of the old session in another tab, answered meanwhile, would
   * otherwise write the old person's rotated tokens over the new session (that tab has not heard of
   * the sign-in yet). Under the lock the renewal's writes land first, and the next one adopts.
   */
  acrossTabs<T>(task: () => Promise<T>): Promise<T> {
    const { shared } = this.#deps;
    return shared ? shared.exclusive(task) : task();
  }

  /** Clear the local session and tell the machine why (refresh token dead, or a second 401). */
  async expire(code: SessionExpiredCode = 'session_expired'): Promise<void> {
    const { shared } = this.#deps;
    if (shared) {
      // Memory is cleared at once (no token served); the storage only if no other tab stored a
      // newer session meanwhile — that one is adopted instead of ending in "session ended" — or
      // ended it already: then its reason is the true one (e.g. "signed out in another tab").
      const outcome = await this.#deps.store.clear({ keepNewer: true, reason: code });
      if (outcome === 'newer') await shared.adoptStored();
      else if (outcome === 'ended') await shared.endedElsewhere();
      else this.#deps.onSessionExpired(code);
      return;
    }
    // The machine hears it as soon as no token can be served any more (memory), not only once
    // the storage removals queued behind earlier writes have landed.
    const clearing = this.#deps.store.clear();
    this.#deps.onSessionExpired(code);
    await clearing;
  }

  #validFor(entry: AccessTokenEntry): number {
    return entry.expiresAt * 1000 - this.#deps.now();
  }

  #request(resource: string | undefined, organizationId: string | undefined, minValidity: number): Promise<string> {
    const res = resource || undefined;
    const org = organizationId || undefined;
    if (org && !this.#deps.scopes.includes(ORGANIZATIONS_SCOPE)) {
      return Promise.reject(authError({ kind: 'config', code: 'missing_scope_organizations', step: 'session' }));
    }
    if (this.#deps.store.refreshToken === null) return Promise.reject(notSignedIn());
    const key = accessTokenKey(res, org);
    const cached = this.#deps.store.accessToken(key);
    if (cached && this.#validFor(cached) > minValidity) return Promise.resolve(cached.token);

    const pending = this.#jobs.get(key);
    // Join a job that has not looked at the cache yet, or one that is already fetching a new token.
    const job = pending && (!pending.started || pending.refreshing) ? pending : this.#enqueue(key, res, org, minValidity);
    job.minValidity = Math.max(job.minValidity, minValidity);
    return withTimeout(job.promise, this.#deps.callerTimeout, 'token request');
  }

  #enqueue(key: string, resource: string | undefined, organizationId: string | undefined, minValidity: number): Job {
    const job: Job = { promise: Promise.resolve(''), minValidity, started: false, refreshing: false };
    const run = async (): Promise<string> => {
      job.started = true;
      const cached = this.#deps.store.accessToken(key);
      if (this.#deps.store.refreshToken !== null && cached && this.#validFor(cached) > job.minValidity) return cached.token;
      job.refreshing = true;
      const { shared } = this.#deps;
      if (!shared) return this.#refresh(key, resource, organizationId);
      return shared.exclusive(async () => {
        // Another tab may have renewed (or ended, or replaced) the session: what it stored wins
        // over this tab's memory copy, whose refresh token it may already have rotated.
        const before = this.#deps.store.accessToken(key)?.token;
        await shared.adoptStored();
        const adopted = this.#deps.store.accessToken(key);
        const fresh = adopted && adopted.token !== before ? this.#deps.refreshMargin : job.minValidity;
        if (this.#deps.store.refreshToken !== null && adopted && this.#validFor(adopted) > fresh) return adopted.token;
        return this.#refresh(key, resource, organizationId);
      });
    };
    const promise = this.#queue.then(run);
    (job as { promise: Promise<string> }).promise = promise;
    this.#queue = promise.catch(() => undefined);
    this.#jobs.set(key, job);
    const done = () => {
      if (this.#jobs.get(key) === job) this.#jobs.delete(key);
    };
    promise.then(done, done);
    return job;
  }

  async #refresh(key: string, resource: string | undefined, organizationId: string | undefined): Promise<string> {
    const { store } = this.#deps;
    // Should the session be replaced mid-refresh (a new sign-in), the new one gets a try with its own token.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const generation = store.generation;
      const refreshToken = store.refreshToken;
      if (!refreshToken) throw notSignedIn();
      const requestedAt = Math.round(this.#deps.now() / 1000);
      // Durably, before the token leaves: if no answer comes (network lost, app killed), the
      // next refresh knows this token may be spent.
      const spentBefore = store.refreshUnanswered;
      if (!(await store.markRefreshUnanswered(generation, true))) continue;
      let response: RefreshResponse;
      try {
        response = await this.#fetchRecovering(refreshToken, resource, organizationId, () => generation === store.generation);
      } catch (error) {
        if (generation !== store.generation) continue;
        throw await this.#failed(
          error instanceof RetriedAfterLostAnswer ? error.cause : error,
          generation,
          spentBefore || error instanceof RetriedAfterLostAnswer,
        );
      }
      const idToken = response.idToken ? await this.#verified(response.idToken) : undefined;
      const entry: AccessTokenEntry = {
        token: response.accessToken,
        scope: typeof response.scope === 'string' ? response.scope : '',
        expiresAt: requestedAt + response.expiresIn,
      };
      const stored = await store.commit(generation, {
        ...(response.refreshToken ? { refreshToken: response.refreshToken } : {}),
        ...(idToken ? { idToken } : {}),
        accessToken: { key, entry },
      });
      // Still the same session once the writes are done: a sign-out that began meanwhile gets no token handed out.
      if (stored && generation === store.generation) return entry.token;
      if (stored) throw notSignedIn();
      // The session ended while the answer was on its way: its rotated refresh token must not live on.
      if (response.refreshToken) this.#deps.discardRefreshToken(response.refreshToken);
    }
    throw notSignedIn();
  }

  /** The grant, sent a second time at once when the first answer was lost quickly (see LOST_ANSWER_RETRY_WINDOW). */
  async #fetchRecovering(
    refreshToken: string,
    resource: string | undefined,
    organizationId: string | undefined,
    stillCurrent: () => boolean,
  ): Promise<RefreshResponse> {
    const sentAt = this.#deps.now();
    try {
      return await this.#fetch(refreshToken, resource, organizationId);
    } catch (error) {
      const window = this.#deps.lostAnswerRetryWindow ?? LOST_ANSWER_RETRY_WINDOW;
      // Only a connection that failed (no answer at all): an answer, even an error, was not lost.
      if (mapLogtoError(error, 'session').kind !== 'network' || this.#deps.now() - sentAt >= window || !stillCurrent()) throw error;
      this.#deps.log('info', "refresh answer lost: sending the same refresh token again at once, inside the server's reuse leeway");
      try {
        return await this.#fetch(refreshToken, resource, organizationId);
      } catch (retryError) {
        throw new RetriedAfterLostAnswer(retryError);
      }
    }
  }

  async #fetch(refreshToken: string, resource?: string, organizationId?: string): Promise<RefreshResponse> {
    const tokenEndpoint = await this.#deps.getTokenEndpoint();
    return fetchTokenByRefreshToken(
      { clientId: this.#deps.appId, tokenEndpoint, refreshToken, resource, organizationId },
      this.#deps.requester,
    );
  }

  /** What a failed refresh means for the session; returns the error for the caller. */
  async #failed(error: unknown, generation: number, spentBefore: boolean): Promise<AuthError> {
    const mapped = mapLogtoError(error, 'session');
    if (mapped.kind === 'session_expired') {
      // Refused after an earlier send of this token went unanswered: that answer was lost.
      const lost = spentBefore;
      this.#deps.log('warn', `refresh token refused (${mapped.code})${lost ? ' after a lost answer' : ''}: local session cleared`);
      const code: SessionExpiredCode = lost ? 'refresh_answer_lost' : 'session_expired';
      await this.expire(code);
      return lost ? authError({ kind: 'session_expired', code, step: 'session' }) : mapped;
    }
    // Network, the network bound, server: the session stays; the caller may retry. Without an
    // answer the server may still have rotated the token: the mark stays, to tell the truth later.
    // An answered failure was not processed: back to what was known before this send.
    if (mapped.kind !== 'network' && mapped.kind !== 'timeout') await this.#deps.store.markRefreshUnanswered(generation, spentBefore);
    this.#deps.log('info', `refresh failed, session kept: ${describeError(error)}`);
    return mapped;
  }

  /** The refreshed ID token if it verifies; otherwise the previous one stays. */
  async #verified(idToken: string): Promise<string | undefined> {
    try {
      await this.#deps.verifyIdToken(idToken);
      return idToken;
    } catch (error) {
      this.#deps.log('warn', `kept the previous ID token; the refreshed one failed verification: ${describeError(error)}`);
      return undefined;
    }
  }
}

/** The retry after a lost answer failed too: the first send's answer is still unknown. */
class RetriedAfterLostAnswer extends Error {
  constructor(cause: unknown) {
    super('refresh retried after a lost answer', { cause });
  }
}

function splitKey(key: string): { resource?: string; organizationId?: string } {
  const body = key.slice(key.indexOf('@') + 1);
  const [resource, organizationId] = body.split('#');
  return { resource: resource || undefined, organizationId: organizationId || undefined };
}
