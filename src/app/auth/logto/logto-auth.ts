import { fetchUserInfo } from '@logto/js';

import type { AuthPort, AuthStep, RestoreResult, SignInOptions, SignOutOptions, SignOutStarted } from '../core/port';
import { resolveDeps, type LogtoAuthDeps } from './adapter-deps';
import { assembleSeams, type Seams } from './assemble-seams';
import { describeError } from './auth-log';
import type { LogtoAuthConfig } from './config';
import { mapLogtoError } from './error-mapping';
import { migrateLegacyPreferences } from './legacy-migration';
import { startBaseSignIn } from './logto-client';
import { forgetPendingSignIn, writePendingSignIn } from './pending-sign-in';
import { PlatformEventHub } from './platform-events';
import { abortError, checkProviderAnswers } from './provider-check';
import { isRedirectTo, parseUrl } from './redirect-uri';
import { statusOf } from './requester';

export type { LogtoAuthDeps } from './adapter-deps';
export type { PageEventTarget } from './system-browser';

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
  if (!parseUrl(config.redirectUri)) throw new TypeError('LogtoAuthConfig.redirectUri is not a valid URL.');
  return new LogtoAuthAdapter(config, resolveDeps(config, deps ?? {}));
}

/**
 * The port over the real SDK: a composition of the seams (docs/logto-adapter.md). Each protocol
 * step has its own unit; this class routes the port's calls and the platform's signals to them
 * and maps every failure once, at the edge, to the one error shape.
 */
class LogtoAuthAdapter implements LogtoAuth {
  readonly port: AuthPort;
  readonly #config: LogtoAuthConfig;
  readonly #deps: LogtoAuthDeps;
  readonly #seams: Seams;
  readonly #events: PlatformEventHub;
  readonly #ready: Promise<void>;
  #restoring: Promise<RestoreResult> | null = null;

  constructor(config: LogtoAuthConfig, deps: LogtoAuthDeps) {
    this.#config = config;
    this.#deps = deps;
    this.#events = new PlatformEventHub(() => this.#listen(), deps.log);
    this.#seams = assembleSeams(config, deps, (event) => this.#events.emit(event));
    this.#ready = this.#boot();
    const { browser, exchange } = this.#seams;
    this.port = {
      restore: () => this.#guard('restore', () => this.#restore()),
      startSignIn: (options, signal) => this.#guard('redirect', () => this.#startSignIn(options, signal)),
      completeSignIn: (ref) => this.#guard('callback', () => exchange.complete(ref)),
      closeBrowser: () => browser.close(),
      discardPendingSignIn: () => this.#discardPendingSignIn(),
      signOut: (options) => this.#signOut(options),
      subscribe: (listener) => this.#events.subscribe(listener),
    };
  }

  getAccessToken(resource?: string, organizationId?: string): Promise<string> {
    return this.#guard('session', () => this.#seams.tokens.getAccessToken(resource, organizationId));
  }

  refreshAccessToken(resource?: string, organizationId?: string): Promise<string> {
    return this.#guard('session', () => this.#seams.tokens.refreshAccessToken(resource, organizationId));
  }

