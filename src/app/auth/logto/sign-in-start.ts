import { authError } from '../core/errors';
import type { SignInOptions } from '../core/port';
import { describeError, mapLogtoError, type AuthLogger } from './error-mapping';
import { forgetPendingSignIn, writePendingSignIn } from './pending-sign-in';
import type { SystemBrowser } from './system-browser';
import type { TokenStorage } from './token-storage';

/**
 * The start of a sign-in, from the person's tap to the open browser: is the provider there
 * (`checkProviderAnswers`), our record of the sign-in in flight (written with pending-sign-in.ts,
 * where its format and the one rule for when it still counts live, shared with restore and
 * callback admission), the SDK's `signIn` (discovery, PKCE + state; handed in by the
 * composition) and opening the browser it navigates to — and stopping all of that when the
 * machine abandons the start.
 */

/**
 * "Does the identity provider answer?", asked right before every sign-in redirect.
 *
 * Why: on the web a top-level navigation to a dead server replaces the app with the browser's
 * "This site can't be reached" page, and nothing can catch that afterwards; on devices the system
 * browser shows its own error page. The SDK only asks the server when its discovery cache is
 * empty, so with a warm cache (switch account, sign in again after a sign-out) nothing checked.
 *
 * One short GET of the discovery document, never from the HTTP cache (a cached answer proves
 * nothing about the server now). Fails with the same `network` error a failed discovery gives
 * ("Check your connection", Retry), or `server` when the provider answers with a 5xx.
 */
export const PROVIDER_CHECK_TIMEOUT = 5_000;

export interface ProviderCheckDeps {
  readonly fetch: typeof fetch;
  /** Logto endpoint without `/oidc`. */
  readonly endpoint: string;
  readonly timeout?: number;
}

/** Rejects with `AbortError` when `signal` aborts (the person cancelled): no error to show then. */
export async function checkProviderAnswers(deps: ProviderCheckDeps, signal?: AbortSignal): Promise<void> {
  const url = `${deps.endpoint.replace(/\/+$/, '')}/oidc/.well-known/openid-configuration`;
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  signal?.addEventListener('abort', onAbort);
  const timer = setTimeout(onAbort, deps.timeout ?? PROVIDER_CHECK_TIMEOUT);
  let response: Response;
  try {
    if (signal?.aborted) throw abortError();
    response = await deps.fetch(url, { method: 'GET', cache: 'no-store', signal: controller.signal });
    // The body is not needed; do not keep the connection busy with it.
    void response.body?.cancel().catch(() => undefined);
  } catch {
    if (signal?.aborted) throw abortError();
    throw authError({ kind: 'network', code: 'provider_unreachable', step: 'redirect' });
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
  if (response.status >= 500) throw authError({ kind: 'server', code: `http_error_${response.status}`, step: 'redirect' });
}

export function abortError(): Error {
  return new DOMException('The sign-in was cancelled before the browser opened.', 'AbortError');
}

export interface SignInStartDeps {
  readonly storage: TokenStorage;
  readonly browser: SystemBrowser;
  /** The SDK's base-class `signIn` (logto-client.ts), which ends by calling `openBrowser`. */
  readonly startSdkSignIn: (options: SignInOptions) => Promise<void>;
  readonly fetch: typeof fetch;
  /** Logto endpoint without `/oidc`. */
  readonly endpoint: string;
  readonly now: () => number;
  readonly log: AuthLogger;
}

/** The sign-in start seam: the port's `startSignIn` and `discardPendingSignIn`. */
export class SignInStart {
  readonly #deps: SignInStartDeps;
  /**
   * Aborts when the machine gives up on the start in flight (CANCEL) — possibly while discovery or
   * the provider check is still on its way; the browser must then not open after all.
   */
  #cancelled: AbortSignal | undefined;

  constructor(deps: SignInStartDeps) {
    this.#deps = deps;
  }

  /** Resolves once the browser is open (web: once navigation started). */
  async start(options: SignInOptions, signal?: AbortSignal): Promise<void> {
    const { storage, now, log } = this.#deps;
    this.#cancelled = signal;
    // Before any redirect: does the provider answer? (checkProviderAnswers says why.)
    await checkProviderAnswers({ fetch: this.#deps.fetch, endpoint: this.#deps.endpoint }, signal);
    // Our record first, so Retry after a restart repeats these options; the SDK then writes its
    // session (PKCE verifier, state) and navigates, which opens the system browser.
    await writePendingSignIn(storage, { options, startedAt: now() });
    try {
      if (signal?.aborted) throw abortError();
      await this.#deps.startSdkSignIn(options);
    } catch (error) {
      this.#deps.browser.release();
      await forgetPendingSignIn(storage).catch(() => undefined);
      if (signal?.aborted) log('info', 'sign-in cancelled before the browser opened');
      else log('warn', `could not start sign-in: ${describeError(mapLogtoError(error, 'redirect'))}`);
      throw error;
    }
  }

  /** The SDK's `navigate`, its `signIn`'s last step: open the browser, unless the start was abandoned. */
  async openBrowser(url: string): Promise<void> {
    if (this.#cancelled?.aborted) throw abortError();
    await this.#deps.browser.open(url, 'sign-in');
  }

  /** The machine gave up on the pending sign-in: forget it (best effort, logged). */
  async discard(): Promise<void> {
    this.#deps.browser.release();
    try {
      await forgetPendingSignIn(this.#deps.storage);
    } catch (error) {
      this.#deps.log('warn', `could not forget the pending sign-in: ${describeError(error)}`);
    }
  }
}
