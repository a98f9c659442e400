import { App } from '@capacitor/app';
import { Browser } from '@capacitor/browser';
import type { PluginListenerHandle } from '@capacitor/core';
import { Preferences } from '@capacitor/preferences';
import { decodeIdToken, fetchUserInfo, generateSignOutUri, revoke, type Requester } from '@logto/js';

import type {
  AuthPort,
  CallbackRef,
  IdTokenClaims,
  PlatformEvent,
  RestoreResult,
  SignInOptions,
  SignOutOptions,
  SignOutStarted,
} from '../core/port';
import { AUTH_NOTICE_TEXT, authError } from '../core/errors';
import { mapLogtoError, RequestTimeoutError } from './error-mapping';
import { consoleAuthLogger, describeError, type AuthLogger } from './auth-log';
import { CallbackVault } from './callback-vault';
import { resolveTimers, type LogtoAuthConfig, type LogtoAuthTimers } from './config';
import { createIdTokenVerifier } from './id-token-verifier';
import { migrateLegacyPreferences, type LegacyPreferences } from './legacy-migration';
import { AdapterLogtoClient, startBaseSignIn } from './logto-client';
import { forgetPendingSignIn, isStale, readPendingSignIn, readSignInSession, writePendingSignIn } from './pending-sign-in';
import { inspectSignInCallback, isRedirectTo, parseUrl } from './redirect-uri';
import { createTimedRequester, statusOf } from './requester';
import { createSecureStorage, createWebFallbackStorage, StorageKey, type SessionStorage } from './session-storage';
import { settleWithin, withTimeout } from './timing';
import { TokenManager, type AccessTokenEntry } from './token-manager';

/** Where `pageshow` comes from on the web (the window). */
export interface PageEventTarget {
  addEventListener(type: 'pageshow', listener: (event: { persisted?: boolean }) => void): void;
  removeEventListener(type: 'pageshow', listener: (event: { persisted?: boolean }) => void): void;
}

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

type Admission = { readonly ok: true; readonly ref: CallbackRef } | { readonly ok: false };

const REFUSALS: Record<string, string> = {
  malformed: 'the URL is malformed',
  not_redirect_uri: 'it is not the sign-in redirect URI',
  missing_state: 'it carries no state',
  missing_code: 'it carries neither a code nor an error',
  duplicate: 'the same URL was already received (duplicate or replay)',
  no_pending_sign_in: 'no sign-in is pending',
  stale: 'the pending sign-in is too old',
  state_mismatch: 'its state does not match the pending sign-in',
};

/** Implements the port over the real SDK; owns the Capacitor listeners and the session layer. */
class LogtoAuthAdapter implements LogtoAuth {
  readonly port: AuthPort;
  readonly #config: LogtoAuthConfig;
  readonly #deps: LogtoAuthDeps;
  readonly #timers: LogtoAuthTimers;
  readonly #native: boolean;
  readonly #client: AdapterLogtoClient;
  readonly #requester: Requester;
  readonly #revocationRequester: Requester;
  readonly #tokens: TokenManager;
  readonly #vault = new CallbackVault();
  readonly #redirectUrl: URL;
  readonly #signOutUrl: URL | null;
  readonly #discovery = new Map<string, string>();
  readonly #subscribers = new Set<(event: PlatformEvent) => void>();
  #handles: Promise<PluginListenerHandle>[] = [];
  #ready: Promise<void>;
  #admissions: Promise<unknown> = Promise.resolve();
  #restoreInFlight: Promise<RestoreResult> | null = null;
  #nextPending: SignInOptions = {};
  /** What the system browser is open for, as far as we know: sign-in, sign-out, or nothing. */
  #awaiting: 'sign-in' | 'sign-out' | null = null;
  #browserOpen = false;
  #disposed = false;

