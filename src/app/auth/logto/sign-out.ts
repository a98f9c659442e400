import { generateSignOutUri, revoke, type Requester } from '@logto/js';

import { AUTH_NOTICE_TEXT, authError } from '../core/errors';
import type { SignOutOptions, SignOutStarted } from '../core/port';
import { describeError, type AuthLogger } from './auth-log';
import type { CallbackVault } from './callback-vault';
import type { DiscoveryCache } from './discovery-cache';
import { mapLogtoError, RequestTimeoutError } from './error-mapping';
import { forgetPendingSignIn } from './pending-sign-in';
import type { SessionStore } from './session-store';
import type { SessionStorage } from './session-storage';
import type { SystemBrowser } from './system-browser';
import { withTimeout } from './timing';

export type Revocation = 'revoked' | 'refused' | 'unreachable';

export interface SignOutDeps {
  readonly storage: SessionStorage;
  readonly store: SessionStore;
  readonly vault: CallbackVault;
  readonly browser: SystemBrowser;
  readonly discovery: DiscoveryCache;
  readonly requester: Requester;
  readonly appId: string;
  readonly postSignOutRedirectUri: string | undefined;
  readonly revocationTimeout: number;
  readonly browserOpenTimeout: number;
  readonly log: AuthLogger;
}

/** Sign-out and refresh-token revocation (RFC 7009), the end-session page (RP-initiated logout). */
export class SignOut {
  readonly #deps: SignOutDeps;
  /** The end-session page is open and its redirect back to the app has not come yet. */
  #awaitingRedirect = false;

  constructor(deps: SignOutDeps) {
    this.#deps = deps;
  }

  async signOut(options: SignOutOptions): Promise<SignOutStarted> {
    const { store, storage, log } = this.#deps;
    const refreshToken = store.refreshToken;
    // Local first, always: nothing after this line can leave the user signed in. The store
    // forgets the tokens at once; its storage removals run after any write already queued.
    try {
      await Promise.all([store.clear(), forgetPendingSignIn(storage)]);
    } catch (error) {
      log('error', `could not clear the stored session: ${describeError(error)}`);
    }
    this.#deps.vault.clear();
    this.#deps.browser.release();
    this.#awaitingRedirect = false;

    const revocation = refreshToken ? await this.revoke(refreshToken) : 'revoked';
    const { postSignOutRedirectUri } = this.#deps;
    const wantsEndSession = options.endSession !== false && Boolean(postSignOutRedirectUri);
    if (revocation === 'unreachable' && wantsEndSession) {
      // Offline: the end-session page could not load either. Signed out here; say so (the
      // machine ends in idle with a notice) instead of opening a browser error page.
      throw authError({
        kind: 'network',
        code: 'provider_unreachable',
        step: 'signOut',
        message: AUTH_NOTICE_TEXT.signOutUnreachable,
        retry: 'none',
      });
    }
    if (!wantsEndSession) return { awaitingBrowser: false };

    const url = generateSignOutUri({
      endSessionEndpoint: this.#deps.discovery.endpoint('endSessionEndpoint'),
      clientId: this.#deps.appId,
      postLogoutRedirectUri: postSignOutRedirectUri,
    });
    try {
      this.#awaitingRedirect = true;
      await withTimeout(this.#deps.browser.open(url, 'sign-out'), this.#deps.browserOpenTimeout, 'browser');
      return { awaitingBrowser: true };
    } catch (error) {
      this.#awaitingRedirect = false;
      this.#deps.browser.release();
      log('warn', `could not open the end-session page: ${describeError(error)}`);
      return { awaitingBrowser: false };
    }
  }

  /** The sign-out redirect arrived: true once, if the end-session page was opened for it. */
  takeRedirect(): boolean {
    const awaited = this.#awaitingRedirect;
    this.#awaitingRedirect = false;
    if (awaited) this.#deps.browser.release();
    return awaited;
  }

  /** A sign-in started: no sign-out redirect is expected any more. */
  forgetRedirect(): void {
    this.#awaitingRedirect = false;
  }

  /**
   * Best effort, bounded by revocationTimeout; never rejects. Says whether the provider could be
   * reached at all, so sign-out does not send the person to an end-session page that cannot load.
   */
  async revoke(refreshToken: string): Promise<Revocation> {
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
