import { Preferences } from '@capacitor/preferences';
import { fetchUserInfo } from '@logto/js';

import type { AuthPort, PlatformEvent, RestoreResult, SignInOptions, SignOutOptions, SignOutStarted } from '../core/port';
import { createNativeAppSignals, createWebAppSignals, type AppSignals } from './app-signals';
import { consoleAuthLogger, describeError, type AuthLogger } from './auth-log';
import { CallbackAdmission } from './callback-admission';
import { CallbackVault } from './callback-vault';
import { resolveTimers, type LogtoAuthConfig } from './config';
import { CodeExchange } from './code-exchange';
import { DiscoveryCache } from './discovery-cache';
import { mapLogtoError } from './error-mapping';
import { createIdTokenVerifier } from './id-token-verifier';
import { migrateLegacyPreferences, type LegacyPreferences } from './legacy-migration';
import { createAdapterClient, startBaseSignIn, type AdapterLogtoClient } from './logto-client';
import { forgetPendingSignIn, writePendingSignIn } from './pending-sign-in';
import { isRedirectTo, parseUrl } from './redirect-uri';
import { createTimedRequester, statusOf } from './requester';
import { readStoredState } from './restore';
import { SessionStore } from './session-store';
import { createSecureStorage, createWebFallbackStorage, type SessionStorage } from './session-storage';
import { SignOut } from './sign-out';
import { createNativeBrowser, createWebBrowser, type PageEventTarget, type SystemBrowser } from './system-browser';
import { TokenManager } from './token-manager';

export type { PageEventTarget } from './system-browser';

/** What tests (and the platform wiring) may swap. */
export interface LogtoAuthDeps {
  /** Secure storage on devices, the namespaced localStorage fallback on web, a fake in tests. */
  readonly storage: SessionStorage;
  /** Where an older install left its tokens (Preferences); null skips the migration. */
  readonly legacyPreferences: LegacyPreferences | null;
  readonly fetch: typeof fetch;
  /** Web: the page location (the callback is read from `href`, sign-in navigates with `assign`). */
  readonly location: { readonly href: string; assign(url: string): void };
  /** Web: the window, for `pageshow` from the back-forward cache. */
  readonly pageEvents: PageEventTarget | null;
  readonly log: AuthLogger;
  readonly now: () => number;
}

export interface LogtoAuth {
  readonly port: AuthPort;
  getAccessToken(resource?: string, organizationId?: string): Promise<string>;
  /** Forced refresh, used once after an API answered 401. */
  refreshAccessToken(resource?: string, organizationId?: string): Promise<string>;
  /** Clears the local session and makes the machine report `session_expired`. */
  expireSession(): Promise<void>;
  fetchUserInfo(): Promise<Record<string, unknown>>;
  dispose(): void;
}

export function createLogtoAuth(config: LogtoAuthConfig, deps?: Partial<LogtoAuthDeps>): LogtoAuth {
  return new LogtoAuthAdapter(config, withDefaults(config, deps ?? {}));
}

function withDefaults(config: LogtoAuthConfig, deps: Partial<LogtoAuthDeps>): LogtoAuthDeps {
  const web = config.platform === 'web';
  return {
    storage:
      deps.storage ??
      (web ? createWebFallbackStorage(config.storageNamespace, globalThis.localStorage) : createSecureStorage(config.storageNamespace)),
    legacyPreferences: deps.legacyPreferences === undefined ? Preferences : deps.legacyPreferences,
    fetch: deps.fetch ?? globalThis.fetch.bind(globalThis),
    location: deps.location ?? globalThis.location,
    pageEvents: deps.pageEvents === undefined ? (web && typeof window !== 'undefined' ? window : null) : deps.pageEvents,
    log: deps.log ?? consoleAuthLogger,
    now: deps.now ?? Date.now,
  };
}

/**
 * The port over the real SDK: a composition of the seams (docs/logto-adapter.md). Each protocol
 * step has its own unit; this class wires them, owns the subscription to platform signals and
 * maps every failure once, at the edge.
 */
class LogtoAuthAdapter implements LogtoAuth {
  readonly port: AuthPort;
  readonly #deps: LogtoAuthDeps;
  readonly #client: AdapterLogtoClient;
  readonly #store: SessionStore;
  readonly #tokens: TokenManager;
  readonly #browser: SystemBrowser;
  readonly #app: AppSignals;
  readonly #admission: CallbackAdmission;
  readonly #exchange: CodeExchange;
  readonly #signOut: SignOut;
  readonly #restore: () => Promise<RestoreResult>;
  readonly #redirectUri: string;
  readonly #signOutUrl: URL | null;
  readonly #requester;
  readonly #subscribers = new Set<(event: PlatformEvent) => void>();
  readonly #ready: Promise<void>;
  #restoring: Promise<RestoreResult> | null = null;
  #detach: (() => void) | null = null;
  #disposed = false;

