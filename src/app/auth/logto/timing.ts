import { RequestTimeoutError } from './error-mapping';

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