  async expireSession(): Promise<void> {
    await this.#ready;
    await this.#seams.tokens
      .expire()
      .catch((error: unknown) => this.#deps.log('error', `could not clear the session: ${describeError(error)}`));
  }

  fetchUserInfo(): Promise<Record<string, unknown>> {
    const { client, tokens, requester } = this.#seams;
    return this.#guard('session', async () => {
      const { userinfoEndpoint } = await client.getOidcConfig();
      try {
        return await fetchUserInfo(userinfoEndpoint, await tokens.getAccessToken(), requester);
      } catch (error) {
        // One forced refresh when the cached token was refused (revoked or rotated elsewhere).
        if (statusOf(error) !== 401) throw error;
        return await fetchUserInfo(userinfoEndpoint, await tokens.refreshAccessToken(), requester);
      }
    });
  }

  dispose(): void {
    this.#events.dispose();
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
    await this.#seams.store.load().catch((error: unknown) => log('warn', `could not load the stored session: ${describeError(error)}`));
  }

  /** Remembered while it runs: a deep link arriving meanwhile may be the launch callback it reports. */
  #restore(): Promise<RestoreResult> {
    const run = this.#seams.readStoredState();
    this.#restoring = run;
    const done = () => {
      if (this.#restoring === run) this.#restoring = null;
    };
    run.then(done, done);
    return run;
  }

  async #startSignIn(options: SignInOptions, signal?: AbortSignal): Promise<void> {
    const { storage, now } = this.#deps;
    this.#seams.signOut.forgetRedirect();
    this.#seams.startGate.begin(signal);
    // Before any redirect: does the provider answer? (provider-check.ts says why.)
    await checkProviderAnswers({ fetch: this.#deps.fetch, endpoint: this.#config.endpoint }, signal);
    // Our record first, so Retry after a restart repeats these options; the SDK then writes its
    // session (PKCE verifier, state) and navigates, which opens the system browser.
    await writePendingSignIn(storage, { options, startedAt: now() });
    try {
      if (signal?.aborted) throw abortError();
      await startBaseSignIn(this.#seams.client, this.#config.redirectUri, options);
    } catch (error) {
      this.#seams.browser.release();
      await forgetPendingSignIn(storage).catch(() => undefined);
      if (signal?.aborted) this.#deps.log('info', 'sign-in cancelled before the browser opened');
      else this.#deps.log('warn', `could not start sign-in: ${describeError(mapLogtoError(error, 'redirect'))}`);
      throw error;
    }
  }

  async #discardPendingSignIn(): Promise<void> {
    this.#seams.browser.release();
    try {
      await this.#ready;
      await forgetPendingSignIn(this.#deps.storage);
    } catch (error) {
      this.#deps.log('warn', `could not forget the pending sign-in: ${describeError(error)}`);
    }
  }

  async #signOut(options: SignOutOptions): Promise<SignOutStarted> {
    await this.#ready.catch(() => undefined);
    return this.#seams.signOut.signOut(options).catch((error: unknown) => {
      throw mapLogtoError(error, 'signOut');
    });
  }

  /** The platform listeners, while anybody subscribes; returns their removal. */
  #listen(): () => void {
    const { app, browser, tokens } = this.#seams;
    const emit = (event: Parameters<PlatformEventHub['emit']>[0]) => this.#events.emit(event);
    const stopApp = app.listen({
      onUrl: (url) => this.#onDeepLink(url),
      onResume: async () => {
        emit({ type: 'APP_RESUMED' });
        await this.#ready;
        await tokens.refreshAhead();
      },
    });
    const stopBrowser = browser.onClosed(() => emit({ type: 'BROWSER_CLOSED' }));
    return () => {
      stopApp();
      stopBrowser();
    };
  }

  async #onDeepLink(url: string): Promise<void> {
    if (this.#events.disposed) return;
    const { signOut, admission } = this.#seams;
    if (isRedirectTo(url, this.#config.postSignOutRedirectUri ? parseUrl(this.#config.postSignOutRedirectUri) : null)) {
      // Only the answer to a sign-out we started; anything else is a link someone sent us.
      if (signOut.takeRedirect()) this.#events.emit({ type: 'SIGN_OUT_CALLBACK_RECEIVED' });
      else this.#deps.log('info', 'ignored a sign-out redirect with no sign-out in progress');
      return;
    }
    if (!isRedirectTo(url, parseUrl(this.#config.redirectUri))) {
      this.#deps.log('debug', 'ignored a deep link that is not an auth redirect');
      return;
    }
    await this.#ready;
    const admitted = await admission.admit(url, 'deep-link');
    if (!admitted.ok) return;
    // During boot, restore() may hand the same URL to the machine as the launch callback.
    const restored = await this.#restoring?.catch(() => null);
    if (restored?.launchCallback === admitted.ref) return;
    this.#events.emit({ type: 'CALLBACK_RECEIVED', callback: admitted.ref });
  }
}
