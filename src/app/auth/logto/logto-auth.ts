import { fetchUserInfo, type Requester } from '@logto/js';

import type { AuthPort, AuthStep, PlatformEvent, RestoreResult, SignOutOptions, SignOutStarted } from '../core/port';
import { createNativeAppSignals, createWebAppSignals, PlatformEventHub, type AppSignals } from './app-signals';
import { CallbackAdmission, CallbackVault } from './callback-admission';
import { CodeExchange } from './code-exchange';
import { resolveDeps, resolveTimers, type LogtoAuthConfig, type LogtoAuthDeps } from './config';
import { describeError, mapLogtoError } from './error-mapping';
import { createTimedRequester, statusOf } from './http';
import { createIdTokenVerifier } from './id-token';
import { createAdapterClient, DiscoveryCache, startBaseSignIn, type AdapterLogtoClient } from './logto-client';
import { isRedirectTo, parseUrl } from './redirect-uri';
import { migrateLegacyPreferences, restoreSession } from './restore';
import { Revocation } from './revocation';
import { decodeIdTokenClaims } from './restore-decision';
import { parseSessionEnd, SessionStore, type Adoption } from './session-store';
import { SignInStart } from './sign-in-start';
import { SignOut } from './sign-out';
import { createNativeBrowser, createWebBrowser, type SystemBrowser } from './system-browser';
import { TokenManager } from './token-manager';
import { StorageKey } from './token-storage';

export type { LogtoAuthDeps } from './config';
export type { PageEventTarget } from './system-browser';

export interface LogtoAuth {
  readonly port: AuthPort;
  getAccessToken(resource?: string, organizationId?: string): Promise<string>;
  /** Forced refresh, used once after an API answered 401. */
  refreshAccessToken(resource?: string, organizationId?: string): Promise<string>;
  /** Clears the local session and makes the machine report `session_expired`. */
  expireSession(): Promise<void>;
  fetchUserInfo(): Promise<Record<string, unknown>>;
  /**
   * Web, lazily loaded: the app's first screen showed `subject` (null: nobody), read from storage
   * before this adapter existed. If the session this adapter loaded is another person's (a sign-in
   * or switch in another tab meanwhile), the machine hears it as news of that tab (`SESSION_ADOPTED`).
   */
  reconcileShown?(subject: string | null): void;
  dispose(): void;
}

export function createLogtoAuth(config: LogtoAuthConfig, deps?: Partial<LogtoAuthDeps>): LogtoAuth {
  if (!parseUrl(config.redirectUri)) throw new TypeError('LogtoAuthConfig.redirectUri is not a valid URL.');
  return new LogtoAuthAdapter(config, resolveDeps(config, deps ?? {}));
}

/**
 * The port over the real SDK. The constructor is the one place the seams are built and wired to
 * each other (docs/logto-adapter.md has the map); the methods route the port's calls and the
 * platform's signals to them and map every failure once, at the edge, to the one error shape.
 */
class LogtoAuthAdapter implements LogtoAuth {
  readonly port: AuthPort;
  readonly #config: LogtoAuthConfig;
  readonly #deps: LogtoAuthDeps;
  readonly #events: PlatformEventHub;
  readonly #client: AdapterLogtoClient;
  /** Bounded single requests (discovery, JWKS, user info, revocation). */
  readonly #requester: Requester;
  readonly #store: SessionStore;
  readonly #tokens: TokenManager;
  readonly #browser: SystemBrowser;
  readonly #app: AppSignals;
  readonly #admission: CallbackAdmission;
  readonly #signOut: SignOut;
  readonly #restoreDeps: Parameters<typeof restoreSession>[0];
  readonly #ready: Promise<void>;
  #booted = false;
  readonly #stopSharing: () => void;
  #restoring: Promise<RestoreResult> | null = null;
  /** Restores asked and not yet answered to the machine, and the other tabs' news heard meanwhile. */
  #restoresAsked = 0;
  readonly #heldNews: PlatformEvent[] = [];

