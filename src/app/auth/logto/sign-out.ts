import { generateSignOutUri } from '@logto/js';

import { AUTH_NOTICE_TEXT, authError } from '../core/errors';
import type { SignOutOptions, SignOutStarted } from '../core/port';
import type { CallbackVault } from './callback-admission';
import { describeError, type AuthLogger } from './error-mapping';
import { withTimeout } from './http';
import type { DiscoveryCache } from './logto-client';
import { forgetPendingSignIn } from './pending-sign-in';
import type { Revocation } from './revocation';
import type { SessionStore } from './session-store';
import type { SystemBrowser } from './system-browser';
import type { TokenStorage } from './token-storage';

export interface SignOutDeps {
  readonly storage: TokenStorage;
  readonly store: SessionStore;
  readonly vault: CallbackVault;
  readonly browser: SystemBrowser;
  readonly discovery: DiscoveryCache;
  readonly revocation: Revocation;
  readonly appId: string;
  readonly postSignOutRedirectUri: string | undefined;
  /** Bound of opening the end-session page. */
  readonly browserOpenTimeout: number;
  readonly log: AuthLogger;
}

/**
 * Sign-out: the local session first, then the refresh token's revocation (revocation.ts), then the
 * end-session page (RP-initiated logout) and its redirect back to the app.
 */
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

    const revocation = refreshToken ? await this.#deps.revocation.revoke(refreshToken) : 'revoked';
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
}
