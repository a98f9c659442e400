import type { AuthContext } from './context';
import { isAuthError } from './errors';
import type { AuthError, IdTokenClaims, SignInOptions } from './port';

/**
 * Redaction for anything that leaves the app as text: the debug page, "copy report", logs.
 * The machine's context holds no tokens by construction; this removes what is personal
 * (emails, phone numbers) or could be a secret if an adapter ever slipped one in
 * (URLs, JWTs, long opaque strings).
 */

const URL_PATTERN = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]*/gi;
const JWT_PATTERN = /\beyJ[\w-]*\.[\w-]+\.[\w-]*/g;
/** Authorization codes, refresh tokens, PKCE verifiers: 32+ url-safe characters in a row. */
const OPAQUE_SECRET_PATTERN = /[A-Za-z0-9_~-]{32,}/g;
const EMAIL_PATTERN = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})/g;

/** Claims that are derived from tokens or identify a session: never shown. */
const SECRET_CLAIMS = new Set(['at_hash', 'c_hash', 's_hash', 'nonce', 'sid', 'jti']);
const PHONE_CLAIMS = new Set(['phone_number', 'phone']);

export const REDACTED = '[redacted]';

/** `jane.doe@example.com` → `j***@example.com`. Anything not an email is returned scrubbed. */
export function maskEmail(value: string): string {
  return value.replace(EMAIL_PATTERN, '$1***@$2');
}

/** `+86 138 0013 8000` → `***00`: enough to recognise, not enough to call. */
export function maskPhone(value: string): string {
  const digits = value.replace(/\D/g, '');
  return digits.length <= 2 ? '***' : `***${digits.slice(-2)}`;
}

/** Free text: URLs, JWTs and long opaque strings removed, emails masked. */
export function scrubText(text: string): string {
  return maskEmail(text.replace(URL_PATTERN, '[url]').replace(JWT_PATTERN, REDACTED).replace(OPAQUE_SECRET_PATTERN, REDACTED));
}

function redactValue(key: string, value: unknown, depth: number): unknown {
  if (SECRET_CLAIMS.has(key)) return REDACTED;
  if (typeof value === 'string') return PHONE_CLAIMS.has(key) ? maskPhone(value) : scrubText(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  if (depth >= 4) return REDACTED;
  if (Array.isArray(value)) return value.map((item) => redactValue(key, item, depth + 1));
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, redactValue(k, v, depth + 1)]));
  }
  return REDACTED; // functions, symbols, bigints: not data we show
}

export function redactClaims(claims: IdTokenClaims): Record<string, unknown> {
  return redactValue('', claims, 0) as Record<string, unknown>;
}

export interface RedactedSignInOptions {
  readonly firstScreen?: string;
  readonly identifiers?: readonly string[];
  readonly interactionMode?: string;
  readonly loginHint?: string;
  readonly directSignIn?: { readonly method: string; readonly target: string };
  /** Only the parameter names: values could be anything. */
  readonly extraParams?: readonly string[];
  /** A fixed word (`login`: an account switch), kept so a report shows why the provider asked again. */
  readonly prompt?: 'login';
}

export function redactSignInOptions(options: SignInOptions): RedactedSignInOptions {
  return {
    ...(options.firstScreen ? { firstScreen: options.firstScreen } : {}),
    ...(options.identifiers ? { identifiers: [...options.identifiers] } : {}),
    ...(options.interactionMode ? { interactionMode: options.interactionMode } : {}),
    ...(options.loginHint !== undefined ? { loginHint: scrubText(options.loginHint) } : {}),
    ...(options.directSignIn
      ? { directSignIn: { method: scrubText(options.directSignIn.method), target: scrubText(options.directSignIn.target) } }
      : {}),
    ...(options.extraParams ? { extraParams: Object.keys(options.extraParams) } : {}),
    ...(options.prompt === 'login' ? { prompt: 'login' as const } : {}),
  };
}

export function redactError(error: AuthError): AuthError {
  return {
    kind: error.kind,
    code: scrubText(error.code),
    message: scrubText(error.message),
    step: error.step,
    retry: error.retry,
  };
}

export interface RedactedAuthContext {
  readonly claims: Record<string, unknown> | null;
  readonly error: AuthError | null;
  readonly pendingSignIn: RedactedSignInOptions | null;
  /** The callback ref is opaque, but whether one is held is all a report needs. */
  readonly callback: 'present' | 'absent';
}

export function redactContext(context: AuthContext): RedactedAuthContext {
  return {
    claims: context.claims ? redactClaims(context.claims) : null,
    error: context.error ? redactError(context.error) : null,
    pendingSignIn: context.pendingSignIn ? redactSignInOptions(context.pendingSignIn) : null,
    callback: context.callback ? 'present' : 'absent',
  };
}

function isAuthContextLike(value: unknown): value is AuthContext {
  return typeof value === 'object' && value !== null && 'claims' in value && 'error' in value && 'pendingSignIn' in value;
}

/**
 * Any actor's snapshot as a development tool may show it. The auth machine's context is
 * redacted; every actor's input, output and error (the invoked effects carry sign-in options,
 * claims and restore results in them) is reduced to a marker or an error kind; anything else
 * (children, history, internals) is dropped.
 */
export function redactActorSnapshot(snapshot: unknown): Record<string, unknown> {
  if (typeof snapshot !== 'object' || snapshot === null) return {};
  const s = snapshot as Record<string, unknown>;
  const error = s['error'];
  return {
    ...(typeof s['status'] === 'string' ? { status: s['status'] } : {}),
    // State names only.
    ...(s['value'] !== undefined ? { value: JSON.parse(JSON.stringify(s['value'])) as unknown } : {}),
    ...(s['context'] !== undefined ? { context: isAuthContextLike(s['context']) ? redactContext(s['context']) : REDACTED } : {}),
    ...(s['input'] !== undefined ? { input: REDACTED } : {}),
    ...(s['output'] !== undefined ? { output: REDACTED } : {}),
    ...(error !== undefined ? { error: isAuthError(error) ? { kind: error.kind, code: scrubText(error.code) } : REDACTED } : {}),
  };
}
