import type { CallbackRef, IdTokenClaims, PlatformEvent, SessionExpiredCode, SignInOptions, SignOutOptions } from './port';

/** Every event the auth machine understands: user intents plus forwarded platform signals. */
export type AuthEvent =
  | { readonly type: 'SIGN_IN'; readonly options?: SignInOptions }
  | { readonly type: 'SIGN_OUT'; readonly options?: SignOutOptions }
  | { readonly type: 'CALLBACK_RECEIVED'; readonly callback: CallbackRef }
  | { readonly type: 'SIGN_OUT_CALLBACK_RECEIVED' }
  | { readonly type: 'BROWSER_CLOSED' }
  | { readonly type: 'APP_RESUMED' }
  | { readonly type: 'RETRY' }
  | { readonly type: 'DISMISS' }
  | { readonly type: 'CANCEL' }
  | { readonly type: 'SESSION_EXPIRED'; readonly code?: SessionExpiredCode }
  | { readonly type: 'SIGNED_OUT_ELSEWHERE' }
  | { readonly type: 'SESSION_ADOPTED'; readonly claims: IdTokenClaims };

export type AuthEventType = AuthEvent['type'];

/**
 * Copy a platform signal into a fresh machine event, keeping only the known fields:
 * whatever else an adapter might attach (a URL, say) never reaches the machine.
 * Returns null for anything that is not a known platform event.
 */
export function toMachineEvent(event: PlatformEvent): AuthEvent | null {
  switch (event?.type) {
    case 'CALLBACK_RECEIVED':
      return typeof event.callback === 'string' && event.callback.length > 0
        ? { type: 'CALLBACK_RECEIVED', callback: event.callback }
        : null;
    case 'SESSION_EXPIRED':
      return event.code === 'refresh_answer_lost' ? { type: 'SESSION_EXPIRED', code: event.code } : { type: 'SESSION_EXPIRED' };
    case 'SESSION_ADOPTED':
      // Decoded claims only (never a token): the machine's guard checks they are usable.
      return typeof event.claims === 'object' && event.claims !== null ? { type: 'SESSION_ADOPTED', claims: event.claims } : null;
    case 'SIGNED_OUT_ELSEWHERE':
    case 'SIGN_OUT_CALLBACK_RECEIVED':
    case 'BROWSER_CLOSED':
    case 'APP_RESUMED':
      return { type: event.type };
    default:
      return null;
  }
}
