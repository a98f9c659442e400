/**
 * Exact redirect-URI matching. The seed's sign-out URI (`…://callback/sign-out`) starts with
 * its sign-in URI (`…://callback`), so prefix matching (the SDK's `startsWith`) would take one
 * for the other; and the SDK's `isSignInRedirected` compares `origin`, which is `'null'` for
 * custom schemes. We parse both sides and compare every part except the query.
 */

export function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/** Scheme, credentials, host, port and path equal; the query is the callback's payload. */
export function isExactRedirect(candidate: URL, redirectUri: URL): boolean {
  return (
    candidate.protocol === redirectUri.protocol &&
    candidate.username === redirectUri.username &&
    candidate.password === redirectUri.password &&
    candidate.host === redirectUri.host &&
    candidate.pathname === redirectUri.pathname
  );
}

export type CallbackRefusal = 'malformed' | 'not_redirect_uri' | 'missing_state' | 'missing_code';

export interface CallbackParams {
  readonly state: string;
  /** Present on success; absent when the provider answered with `error`. */
  readonly hasCode: boolean;
  readonly error?: string;
}

export type CallbackInspection =
  { readonly ok: true; readonly params: CallbackParams } | { readonly ok: false; readonly reason: CallbackRefusal };

/**
 * Reads a candidate sign-in callback. Refuses what the SDK would misread: its parser splits on
 * `?` and keeps a fragment inside the last value, so a URL with `#`, a second `?` or a repeated
 * parameter is malformed for us.
 */
export function inspectSignInCallback(raw: string, redirectUri: URL): CallbackInspection {
  const url = parseUrl(raw);
  if (!url) return { ok: false, reason: 'malformed' };
  if (!isExactRedirect(url, redirectUri)) return { ok: false, reason: 'not_redirect_uri' };
  if (url.hash !== '' || raw.includes('#') || raw.split('?').length > 2) return { ok: false, reason: 'malformed' };
  const params = url.searchParams;
  for (const key of ['state', 'code', 'error']) {
    if (params.getAll(key).length > 1) return { ok: false, reason: 'malformed' };
  }
  const state = params.get('state');
  if (!state) return { ok: false, reason: 'missing_state' };
  const code = params.get('code');
  const error = params.get('error');
  if (!code && !error) return { ok: false, reason: 'missing_code' };
  return { ok: true, params: { state, hasCode: Boolean(code), ...(error ? { error } : {}) } };
}

/** True when `raw` is exactly the given redirect URI (any query). */
export function isRedirectTo(raw: string, redirectUri: URL | null): boolean {
  if (!redirectUri) return false;
  const url = parseUrl(raw);
  return url !== null && isExactRedirect(url, redirectUri);
}