  constructor(config: LogtoAuthConfig, deps: LogtoAuthDeps) {
    this.#config = config;
    this.#deps = deps;
    this.#timers = resolveTimers(config.timers);
    this.#native = config.platform === 'native';
    const redirectUrl = parseUrl(config.redirectUri);
    if (!redirectUrl) throw new TypeError('LogtoAuthConfig.redirectUri is not a valid URL.');
    this.#redirectUrl = redirectUrl;
    this.#signOutUrl = config.postSignOutRedirectUri ? parseUrl(config.postSignOutRedirectUri) : null;

    this.#client = new AdapterLogtoClient({
      endpoint: config.endpoint,
      appId: config.appId,
      scopes: [...(config.scopes ?? [])],
      resources: [...(config.resources ?? [])],
    });
    this.#requester = createTimedRequester(deps.fetch, this.#timers.tokenRequestTimeout);
    this.#revocationRequester = createTimedRequester(deps.fetch, this.#timers.revocationTimeout);
    const adapter = this.#client.adapter;
    adapter.requester = this.#requester;
    adapter.storage = deps.storage;
    adapter.navigate = (url, parameters) => this.#navigate(url, parameters.for);
    // In-memory discovery cache: lets sign-out use the real endpoints without a request.
    adapter.unstable_cache = {
      getItem: async (key) => this.#discovery.get(key) ?? null,
      setItem: async (key, value) => void this.#discovery.set(key, value),
      removeItem: async (key) => void this.#discovery.delete(key),
    };
    const verifier = createIdTokenVerifier({
      appId: config.appId,
      getOidcConfig: () => this.#client.getOidcConfig(),
      requester: this.#requester,
      now: deps.now,
    });
    this.#client.setJwtVerifier(verifier);
    this.#tokens = new TokenManager({
      storage: deps.storage,
      requester: this.#requester,
      appId: config.appId,
      scopes: config.scopes ?? [],
      getTokenEndpoint: async () => (await this.#client.getOidcConfig()).tokenEndpoint,
      verifyIdToken: (idToken) => verifier.verifyIdToken(idToken),
      sdkMap: (this.#client as unknown as { accessTokenMap: Map<string, AccessTokenEntry> }).accessTokenMap,
      refreshMargin: this.#timers.refreshMargin,
      resumeRefreshWindow: this.#timers.resumeRefreshWindow,
      now: deps.now,
      log: deps.log,
      onSessionExpired: () => this.#emit({ type: 'SESSION_EXPIRED' }),
    });
    this.#ready = this.#init();

    this.port = {
      restore: () => this.#restore(),
      startSignIn: (options) => this.#startSignIn(options),
      completeSignIn: (ref) => this.#completeSignIn(ref),
      closeBrowser: () => this.#closeBrowser(),
      discardPendingSignIn: () => this.#discardPendingSignIn(),
      signOut: (options) => this.#signOut(options),
      subscribe: (listener) => this.#subscribe(listener),
    };
  }

  // ---- token layer -------------------------------------------------------------------------

  async getAccessToken(resource?: string, organizationId?: string): Promise<string> {
    try {
      await this.#ready;
      return await this.#tokens.getAccessToken(resource, organizationId);
    } catch (error) {
      throw mapLogtoError(error, 'session');
    }
  }

  async refreshAccessToken(resource?: string, organizationId?: string): Promise<string> {
    try {
      await this.#ready;
      return await this.#tokens.refreshAccessToken(resource, organizationId);
    } catch (error) {
      throw mapLogtoError(error, 'session');
    }
  }

  async expireSession(): Promise<void> {
    await this.#ready;
    await this.#tokens.expire().catch((error: unknown) => this.#deps.log('error', `could not clear the session: ${describeError(error)}`));
  }

  async fetchUserInfo(): Promise<Record<string, unknown>> {
    try {
      await this.#ready;
      const { userinfoEndpoint } = await this.#client.getOidcConfig();
      const token = await this.#tokens.getAccessToken();
      try {
        return await fetchUserInfo(userinfoEndpoint, token, this.#requester);
      } catch (error) {
        // One forced refresh when the cached token was refused (revoked or rotated elsewhere).
        if (statusOf(error) !== 401) throw error;
        return await fetchUserInfo(userinfoEndpoint, await this.#tokens.refreshAccessToken(), this.#requester);
      }
    } catch (error) {
      throw mapLogtoError(error, 'session');
    }
  }

  dispose(): void {
    this.#disposed = true;
    this.#subscribers.clear();
    this.#detach();
  }

  // ---- boot --------------------------------------------------------------------------------

  async #init(): Promise<void> {
    const { legacyPreferences, storage, log } = this.#deps;
    if (legacyPreferences) {
      await migrateLegacyPreferences(legacyPreferences, storage, this.#deps.now(), log).catch((error: unknown) =>
        log('warn', `migration from Preferences failed, will retry next start: ${describeError(error)}`),
      );
    }
    await this.#tokens.hydrate().catch((error: unknown) => log('warn', `could not load stored access tokens: ${describeError(error)}`));
  }

  #restore(): Promise<RestoreResult> {
    const run = this.#readStoredState();
    this.#restoreInFlight = run;
    const done = () => {
      if (this.#restoreInFlight === run) this.#restoreInFlight = null;
    };
    run.then(done, done);
    return run;
  }

  /** Storage only (plus the platform's launch URL); never the network. */
  async #readStoredState(): Promise<RestoreResult> {
    try {
      await this.#ready;
      const { storage } = this.#deps;
      const [idToken, refreshToken] = await Promise.all([storage.getItem(StorageKey.idToken), storage.getItem(StorageKey.refreshToken)]);
      let claims: IdTokenClaims | null = null;
      if (idToken && refreshToken) {
        try {
          claims = decodeIdToken(idToken) as IdTokenClaims;
        } catch (error) {
          this.#deps.log('warn', `the stored ID token is unreadable: ${describeError(error)}`);
        }
      }

      let record = await readPendingSignIn(storage);
      const session = await readSignInSession(storage);
      if ((record && isStale(record, this.#deps.now(), this.#timers.pendingSignInMaxAge)) || !record !== !session) {
        // Too old, or half of it missing: nothing can complete it any more.
        await forgetPendingSignIn(storage);
        record = null;
      }
      const pending = record !== null;

      let launchCallback: CallbackRef | null = null;
      const launchUrl = await this.#launchUrl();
      if (launchUrl && isRedirectTo(launchUrl, this.#redirectUrl)) {
        const admission = pending ? await this.#admit(launchUrl, 'launch') : null;
        if (admission?.ok) launchCallback = admission.ref;
        else if (!pending) this.#deps.log('info', 'started on the sign-in redirect URI with no sign-in pending: ignored');
      }
      return {
        claims,
        pendingSignIn: pending,
        ...(record ? { pendingSignInOptions: record.options } : {}),
        launchCallback,
      };
    } catch (error) {
      throw mapLogtoError(error, 'restore');
    }
  }

  async #launchUrl(): Promise<string | null> {
    if (!this.#native) return this.#deps.location.href;
    try {
      return (await App.getLaunchUrl())?.url ?? null;
    } catch (error) {
      this.#deps.log('warn', `App.getLaunchUrl failed: ${describeError(error)}`);
      return null;
    }
  }

  // ---- sign-in -----------------------------------------------------------------------------

  async #startSignIn(options: SignInOptions): Promise<void> {
    try {
      await this.#ready;
      this.#nextPending = options;
      // iOS refuses to present a second SFSafariViewController ("Unable to display URL").
      if (this.#native && this.#browserOpen) await this.#closeBrowser();
      this.#awaiting = 'sign-in';
      await startBaseSignIn(this.#client, this.#config.redirectUri, options);
    } catch (error) {
      this.#awaiting = null;
      const mapped = mapLogtoError(error, 'redirect');
      this.#deps.log('warn', `could not start sign-in: ${describeError(mapped)}`);
      throw mapped;
    }
  }

  /** The SDK's navigate: our record goes next to its fresh `signInSession` before the browser opens. */
  async #navigate(url: string, purpose: 'sign-in' | 'sign-out' | 'post-sign-in'): Promise<void> {
    if (purpose === 'sign-in') {
      await writePendingSignIn(this.#deps.storage, { options: this.#nextPending, startedAt: this.#deps.now() });
    }
    try {
      await this.#openBrowser(url);
    } catch (error) {
      if (purpose === 'sign-in') await forgetPendingSignIn(this.#deps.storage).catch(() => undefined);
      throw error;
    }
  }

  async #openBrowser(url: string): Promise<void> {
    if (!this.#native) {
      this.#deps.location.assign(url);
      return;
    }
    await Browser.open({ url, windowName: '_self', presentationStyle: 'popover' });
    this.#browserOpen = true;
  }

  async #completeSignIn(ref: CallbackRef): Promise<IdTokenClaims> {
    const entry = this.#vault.entry(ref);
    if (!entry || (entry.url === null && !entry.claims)) {
      throw authError({ kind: 'invalid_callback', code: 'callback_not_found', step: 'callback' });
    }
    if (!entry.claims && !entry.attempt) {
      const url = entry.url as string;
      const attempt = this.#tokens.runExclusive(async () => {
        await this.#ready;
        const previous = await this.#storedSessionIdentity();
        await this.#client.handleSignInCallback(url);
        await this.#tokens.adoptNewSession();
        await this.#deps.storage.removeItem(StorageKey.pendingSignIn);
        const idToken = await this.#deps.storage.getItem(StorageKey.idToken);
        const claims = decodeIdToken(idToken ?? '') as IdTokenClaims;
        // Switched account: the previous person's grant outlives the provider's logout
        // (offline_access), so revoke it rather than leave a live token nobody holds.
        // Not for the same person: their new tokens may share the old grant.
        if (previous && previous.sub !== claims.sub) void this.#revokeRefreshToken(previous.refreshToken);
        return claims;
      });
      entry.attempt = attempt;
      attempt.then(
        (claims) => {
          entry.claims = claims;
          this.#vault.seal(ref);
          this.#awaiting = null;
        },
        async (error: unknown) => {
          entry.attempt = undefined;
          if (mapLogtoError(error, 'callback').retry !== 'sameCallback') {
            // Final (refused by the provider, replayed, expired): nothing can complete this sign-in.
            // The error's own retry policy decides: an expired code is retried with a fresh
            // redirect, so it is final for this callback.
            this.#vault.seal(ref);
            await forgetPendingSignIn(this.#deps.storage).catch(() => undefined);
          }
        },
      );
    }
    let claims: IdTokenClaims;
    try {
      claims =
        entry.claims ?? (await withTimeout(entry.attempt as Promise<IdTokenClaims>, this.#timers.tokenRequestTimeout, 'code exchange'));
    } catch (error) {
      const mapped = mapLogtoError(error, 'callback');
      this.#deps.log('warn', `sign-in callback failed: ${describeError(mapped)}`);
      throw mapped;
    }
    await this.#closeBrowser();
    return claims;
  }

  async #closeBrowser(): Promise<void> {
    if (!this.#native) return;
    this.#browserOpen = false;
    let closing: Promise<void>;
    try {
      closing = Browser.close();
    } catch (error) {
      closing = Promise.reject(error);
    }
    // iOS rejects with "No active window to close!" when the view is already gone: not a failure of ours.
    const outcome = await settleWithin(closing, this.#timers.browserCloseTimeout);
    if (outcome !== 'done') this.#deps.log('debug', `Browser.close() ${outcome === 'timeout' ? 'timed out' : 'was refused'} (ignored)`);
  }

  async #discardPendingSignIn(): Promise<void> {
    this.#awaiting = null;
    try {
      await this.#ready;
      await forgetPendingSignIn(this.#deps.storage);
    } catch (error) {
      this.#deps.log('warn', `could not forget the pending sign-in: ${describeError(error)}`);
    }
  }

  // ---- callbacks ---------------------------------------------------------------------------

  /** Serialised, so two deliveries of one URL cannot both pass the duplicate check. */
  #admit(url: string, source: 'deep-link' | 'launch'): Promise<Admission> {
    const run = this.#admissions.then(() => this.#admitNow(url, source));
    this.#admissions = run.catch(() => undefined);
    return run;
  }

  async #admitNow(url: string, source: 'deep-link' | 'launch'): Promise<Admission> {
    const refuse = (reason: string): Admission => {
      this.#deps.log('warn', `refused a sign-in callback: ${REFUSALS[reason] ?? reason}`);
      return { ok: false };
    };
    const inspection = inspectSignInCallback(url, this.#redirectUrl);
    if (!inspection.ok) return refuse(inspection.reason);
    await this.#ready; // a pending sign-in may still be on its way out of Preferences
    const hash = await CallbackVault.hash(url);
    const seen = this.#vault.refFor(hash);
    if (seen !== undefined) {
      // The launch URL may repeat a deep link already taken: boot continues with the same ref.
      if (source === 'launch' && this.#vault.isOpen(seen)) return { ok: true, ref: seen };
      return refuse('duplicate');
    }
    const [record, session] = await Promise.all([readPendingSignIn(this.#deps.storage), readSignInSession(this.#deps.storage)]);
    if (!record || !session || session.redirectUri !== this.#config.redirectUri) return refuse('no_pending_sign_in');
    if (isStale(record, this.#deps.now(), this.#timers.pendingSignInMaxAge)) return refuse('stale');
    if (session.state !== inspection.params.state) return refuse('state_mismatch');
    return { ok: true, ref: this.#vault.admit(url, hash) };
  }

  async #onDeepLink(url: string): Promise<void> {
    if (this.#disposed) return;
    if (isRedirectTo(url, this.#signOutUrl)) {
      const wasSigningOut = this.#awaiting === 'sign-out';
      this.#awaiting = null;
      this.#emit({ type: 'SIGN_OUT_CALLBACK_RECEIVED' });
      if (wasSigningOut) await this.#closeBrowser();
      return;
    }
    if (!isRedirectTo(url, this.#redirectUrl)) {
      this.#deps.log('debug', 'ignored a deep link that is not an auth redirect');
      return;
    }
    const admission = await this.#admit(url, 'deep-link');
    if (!admission.ok) return;
    // During boot, restore() may hand the same URL to the machine as the launch callback.
    const restoring = this.#restoreInFlight;
    if (restoring) {
      const restored = await restoring.catch(() => null);
      if (restored?.launchCallback === admission.ref) return;
    }
    this.#emit({ type: 'CALLBACK_RECEIVED', callback: admission.ref });
  }

  // ---- sign-out ----------------------------------------------------------------------------

  async #signOut(options: SignOutOptions): Promise<SignOutStarted> {
    const { storage, log } = this.#deps;
    await this.#ready.catch(() => undefined);
    const refreshToken = await storage.getItem(StorageKey.refreshToken).catch(() => null);
    // Local first, always: nothing after this line can leave the user signed in.
    try {
      await this.#tokens.clearLocalSession();
      await forgetPendingSignIn(storage);
    } catch (error) {
      log('error', `could not clear the stored session: ${describeError(error)}`);
    }
    this.#vault.clear();
    this.#awaiting = null;

    const revocation = refreshToken ? await this.#revokeRefreshToken(refreshToken) : 'revoked';
    const wantsEndSession = options.endSession !== false && Boolean(this.#config.postSignOutRedirectUri);
    if (revocation === 'unreachable' && wantsEndSession) {
      // Offline: the end-session page could not load either. Signed out here; say so (the
      // machine ends in idle with a notice) instead of opening a browser error page.
      throw authError({ kind: 'network', code: 'provider_unreachable', step: 'signOut', message: AUTH_NOTICE_TEXT.signOutUnreachable });
    }

    if (!wantsEndSession) return { awaitingBrowser: false };
    const url = generateSignOutUri({
      endSessionEndpoint: this.#endpoint('endSessionEndpoint'),
      clientId: this.#config.appId,
      postLogoutRedirectUri: this.#config.postSignOutRedirectUri,
    });
    try {
      if (this.#native && this.#browserOpen) await this.#closeBrowser();
      this.#awaiting = 'sign-out';
      await withTimeout(this.#openBrowser(url), this.#timers.tokenRequestTimeout, 'browser');
      return { awaitingBrowser: true };
    } catch (error) {
      this.#awaiting = null;
      log('warn', `could not open the end-session page: ${describeError(error)}`);
      return { awaitingBrowser: false };
    }
  }

  /**
   * Best effort, bounded by revocationTimeout; never rejects. Says whether the provider could be
   * reached at all, so sign-out does not send the person to an end-session page that cannot load.
   */
  async #revokeRefreshToken(refreshToken: string): Promise<'revoked' | 'refused' | 'unreachable'> {
    const revoking = revoke(this.#endpoint('revocationEndpoint'), this.#config.appId, refreshToken, this.#revocationRequester);
    try {
      await withTimeout(revoking, this.#timers.revocationTimeout);
      return 'revoked';
    } catch (error) {
      const timedOut = error instanceof RequestTimeoutError;
      this.#deps.log('info', `refresh-token revocation ${timedOut ? 'timed out' : 'failed'} (best effort, ignored)`);
      return timedOut || mapLogtoError(error, 'signOut').kind === 'network' ? 'unreachable' : 'refused';
    }
  }

  /** The stored session's person and refresh token, or null when there is no usable session. */
  async #storedSessionIdentity(): Promise<{ sub: string; refreshToken: string } | null> {
    const [idToken, refreshToken] = await Promise.all([
      this.#deps.storage.getItem(StorageKey.idToken).catch(() => null),
      this.#deps.storage.getItem(StorageKey.refreshToken).catch(() => null),
    ]);
    if (!idToken || !refreshToken) return null;
    try {
      const { sub } = decodeIdToken(idToken);
      return sub ? { sub, refreshToken } : null;
    } catch {
      return null;
    }
  }

  /** From discovery when it is cached, else Logto's fixed paths (no request at sign-out time). */
  #endpoint(name: 'revocationEndpoint' | 'endSessionEndpoint'): string {
    try {
      const cached = JSON.parse(this.#discovery.get('openidConfiguration') ?? '{}') as Record<string, unknown>;
      const value = cached[name];
      if (typeof value === 'string') return value;
    } catch {
      // Fall through to the fixed path.
    }
    const base = this.#config.endpoint.replace(/\/+$/, '');
    return name === 'revocationEndpoint' ? `${base}/oidc/token/revocation` : `${base}/oidc/session/end`;
  }

  // ---- platform signals --------------------------------------------------------------------

  #subscribe(listener: (event: PlatformEvent) => void): () => void {
    if (this.#disposed) return () => undefined;
    this.#subscribers.add(listener);
    if (this.#subscribers.size === 1) this.#attach();
    return () => {
      if (this.#subscribers.delete(listener) && this.#subscribers.size === 0) this.#detach();
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

  readonly #onPageShow = (event: { persisted?: boolean }) => {
    // Back from the identity page through the back-forward cache: the browser step ended without a callback.
    if (event.persisted && this.#awaiting !== null) this.#emit({ type: 'BROWSER_CLOSED' });
  };

  /** Listeners live while someone subscribes: Capacitor retains `appUrlOpen` until then. */
  #attach(): void {
    if (!this.#native) {
      this.#deps.pageEvents?.addEventListener('pageshow', this.#onPageShow);
      return;
    }
    const guard = (what: string, run: () => Promise<void> | void) => () => {
      Promise.resolve()
        .then(run)
        .catch((error: unknown) => this.#deps.log('error', `${what} handler failed: ${describeError(error)}`));
    };
    this.#handles = [
      App.addListener('appUrlOpen', (event) => guard('appUrlOpen', () => this.#onDeepLink(event.url))()),
      Browser.addListener(
        'browserFinished',
        guard('browserFinished', () => {
          this.#browserOpen = false;
          this.#emit({ type: 'BROWSER_CLOSED' });
        }),
      ),
      App.addListener(
        'resume',
        guard('resume', async () => {
          this.#emit({ type: 'APP_RESUMED' });
          await this.#tokens.refreshAhead();
        }),
      ),
    ];
  }

  #detach(): void {
    if (!this.#native) {
      this.#deps.pageEvents?.removeEventListener('pageshow', this.#onPageShow);
      return;
    }
    const handles = this.#handles;
    this.#handles = [];
    for (const handle of handles) {
      handle
        .then((h) => h.remove())
        .catch((error: unknown) => this.#deps.log('warn', `could not remove a Capacitor listener: ${describeError(error)}`));
    }
  }
}
