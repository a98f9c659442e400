import { revoke, type Requester } from '@logto/js';

import { mapLogtoError, type AuthLogger } from './error-mapping';
import { RequestTimeoutError, withTimeout } from './http';
import type { DiscoveryCache } from './logto-client';

/** What a revocation attempt found out about the provider. */
export type RevocationOutcome = 'revoked' | 'refused' | 'unreachable';

export interface RevocationDeps {
  readonly discovery: DiscoveryCache;
  readonly requester: Requester;
  readonly appId: string;
  readonly revocationTimeout: number;
  readonly log: AuthLogger;
}

/**
 * Revoking a refresh token nobody will use any more (RFC 7009), best effort. Three callers:
 * sign-out (the person's own token), the token manager (a rotated token that lost its race with a
 * sign-out) and the code exchange (the previous person's token after an account switch: the
 * provider keeps an `offline_access` grant alive through its logout).
 */
export class Revocation {
  readonly #deps: RevocationDeps;

  constructor(deps: RevocationDeps) {
    this.#deps = deps;
  }

  /**
   * Best effort, bounded by revocationTimeout; never rejects. Says whether the provider could be
   * reached at all, so sign-out does not send the person to an end-session page that cannot load.
   */
  async revoke(refreshToken: string): Promise<RevocationOutcome> {
    const revoking = revoke(this.#deps.discovery.endpoint('revocationEndpoint'), this.#deps.appId, refreshToken, this.#deps.requester);
    try {
      await withTimeout(revoking, this.#deps.revocationTimeout);
      return 'revoked';
    } catch (error) {
      const timedOut = error instanceof RequestTimeoutError;
      this.#deps.log('info', `refresh-token revocation ${timedOut ? 'timed out' : 'failed'} (best effort, ignored)`);
      return timedOut || mapLogtoError(error, 'signOut').kind === 'network' ? 'unreachable' : 'refused';
    }
  }
}
