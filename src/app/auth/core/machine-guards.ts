import { isUsableClaims, type AuthContext } from './context';
import type { CallbackRef, RestoreResult, SignOutStarted } from './port';

/** What a guard that reads the machine's context is given. */
interface Current {
  readonly context: AuthContext;
}

/**
 * The machine's conditions, by name: each transition in auth-machine.ts that may or may not
 * apply names one of these. Pure functions of the context or of the params the transition
 * passes (an actor's output, an event's claims), so they can be read and tested on their own.
 */
export const authGuards = {
  /** A session exists (the machine's view: usable ID-token claims). */
  hasUsableClaims: ({ context }: Current) => isUsableClaims(context.claims),
  /** Restore found claims worth entering `authenticated` with. */
  hasRestoredSession: (_: unknown, params: { result: RestoreResult }) => isUsableClaims(params.result.claims),
  hasLaunchCallback: (_: unknown, params: { callback: CallbackRef | null }) => params.callback !== null,
  hasPendingSignIn: (_: unknown, params: { result: RestoreResult }) => params.result.pendingSignIn,
  /** A sign-in was in flight over a stored session (a re-sign-in / switch the app lost track of). */
  hasPendingSignInOverSession: (_: unknown, params: { result: RestoreResult }) =>
    params.result.pendingSignIn && isUsableClaims(params.result.claims),
  /** A notice (a sign-in that did not finish) is on screen in `authenticated`. */
  hasNotice: ({ context }: Current) => context.error !== null,
  hasNewClaims: (_: unknown, params: { claims: unknown }) => isUsableClaims(params.claims),
  /** The error's policy is to re-run the exchange, and the callback it failed on is still held. */
  retriesSameCallback: ({ context }: Current) => context.error?.retry === 'sameCallback' && context.callback !== null,
  /** Any other retry opens the browser again (a same-callback policy without a callback ref included). */
  retriesWithNewRedirect: ({ context }: Current) => context.error !== null && context.error.retry !== 'none',
  /** The port signed out without opening an end-session page, so there is nothing to wait for. */
  hasNoEndSessionPage: (_: unknown, params: { started: SignOutStarted }) => !params.started?.awaitingBrowser,
};
