import type { Requester } from '@logto/js';
import { LogtoRequestError } from '@logto/capacitor';

/**
 * The adapter's one HTTP helper: the SDK's requester (bounded, quiet), the deadline every other
 * wait uses (`withTimeout`, `settleWithin`) and the timeout error they throw.
 */

/** Thrown when a deadline of the adapter passed (a request, a caller's wait, a browser step). */
export class RequestTimeoutError extends Error {
  override readonly name = 'TimeoutError';
  constructor(what = 'request') {
    super(`The ${what} timed out.`);
  }
}

/**
 * The SDK's requester contract (`fetch` args in, parsed JSON out), with two differences from
 * `createRequester` in @logto/client: every request is bounded (fetch alone never times out),
 * and failures are not printed (the stock one logs response bodies with console.error).
 * Plain oidc-provider answers `{error, error_description}`; Logto wraps the same as
 * `{code: 'oidc.<error>', message}`. Both become `LogtoRequestError('oidc.<error>')`.
 */
export function createTimedRequester(fetchFn: typeof fetch, timeoutMs: number): Requester {
  const requester = async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]): Promise<unknown> => {
    const controller = new AbortController();
    let timedOut = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
        reject(new RequestTimeoutError());
      }, timeoutMs);
    });
    try {
      // Race as well as abort: a fetch that ignores the signal must not hang us either.
      return await Promise.race([deadline, send(fetchFn, input, { ...init, signal: controller.signal })]);
    } catch (error) {
      if (timedOut) throw new RequestTimeoutError();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  };
  return requester as Requester;
}

async function send(fetchFn: typeof fetch, input: Parameters<typeof fetch>[0], init: RequestInit): Promise<unknown> {
  const response = await fetchFn(input, init);
  if (!response.ok) throw await toRequestError(response);
  // Revocation answers 200 with an empty body; the stock requester fails on it (and then swallows it).
  const text = await response.text();
  return text ? JSON.parse(text) : {};
}

async function toRequestError(response: Response): Promise<LogtoRequestError> {
  const text = await response.text().catch(() => '');
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null) body = parsed as Record<string, unknown>;
  } catch {
    // Not JSON: fall through to the status code.
  }
  if (typeof body['code'] === 'string' && typeof body['message'] === 'string') {
    return new LogtoRequestError(body['code'], body['message'], response);
  }
  if (typeof body['error'] === 'string') {
    const description = typeof body['error_description'] === 'string' ? body['error_description'] : body['error'];
    return new LogtoRequestError(`oidc.${body['error']}`, description, response);
  }
  const code = response.status === 429 ? 'rate_limited' : `http_error_${response.status}`;
  return new LogtoRequestError(code, response.statusText, response);
}

/** HTTP status of a LogtoRequestError made by our requester (its `cause` is the response). */
export function statusOf(error: unknown): number | undefined {
  const cause = (error as { cause?: unknown } | null)?.cause;
  return typeof cause === 'object' && cause !== null && typeof (cause as Response).status === 'number'
    ? (cause as Response).status
    : undefined;
}

/** Settles like `promise`, or rejects with RequestTimeoutError after `ms` (the promise keeps running). */
export function withTimeout<T>(promise: Promise<T>, ms: number, what?: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new RequestTimeoutError(what)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** Waits for `promise` at most `ms`, never rejects: for best-effort steps (close, revoke). */
export async function settleWithin(promise: Promise<unknown>, ms: number): Promise<'done' | 'failed' | 'timeout'> {
  try {
    await withTimeout(promise, ms);
    return 'done';
  } catch (error) {
    return error instanceof RequestTimeoutError ? 'timeout' : 'failed';
  }
}
