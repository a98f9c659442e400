/**
 * Reading an answer from the real Logto server's APIs (the Experience API a browser calls and
 * the Management API), the same way for both: a failure becomes a LogtoApiError carrying the
 * HTTP status and Logto's error code (its JSON body's `code`, e.g. `user.user_not_exist`), and a
 * success is parsed only when it is JSON — Logto answers some requests (a role assignment) with
 * 201 and Koa's plain-text "Created".
 */
export class LogtoApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    step: string,
  ) {
    super(`${step}: HTTP ${status} ${code}`.trim());
  }
}

/** The answer's JSON (undefined when it has none); throws LogtoApiError naming `step` when it failed. */
export async function readLogtoAnswer<T = unknown>(response: Response, step: string): Promise<T> {
  const text = await response.text();
  if (!response.ok) {
    let code = '';
    try {
      code = (JSON.parse(text) as { code?: string }).code ?? '';
    } catch {
      // not JSON: the status says enough
    }
    throw new LogtoApiError(response.status, code, step);
  }
  const json = response.headers.get('content-type')?.includes('application/json');
  return (text && json ? JSON.parse(text) : undefined) as T;
}
