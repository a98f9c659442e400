import { authError } from '../core/errors';

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

/**
 * The sign-in start in flight, as the SDK's `navigate` sees it: the machine may abandon the start
 * (CANCEL) while discovery or the provider check is still on its way; the navigation (web) or
 * browser open (devices) must then not happen after all.
 */
export class SignInStartGate {
  #signal: AbortSignal | undefined;

  /** A new start; `signal` aborts when the machine gives up on it. */
  begin(signal: AbortSignal | undefined): void {
    this.#signal = signal;
  }

  /** Throws `AbortError` when the start in flight was abandoned. */
  check(): void {
    if (this.#signal?.aborted) throw abortError();
  }
}
