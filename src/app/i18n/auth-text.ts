/**
 * The auth errors' sentences in the reader's language. The machine (auth/core) stays free of
 * languages: its errors carry a `kind` and a `code`, and an English message from core's one table.
 * Here, at the screen's edge, the same kind and code pick the sentence from the reader's table;
 * a notice core worded for one situation is recognised by its English sentence.
 */
// Core's errors file, not its barrel: the barrel brings XState and the machine into the initial bundle.
import { AUTH_ERROR_TEXT, AUTH_NOTICE_TEXT, authErrorMessage } from '../auth/core/errors';
import type { AuthError, AuthErrorKind } from '../auth/core/port';

export interface KindText {
  readonly title: string;
  readonly message: string;
  readonly codes?: Readonly<Record<string, string>>;
}

export type NoticeName = keyof typeof AUTH_NOTICE_TEXT;

export interface ErrorTextTable {
  readonly kinds: Readonly<Record<AuthErrorKind, KindText>>;
  readonly notices: Readonly<Record<NoticeName, string>>;
}

export const EN_ERROR_TEXT: ErrorTextTable = { kinds: AUTH_ERROR_TEXT, notices: AUTH_NOTICE_TEXT };

export function errorTitle(error: AuthError, table: ErrorTextTable): string {
  return (table.kinds[error.kind] ?? table.kinds.unknown).title;
}

/** The error's sentence in the table's language. */
export function errorMessage(error: AuthError, table: ErrorTextTable): string {
  if (table === EN_ERROR_TEXT) return error.message;
  for (const name of Object.keys(AUTH_NOTICE_TEXT) as NoticeName[]) {
    const english = AUTH_NOTICE_TEXT[name];
    if (error.message === english) return table.notices[name];
    // The provider's refusal: "<sentence>: <the provider's own description>" or "<sentence>.".
    if ((name === 'providerRefused' || name === 'providerError') && error.message.startsWith(english)) {
      const rest = error.message.slice(english.length);
      return rest.startsWith(': ') ? `${table.notices[name]}：${rest.slice(2)}` : `${table.notices[name]}。`;
    }
  }
  // A sentence core's table does not have (an adapter's own): keep it rather than lose what it says.
  if (error.message !== authErrorMessage(error.kind, error.code)) return error.message;
  const text = table.kinds[error.kind] ?? table.kinds.unknown;
  const family = error.code.includes('.') ? `${error.code.slice(0, error.code.indexOf('.'))}.*` : undefined;
  return text.codes?.[error.code] ?? (family && text.codes?.[family]) ?? text.message;
}