  constructor(config: LogtoAuthConfig, deps: LogtoAuthDeps) {
    this.#config = config;
    this.#deps = deps;
    this.#events = new PlatformEventHub(() => this.#listen(), deps.log);
    const emit = (event: PlatformEvent) => this.#events.emit(event);
    const { storage, log, now } = deps;
    const timers = resolveTimers(config.timers);
    const native = config.platform === 'native';

    const browser = native
      ? createNativeBrowser({ closeTimeout: timers.browserCloseTimeout, log })
      : createWebBrowser({ location: deps.location, pageEvents: deps.pageEvents });
    this.#browser = browser;
    this.#app = native ? createNativeAppSignals(log) : createWebAppSignals(deps.location);

    // Single requests are bounded; token grants only by the network (a processed grant whose
    // answer we dropped would spend the session).
    const requester = createTimedRequester(deps.fetch, timers.requestTimeout);
    const grants = createTimedRequester(deps.fetch, timers.refreshRequestTimeout);
    this.#requester = requester;
    const discovery = new DiscoveryCache(config.endpoint);
    const signInStart = new SignInStart({
      storage,
      browser,
      startSdkSignIn: (options) => startBaseSignIn(client, config.redirectUri, options),
      fetch: deps.fetch,
      endpoint: config.endpoint,
      now,
      log,
    });
    const client = createAdapterClient(config, {
      requester,
      storage,
      cache: discovery.sdkCache,
      navigate: (url) => signInStart.openBrowser(url),
    });
    this.#client = client;
    const verifier = createIdTokenVerifier({ appId: config.appId, getOidcConfig: () => client.getOidcConfig(), requester, now });
    const protocol = {
      appId: config.appId,
      getTokenEndpoint: async () => (await client.getOidcConfig()).tokenEndpoint,
      verifyIdToken: (idToken: string) => verifier.verifyIdToken(idToken),
    };

    const store = new SessionStore(storage, log, { shared: deps.sessionSharing !== null, now });
    this.#store = store;
    const revocation = new Revocation({ discovery, requester, appId: config.appId, revocationTimeout: timers.revocationTimeout, log });
    const revoke = (refreshToken: string) => revocation.revoke(refreshToken);
    const vault = new CallbackVault();
    this.#signOut = new SignOut({
      storage,
      store,
      vault,
      browser,
      discovery,
      revocation,
      appId: config.appId,
      postSignOutRedirectUri: config.postSignOutRedirectUri,
      browserOpenTimeout: timers.requestTimeout,
      log,
    });
    // Web: the other tabs' renewals, sign-ins and sign-outs (see docs/logto-adapter.md, Tabs).
    const sharing = deps.sessionSharing;
    const adoptStored = async () => {
      const adoption = await store.adoptStored();
      if (adoption === 'signedOut') this.#announceEnd(await storage.getItem(StorageKey.sessionEnd));
      else this.#announce(adoption);
    };
    const tokens = new TokenManager({
      ...protocol,
      ...(sharing
        ? {
            shared: {
              exclusive: <T>(task: () => Promise<T>) => sharing.exclusive(task),
              adoptStored,
              endedElsewhere: async () => this.#announceEnd(await storage.getItem(StorageKey.sessionEnd)),
            },
          }
        : {}),
      store,
      requester: grants,
      scopes: config.scopes ?? [],
      refreshMargin: timers.refreshMargin,
      resumeRefreshWindow: timers.resumeRefreshWindow,
      callerTimeout: timers.tokenWaitTimeout,
      now,
      log,
      onSessionExpired: (code) => emit({ type: 'SESSION_EXPIRED', code }),
      discardRefreshToken: (refreshToken) => void revoke(refreshToken),
    });
    this.#tokens = tokens;
    const pendingRule = { storage, redirectUri: config.redirectUri, pendingSignInMaxAge: timers.pendingSignInMaxAge, now, log };
    this.#admission = new CallbackAdmission({ ...pendingRule, vault });
    const exchange = new CodeExchange({ ...protocol, storage, store, tokens, vault, requester: grants, revoke, now, log });
    this.#restoreDeps = { ...pendingRule, store, admission: this.#admission, app: this.#app };

    this.#ready = this.#boot();
    // News from before this instance listened: the app's first screen may come from storage
    // alone (the boot reader), this adapter loading seconds later. A sign-out or expiry in
    // another tab since the page opened left only its end mark: tell it now, as if heard.
    if (sharing) {
      void this.#ready
        .then(async () => {
          if (store.refreshToken !== null) return;
          const end = parseSessionEnd(await storage.getItem(StorageKey.sessionEnd));
          if (end && end.at >= sharing.since && store.refreshToken === null) this.#announceEnd(end.reason);
        })
        .catch((error: unknown) => log('warn', `could not read how the session ended: ${describeError(error)}`));
    }
    this.#stopSharing = sharing
      ? sharing.watch(({ signedOut, reason }) => {
          // A sign-out elsewhere: no token is served from this instant (the interceptor gets none).
          if (signedOut && this.#booted) {
            if (store.forget()) this.#announceEnd(reason ?? null);
            void store.sweepSignedOut().catch((error: unknown) => log('warn', `could not tidy the storage: ${describeError(error)}`));
            return;
          }
          void this.#ready
            .then(adoptStored)
            .catch((error: unknown) => log('warn', `could not read the session another tab stored: ${describeError(error)}`));
        })
      : () => undefined;
    this.port = {
      restore: () => {
        // The machine ignores news while it waits for this answer: hold it until the answer is in.
        this.#restoresAsked += 1;
        const answer = this.#guard('restore', () => this.#restore());
        const answered = () =>
          setTimeout(() => {
            this.#restoresAsked -= 1;
            if (this.#restoresAsked === 0) for (const event of this.#heldNews.splice(0)) this.#events.emit(event);
          }, 0);
        answer.then(answered, answered);
        return answer;
      },
      startSignIn: (options, signal) =>
        this.#guard('redirect', () => {
          this.#signOut.forgetRedirect();
          return signInStart.start(options, signal);
        }),
      completeSignIn: (ref) => this.#guard('callback', () => exchange.complete(ref)),
      closeBrowser: () => browser.close(),
      discardPendingSignIn: async () => {
        browser.release();
        await this.#ready;
        await signInStart.discard();
      },
      signOut: (options) => this.#signOutNow(options),
      subscribe: (listener) => this.#events.subscribe(listener),
    };
  }

  getAccessToken(resource?: string, organizationId?: string): Promise<string> {
    return this.#guard('session', () => this.#tokens.getAccessToken(resource, organizationId));
  }

  refreshAccessToken(resource?: string, organizationId?: string): Promise<string> {
    return this.#guard('session', () => this.#tokens.refreshAccessToken(resource, organizationId));
  }

  async expireSession(): Promise<void> {
    await this.#ready;
    await this.#tokens.expire().catch((error: unknown) => this.#deps.log('error', `could not clear the session: ${describeError(error)}`));
  }

  fetchUserInfo(): Promise<Record<string, unknown>> {
    const tokens = this.#tokens;
    const requester = this.#requester;
    return this.#guard('session', async () => {
      const { userinfoEndpoint } = await this.#client.getOidcConfig();
      try {
        return await fetchUserInfo(userinfoEndpoint, await tokens.getAccessToken(), requester);
      } catch (error) {
        // One forced refresh when the cached token was refused (revoked or rotated elsewhere).
        if (statusOf(error) !== 401) throw error;
        return await fetchUserInfo(userinfoEndpoint, await tokens.refreshAccessToken(), requester);
      }
    });
  }

  reconcileShown(subject: string | null): void {
    if (!this.#deps.sessionSharing) return;
    void this.#ready.then(() => {
      // No session: an end since the page started is told by the end-mark check at boot.
      const idToken = this.#store.idToken;
      if (idToken === null) return;
      try {
        const claims = decodeIdTokenClaims(idToken);
        if (claims.sub !== subject) this.#tell({ type: 'SESSION_ADOPTED', claims });
      } catch (error) {
        this.#deps.log('warn', `the stored session has an unreadable ID token: ${describeError(error)}`);
      }
    });
  }

  dispose(): void {
    this.#stopSharing();
    this.#events.dispose();
  }

  /**
   * Another tab removed the session: a sign-out there says so; an expiry there (the grant is
   * shared, so it ended here too) is the same "session ended" as if it had happened here.
   */
  #announceEnd(mark: string | null): void {
    const reason = parseSessionEnd(mark)?.reason;
    if (reason === 'session_expired' || reason === 'refresh_answer_lost') this.#tell({ type: 'SESSION_EXPIRED', code: reason });
    else this.#tell({ type: 'SIGNED_OUT_ELSEWHERE' });
  }

  /**
   * News of another tab for the machine. While a restore is being answered the machine is still
   * booting and would drop it (the restore may already have read the session the news changes):
   * it is told right after the answer, in the order heard.
   */
  #tell(event: PlatformEvent): void {
    if (this.#restoresAsked > 0) this.#heldNews.push(event);
    else this.#events.emit(event);
  }

  /** Tell the machine of another session (a sign-in or switch in another tab) this instance adopted. */
  #announce(adoption: Adoption): void {
    if (adoption !== 'replaced') return;
    const idToken = this.#store.idToken;
    try {
      if (idToken) this.#tell({ type: 'SESSION_ADOPTED', claims: decodeIdTokenClaims(idToken) });
    } catch (error) {
      this.#deps.log('warn', `the session another tab stored has an unreadable ID token: ${describeError(error)}`);
    }
  }

  /** After boot, `run`; any failure leaves as the one AuthError shape, for the step it came from. */
  async #guard<T>(step: AuthStep, run: () => Promise<T>): Promise<T> {
    try {
      await this.#ready;
      return await run();
    } catch (error) {
      throw mapLogtoError(error, step);
    }
  }

  async #boot(): Promise<void> {
    const { legacyPreferences, storage, log, now } = this.#deps;
    if (legacyPreferences) {
      await migrateLegacyPreferences(legacyPreferences, storage, now(), log).catch((error: unknown) =>
        log('warn', `migration from Preferences failed, will retry next start: ${describeError(error)}`),
      );
    }
    await this.#store.load().catch((error: unknown) => log('warn', `could not load the stored session: ${describeError(error)}`));
    this.#booted = true;
  }

  /** Remembered while it runs: a deep link arriving meanwhile may be the launch callback it reports. */
  #restore(): Promise<RestoreResult> {
    const run = restoreSession(this.#restoreDeps);
    this.#restoring = run;
    const done = () => {
      if (this.#restoring === run) this.#restoring = null;
    };
    run.then(done, done);
    return run;
  }

  async #signOutNow(options: SignOutOptions): Promise<SignOutStarted> {
    await this.#ready.catch(() => undefined);
    return this.#signOut.signOut(options).catch((error: unknown) => {
      throw mapLogtoError(error, 'signOut');
    });
  }

  /** The platform listeners, while anybody subscribes; returns their removal. */
  #listen(): () => void {
    const emit = (event: PlatformEvent) => this.#events.emit(event);
    const stopApp = this.#app.listen({
      onUrl: (url) => this.#onDeepLink(url),
      onResume: async () => {
        emit({ type: 'APP_RESUMED' });
        await this.#ready;
        await this.#tokens.refreshAhead();
      },
    });
    const stopBrowser = this.#browser.onClosed(() => emit({ type: 'BROWSER_CLOSED' }));
    return () => {
      stopApp();
      stopBrowser();
    };
  }

  async #onDeepLink(url: string): Promise<void> {
    if (this.#events.disposed) return;
    if (isRedirectTo(url, this.#config.postSignOutRedirectUri ? parseUrl(this.#config.postSignOutRedirectUri) : null)) {
      // Only the answer to a sign-out we started; anything else is a link someone sent us.
      if (this.#signOut.takeRedirect()) this.#events.emit({ type: 'SIGN_OUT_CALLBACK_RECEIVED' });
      else this.#deps.log('info', 'ignored a sign-out redirect with no sign-out in progress');
      return;
    }
    if (!isRedirectTo(url, parseUrl(this.#config.redirectUri))) {
      this.#deps.log('debug', 'ignored a deep link that is not an auth redirect');
      return;
    }
    await this.#ready;
    const admitted = await this.#admission.admit(url, 'deep-link');
    if (!admitted.ok) return;
    // During boot, restore() may hand the same URL to the machine as the launch callback.
    const restored = await this.#restoring?.catch(() => null);
    if (restored?.launchCallback === admitted.ref) return;
    this.#events.emit({ type: 'CALLBACK_RECEIVED', callback: admitted.ref });
  }
}
