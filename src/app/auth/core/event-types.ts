import type { AuthEventType } from './events';

/** One entry per event type: a missing or unknown type fails to compile. */
const EVENT_TYPES: { readonly [Type in AuthEventType]: true } = {
  SIGN_IN: true,
  SIGN_OUT: true,
  CALLBACK_RECEIVED: true,
  SIGN_OUT_CALLBACK_RECEIVED: true,
  BROWSER_CLOSED: true,
  APP_RESUMED: true,
  RETRY: true,
  DISMISS: true,
  CANCEL: true,
  SESSION_EXPIRED: true,
  SIGNED_OUT_ELSEWHERE: true,
  SESSION_ADOPTED: true,
};

/**
 * Every event type the machine understands, in one list: the debug page names each. A module of
 * its own, imported by path rather than through the `core` index: then the bundler keeps the list
 * in the debug page's lazy chunk; through the index it landed in the first screen's bundle.
 */
export const AUTH_EVENT_TYPES: readonly AuthEventType[] = Object.freeze(Object.keys(EVENT_TYPES) as AuthEventType[]);
