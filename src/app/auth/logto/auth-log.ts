/**
 * The adapter's only way to log. Callers pass fixed sentences and error summaries from
 * `describeError`, never URLs, tokens or server messages (which may echo request data).
 */
export type AuthLogLevel = 'debug' | 'info' | 'warn' | 'error';
export type AuthLogger = (level: AuthLogLevel, message: string) => void;

/** Default logger: warnings and errors to the console, the rest dropped (lint allows only those two). */
export const consoleAuthLogger: AuthLogger = (level, message) => {
  if (level === 'warn') console.warn(`[auth/logto] ${message}`);
  else if (level === 'error') console.error(`[auth/logto] ${message}`);
};

/** `Name (code)` of an error: enough to diagnose, nothing that can carry a secret. */
export function describeError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return typeof error;
  const { name, code, kind } = error as { name?: unknown; code?: unknown; kind?: unknown };
  const label = typeof name === 'string' ? name : typeof kind === 'string' ? `AuthError ${kind}` : 'Error';
  return typeof code === 'string' && /^[\w.:-]{1,80}$/.test(code) ? `${label} (${code})` : label;
}
