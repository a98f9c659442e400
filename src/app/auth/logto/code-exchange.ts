import { decodeIdToken, fetchTokenByAuthorizationCode, verifyAndParseCodeFromCallbackUri, type Requester } from '@logto/js';

import { authError } from '../core/errors';
import type { CallbackRef, IdTokenClaims } from '../core/port';
import type { CallbackVault } from './callback-admission';
import { describeError, mapLogtoError, type AuthLogger } from './error-mapping';
import { forgetPendingSignIn, readSignInSession } from './pending-sign-in';
import { accessTokenKey, type SessionStore } from './session-store';
import type { TokenManager } from './token-manager';
import type { TokenStorage } from './token-storage';

export interface CodeExchangeDeps {
  /** Where the SDK's `signInSession` and our pending-sign-in record live. */
  readonly storage: TokenStorage;
  readonly store: SessionStore;
  readonly tokens: TokenManager;
  readonly vault: CallbackVault;
  /** Bounded by the network only: the machine owns the exchange's deadline, and a code is single-use. */
  readonly requester: Requester;
  readonly appId: string;
  readonly getTokenEndpoint: () => Promise<string>;
  readonly verifyIdToken: (idToken: string) => Promise<void>;
  /** Revokes the previous person's refresh token after a switch of account (revocation.ts; never rejects). */
  readonly revoke: (refreshToken: string) => Promise<unknown>;
  readonly now: () => number;
  readonly log: AuthLogger;
}

/**
 * The authorization-code exchange of an admitted callback (the SDK's `handleSignInCallback`,
 * step for step, with @logto/js), storing the new session through the SessionStore. Idempotent
 * per ref: a RETRY after the machine gave up on a slow exchange joins the one in flight, and
 * after success returns the claims it stored (a code is never exchanged twice).
 */
export class CodeExchange {
  readonly #deps: CodeExchangeDeps;

  constructor(deps: CodeExchangeDeps) {
    this.#deps = deps;
  }

  async complete(ref: CallbackRef): Promise<IdTokenClaims> {
    const { vault } = this.#deps;
    const entry = vault.entry(ref);
    if (!entry || (entry.url === null && !entry.claims)) {
      throw authError({ kind: 'invalid_callback', code: 'callback_not_found', step: 'callback' });
    }
    if (entry.claims) return entry.claims;
    if (!entry.attempt) {
      const attempt = this.#deps.tokens.runExclusive(() => this.#exchange(entry.url as string));
      entry.attempt = attempt;
      attempt.then(
        (claims) => {
          entry.claims = claims;
          vault.seal(ref);
        },
        async (error: unknown) => {
          entry.attempt = undefined;
          // Final (refused, replayed, expired code): nothing can complete this sign-in any more.
          if (mapLogtoError(error, 'callback').retry !== 'sameCallback') {
            vault.seal(ref);
            await forgetPendingSignIn(this.#deps.storage).catch(() => undefined);
          }
        },
      );
    }
    try {
      return await (entry.attempt as Promise<IdTokenClaims>);
    } catch (error) {
      const mapped = mapLogtoError(error, 'callback');
      this.#deps.log('warn', `sign-in callback failed: ${describeError(mapped)}`);
      throw mapped;
    }
  }

  async #exchange(callbackUrl: string): Promise<IdTokenClaims> {
    const { storage, store } = this.#deps;
    const session = await readSignInSession(storage);
    if (!session) throw authError({ kind: 'invalid_callback', code: 'sign_in_session.not_found', step: 'callback' });
    const code = verifyAndParseCodeFromCallbackUri(callbackUrl, session.redirectUri, session.state);
    const tokenEndpoint = await this.#deps.getTokenEndpoint();
    const requestedAt = Math.round(this.#deps.now() / 1000);
    const response = await fetchTokenByAuthorizationCode(
      { clientId: this.#deps.appId, tokenEndpoint, redirectUri: session.redirectUri, codeVerifier: session.codeVerifier, code },
      this.#deps.requester,
    );
    await this.#deps.verifyIdToken(response.idToken);
    const claims = decodeIdToken(response.idToken) as IdTokenClaims;
    const previous = this.#previousPerson();
    // Only the writes under the tabs' lock (the exchange itself needs none): see acrossTabs.
    await this.#deps.tokens.acrossTabs(() =>
      store.replace({
        idToken: response.idToken,
        ...(response.refreshToken ? { refreshToken: response.refreshToken } : {}),
        accessToken: {
          key: accessTokenKey(),
          entry: { token: response.accessToken, scope: response.scope ?? '', expiresAt: requestedAt + response.expiresIn },
        },
      }),
    );
    await forgetPendingSignIn(storage);
    // Switched account: the previous person's grant outlives the provider's logout
    // (offline_access), so revoke it rather than leave a live token nobody holds.
    // Not for the same person: their new tokens may share the old grant.
    if (previous && previous.sub !== claims.sub) void this.#deps.revoke(previous.refreshToken);
    return claims;
  }

  /** The stored session's person and refresh token, or null when there is no usable session. */
  #previousPerson(): { sub: string; refreshToken: string } | null {
    const { idToken, refreshToken } = this.#deps.store;
    if (!idToken || !refreshToken) return null;
    try {
      const { sub } = decodeIdToken(idToken);
      return sub ? { sub, refreshToken } : null;
    } catch {
      return null;
    }
  }
}