  constructor(config: LogtoAuthConfig, deps: LogtoAuthDeps) {
    this.#deps = deps;
    const { storage, log, now } = deps;
    const timers = resolveTimers(config.timers);
    if (!parseUrl(config.redirectUri)) throw new TypeError('LogtoAuthConfig.redirectUri is not a valid URL.');
    this.#redirectUri = config.redirectUri;
    this.#signOutUrl = config.postSignOutRedirectUri ? parseUrl(config.postSignOutRedirectUri) : null;
    const native = config.platform === 'native';
    this.#browser = native
      ? createNativeBrowser({ closeTimeout: timers.browserCloseTimeout, log })
      : createWebBrowser({ location: deps.location, pageEvents: deps.pageEvents });
    this.#app = native ? createNativeAppSignals(log) : createWebAppSignals(deps.location);

    // Single requests (discovery, JWKS, user info, revocation) are bounded; token grants only by the network.
    this.#requester = createTimedRequester(deps.fetch, timers.tokenRequestTimeout);
    const grants = createTimedRequester(deps.fetch, timers.refreshRequestTimeout);
    const discovery = new DiscoveryCache(config.endpoint);
    const client = createAdapterClient(config, {
      requester: this.#requester,
      storage,
      cache: discovery.sdkCache,
      navigate: (url) => this.#browser.open(url, 'sign-in'),
    });
    this.#client = client;
    const verifier = createIdTokenVerifier({
      appId: config.appId,
      getOidcConfig: () => client.getOidcConfig(),
      requester: this.#requester,
      now,
    });
    const getTokenEndpoint = async () => (await client.getOidcConfig()).tokenEndpoint;
    const verifyIdToken = (idToken: string) => verifier.verifyIdToken(idToken);

    this.#store = new SessionStore(storage, log);
    const vault = new CallbackVault();
    this.#signOut = new SignOut({
      storage,
      store: this.#store,
      vault,
      browser: this.#browser,
      discovery,
      requester: this.#requester,
      appId: config.appId,
      postSignOutRedirectUri: config.postSignOutRedirectUri,
      revocationTimeout: timers.revocationTimeout,
      browserOpenTimeout: timers.tokenRequestTimeout,
      log,
    });
    const revoke = (refreshToken: string) => this.#signOut.revoke(refreshToken);
    this.#tokens = new TokenManager({
      store: this.#store,
      requester: grants,
      appId: config.appId,
      scopes: config.scopes ?? [],
      getTokenEndpoint,
      verifyIdToken,
      refreshMargin: timers.refreshMargin,
      resumeRefreshWindow: timers.resumeRefreshWindow,
      callerTimeout: timers.tokenRequestTimeout,
      now,
      log,
      onSessionExpired: (code) => this.#emit({ type: 'SESSION_EXPIRED', code }),
      discardRefreshToken: (refreshToken) => void revoke(refreshToken),
    });
    const pendingRule = { storage, redirectUri: config.redirectUri, pendingSignInMaxAge: timers.pendingSignInMaxAge, now, log };
    this.#admission = new CallbackAdmission({ ...pendingRule, vault });
    this.#exchange = new CodeExchange({
      storage,
      store: this.#store,
      tokens: this.#tokens,
      vault,
      requester: grants,
      appId: config.appId,
      getTokenEndpoint,
      verifyIdToken,
      revoke,
      now,
      log,
    });
    this.#restore = () => readStoredState({ ...pendingRule, store: this.#store, admission: this.#admission, app: this.#app });
    this.#ready = this.#init();

    this.port = {
      restore: () => this.#guard('restore', () => this.#restoreOnce()),
      startSignIn: (options) => this.#guard('redirect', () => this.#startSignIn(options)),
      completeSignIn: (ref) => this.#guard('callback', () => this.#exchange.complete(ref)),
      closeBrowser: () => this.#browser.close(),
      discardPendingSignIn: () => this.#discardPendingSignIn(),
      signOut: (options) => this.#signOutNow(options),
      subscribe: (listener) => this.#subscribe(listener),
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
    return this.#guard('session', async () => {
      const { userinfoEndpoint } = await this.#client.getOidcConfig();
      try {
        return await fetchUserInfo(userinfoEndpoint, await this.#tokens.getAccessToken(), this.#requester);
      } catch (error) {
        // One forced refresh when the cached token was refused (revoked or rotated elsewhere).
        if (statusOf(error) !== 401) throw error;
        return await fetchUserInfo(userinfoEndpoint, await this.#tokens.refreshAccessToken(), this.#requester);
      }
    });
  }

  dispose(): void {
    this.#disposed = true;
    this.#subscribers.clear();
    this.#detach?.();
    this.#detach = null;
  }

  /** After boot, `run`; any failure leaves as the one AuthError shape, for the step it came from. */
  async #guard<T>(step: Parameters<typeof mapLogtoError>[1], run: () => Promise<T>): Promise<T> {
    try {
      await this.#ready;
      return await run();
    } catch (error) {
      throw mapLogtoError(error, step);
    }
  }

  async #init(): Promise<void> {
    const { legacyPreferences, storage, log, now } = this.#deps;
    if (legacyPreferences) {
      await migrateLegacyPreferences(legacyPreferences, storage, now(), log).catch((error: unknown) =>
        log('warn', `migration from Preferences failed, will retry next start: ${describeError(error)}`),
      );
    }
    await this.#store.load().catch((error: unknown) => log('warn', `could not load the stored session: ${describeError(error)}`));
  }

  #restoreOnce(): Promise<RestoreResult> {
    const run = this.#restore();
    this.#restoring = run;
    const done = () => {
      if (this.#restoring === run) this.#restoring = null;
    };
    run.then(done, done);
    return run;
  }

  async #startSignIn(options: SignInOptions): Promise<void> {
    const { storage, log, now } = this.#deps;
    this.#signOut.forgetRedirect();
    // Our record first, so Retry after a restart repeats these options; the SDK then writes its
    // session (PKCE verifier, state) and navigates, which opens the system browser.
    await writePendingSignIn(storage, { options, startedAt: now() });
    try {
      await startBaseSignIn(this.#client, this.#redirectUri, options);
    } catch (error) {
      this.#browser.release();
      await forgetPendingSignIn(storage).catch(() => undefined);
      log('warn', `could not start sign-in: ${describeError(mapLogtoError(error, 'redirect'))}`);
      throw error;
    }
  }

  async #discardPendingSignIn(): Promise<void> {
    this.#browser.release();
    try {
      await this.#ready;
      await forgetPendingSignIn(this.#deps.storage);
    } catch (error) {
      this.#deps.log('warn', `could not forget the pending sign-in: ${describeError(error)}`);
    }
  }

  async #signOutNow(options: SignOutOptions): Promise<SignOutStarted> {
    await this.#ready.catch(() => undefined);
    return this.#signOut.signOut(options).catch((error: unknown) => {
      throw mapLogtoError(error, 'signOut');
    });
  }

  async #onDeepLink(url: string): Promise<void> {
    if (this.#disposed) return;
    if (isRedirectTo(url, this.#signOutUrl)) {
      // Only the answer to a sign-out we started; anything else is a link someone sent us.
      if (this.#signOut.takeRedirect()) this.#emit({ type: 'SIGN_OUT_CALLBACK_RECEIVED' });
      else this.#deps.log('info', 'ignored a sign-out redirect with no sign-out in progress');
      return;
    }
    if (!isRedirectTo(url, parseUrl(this.#redirectUri))) {
      this.#deps.log('debug', 'ignored a deep link that is not an auth redirect');
      return;
    }
    await this.#ready;
    const admission = await this.#admission.admit(url, 'deep-link');
    if (!admission.ok) return;
    // During boot, restore() may hand the same URL to the machine as the launch callback.
    const restored = await this.#restoring?.catch(() => null);
    if (restored?.launchCallback === admission.ref) return;
    this.#emit({ type: 'CALLBACK_RECEIVED', callback: admission.ref });
  }

  #subscribe(listener: (event: PlatformEvent) => void): () => void {
    if (this.#disposed) return () => undefined;
    this.#subscribers.add(listener);
    if (this.#subscribers.size === 1) this.#attach();
    return () => {
      if (this.#subscribers.delete(listener) && this.#subscribers.size === 0) {
        this.#detach?.();
        this.#detach = null;
      }
    };
  }

  #emit(event: PlatformEvent): void {
    if (this.#disposed) return;
    for (const listener of [...this.#subscribers]) {
      try {
        listener(event);
      } catch (error) {
        this.#deps.log('error', `a subscriber threw on ${event.type}: ${describeError(error)}`);
      }
    }
  }

  /** Listeners live while someone subscribes: Capacitor retains `appUrlOpen` until then. */
  #attach(): void {
    const stopApp = this.#app.listen({
      onUrl: (url) => this.#onDeepLink(url),
      onResume: async () => {
        this.#emit({ type: 'APP_RESUMED' });
        await this.#ready;
        await this.#tokens.refreshAhead();
      },
    });
    const stopBrowser = this.#browser.onClosed(() => this.#emit({ type: 'BROWSER_CLOSED' }));
    this.#detach = () => {
      stopApp();
      stopBrowser();
    };
  }
}
