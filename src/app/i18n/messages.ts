/**
 * Where the app's sentences live: one English file per screen in en/ (and its Chinese twin in
 * zh-CN/). Only en/shell.ts is in the initial bundle; each screen's English travels in that
 * screen's lazy chunk, and the component that shows it adds it with `injectI18n` (i18n.ts).
 * `{name}` marks a value filled in at run time; a translation must keep the same placeholders
 * (i18n.spec.ts checks). The auth errors' sentences live in core (auth/core/errors.ts) and are
 * translated by their kind and code (auth-text.ts).
 *
 * Types only: importing this file brings no sentence into a bundle.
 */
import type { callbackEn } from './en/callback';
import type { debugEn } from './en/debug';
import type { homeEn } from './en/home';
import type { sharedEn } from './en/shared';
import type { shellEn } from './en/shell';
import type { signInEn } from './en/sign-in';

export type MessageKey =
  | keyof typeof shellEn
  | keyof typeof sharedEn
  | keyof typeof signInEn
  | keyof typeof callbackEn
  | keyof typeof homeEn
  | keyof typeof debugEn;
export type Messages = Readonly<Record<MessageKey, string>>;

/** A screen's English texts (`homeEn` and so on): some of the keys. */
export type Texts = Partial<Messages>;
