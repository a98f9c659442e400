/**
 * 简体中文: every screen's sentences (one file per screen, as in ../en/) and the auth errors'
 * sentences. Loaded as one chunk, only when the person reads Chinese (a dynamic import in
 * i18n.ts), and before the first screen: it costs nothing in the initial bundle. Each file's
 * `satisfies` makes a missing or unknown key a type error; i18n.spec.ts also checks placeholders
 * and that every error kind and code has its sentence.
 */
import type { Messages } from '../messages';
import { callbackZh } from './callback';
import { debugZh } from './debug';
import { homeZh } from './home';
import { sharedZh } from './shared';
import { shellZh } from './shell';
import { signInZh } from './sign-in';

export const messages: Messages = { ...shellZh, ...sharedZh, ...signInZh, ...callbackZh, ...homeZh, ...debugZh };

export { errorText } from './auth-errors';
