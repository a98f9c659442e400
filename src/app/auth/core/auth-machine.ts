import { assign, setup } from 'xstate';

import { initialAuthContext, isUsableClaims, type AuthContext } from './context';
import {
  AUTH_NOTICE_TEXT,
  authError,
  cancelledError,
  cancelledNotice,
  sessionExpiredError,
  signedOutElsewhereNotice,
  toAuthError,
} from './errors';
import type { AuthEvent } from './events';
import { AUTH_ACTOR_IDS, placeholderActors } from './machine-actors';
import { authGuards } from './machine-guards';
import type { AuthError, CallbackRef, IdTokenClaims, RestoreResult } from './port';
import type { AuthTag } from './tags';
import { DEFAULT_TIMERS } from './timers';

/** The machine id; state node ids are `auth.signingIn.redirecting` etc. */
export const AUTH_MACHINE_ID = 'auth';

// Errors the machine raises itself (the port's failures arrive through toAuthError).
const REDIRECT_TIMEOUT = authError({ kind: 'timeout', code: 'redirect_timeout', step: 'redirect' });
const TOKEN_REQUEST_TIMEOUT = authError({ kind: 'timeout', code: 'token_request_timeout', step: 'callback' });
// The exchange answered without usable claims: re-running it would answer the same.
const MISSING_CLAIMS = authError({ kind: 'invalid_callback', code: 'id_token_missing', step: 'callback', retry: 'newRedirect' });

/** Signed out locally, the provider unreachable: a notice in `idle`, nothing to retry. */
export function signOutUnreachableError(error: unknown): AuthError {
  const mapped = toAuthError(error, 'signOut');
  return authError({ kind: mapped.kind, code: mapped.code, step: 'signOut', message: AUTH_NOTICE_TEXT.signOutUnreachable, retry: 'none' });
}

/**
 * The sign-in did not finish and the browser step is over (grace or resume window elapsed): a
 * re-sign-in returns to the kept session with a notice (its pending sign-in is kept, so a late
 * deep link still completes it); a first sign-in is the recoverable `cancelled` error.
 */
function browserStepEnded(code: string) {
  return [
    {
      guard: 'hasUsableClaims',
      target: '#auth.authenticated',
      actions: { type: 'setError', params: { error: cancelledNotice(code, true) } },
    },
    { target: '#auth.error', actions: { type: 'setError', params: { error: cancelledError(code) } } },
  ] as const;
}

/**
 * Another tab signed out (web): the adapter already stopped serving tokens; the signed-out
 * screen says who did it, with no "for your security".
 */
const SIGNED_OUT_ELSEWHERE = {
  target: '#auth.idle',
  actions: ['clearClaims', 'resetFlow', { type: 'setError', params: { error: signedOutElsewhereNotice() } }],
} as const;

/** Another tab signed in or switched account, and the adapter adopted that session: show it, no reload. */
const SESSION_ADOPTED = {
  guard: { type: 'hasNewClaims', params: ({ event }: { event: { claims: unknown } }) => ({ claims: event.claims }) },
  target: '#auth.authenticated',
  actions: { type: 'storeClaims', params: ({ event }: { event: { claims: IdTokenClaims } }) => ({ claims: event.claims }) },
} as const;

/** Start (or restart) a sign-in with the options of the SIGN_IN event; the one SIGN_IN transition. */
const SIGN_IN = { target: '#auth.signingIn', actions: 'beginRequestedSignIn' } as const;

/**
 * The auth machine with placeholder effects and the default delays; `createAuthMachine(port,
 * { timers })` provides the real effects and the configured delays (`.provide()`).
 */
export const authMachine = setup({
  types: {} as {
    context: AuthContext;
    events: AuthEvent;
    tags: AuthTag;
  },
  actors: placeholderActors,
  actions: {
    /** Best-effort close of the system browser (fire and forget; provided from the port). */
    closeBrowser: () => undefined,
    /** Forget the stored pending sign-in after the user dismissed it (provided from the port). */
    discardPendingSignIn: () => undefined,
    /** A new sign-in with the SIGN_IN event's options (a new flow: no callback, no error). */
    beginRequestedSignIn: assign(({ event }) => ({
      pendingSignIn: event.type === 'SIGN_IN' ? (event.options ?? {}) : {},
      callback: null,
      error: null,
    })),
    /** RETRY through the browser: the same options again (`{}` after a session expiry). */
    repeatPendingSignIn: assign(({ context }) => ({
      pendingSignIn: context.pendingSignIn ?? {},
      callback: null,
      error: null,
    })),
    rememberCallback: assign((_, params: { callback: CallbackRef }) => ({ callback: params.callback, error: null })),
    applyRestore: assign((_, params: { result: RestoreResult; callback: CallbackRef | null }) => ({
      claims: isUsableClaims(params.result.claims) ? params.result.claims : null,
      pendingSignIn: params.result.pendingSignIn || params.callback ? (params.result.pendingSignInOptions ?? {}) : null,
      callback: params.callback,
    })),
    storeClaims: assign((_, params: { claims: IdTokenClaims }) => ({
      claims: params.claims,
      error: null,
      pendingSignIn: null,
      callback: null,
    })),
    setError: assign((_, params: { error: AuthError }) => ({ error: params.error })),
    clearError: assign({ error: null }),
    clearClaims: assign({ claims: null }),
    /** Forget everything about the sign-in flow (pending options, callback ref, error). */
    resetFlow: assign({ error: null, pendingSignIn: null, callback: null }),
  },
  guards: authGuards,
  // Every wait is bounded by one of these (what each bounds and who owns it: docs/auth-machine.md, Timers).
  delays: { ...DEFAULT_TIMERS },
}).createMachine({
  id: AUTH_MACHINE_ID,
  context: initialAuthContext(),
  // Platform signals for the machine's whole life; stopping the actor unsubscribes.
  invoke: { id: AUTH_ACTOR_IDS.platformEvents, src: 'platformEvents' },
  initial: 'booting',
  states: {
    booting: {
      tags: ['busy', 'unsettled'],
      invoke: {
        id: AUTH_ACTOR_IDS.restore,
        src: 'restore',
        onDone: [
          {
            // Cold start by (or web return to) the sign-in callback: finish it.
            guard: {
              type: 'hasLaunchCallback',
              params: ({ context, event }) => ({ callback: event.output.launchCallback ?? context.callback }),
            },
            target: '#auth.signingIn.callback',
            actions: {
              type: 'applyRestore',
              params: ({ context, event }) => ({
                result: event.output,
                callback: event.output.launchCallback ?? context.callback,
              }),
            },
          },
          {
            // A re-sign-in was in flight but the app came back without its callback: the kept
            // session, with a notice (never a sign-in screen while a session is held).
            guard: { type: 'hasPendingSignInOverSession', params: ({ event }) => ({ result: event.output }) },
            target: 'authenticated',
            actions: [
              { type: 'applyRestore', params: ({ event }) => ({ result: event.output, callback: null }) },
              { type: 'setError', params: { error: cancelledNotice('sign_in_interrupted', true) } },
            ],
          },
          {
            // A sign-in was in flight but the app came back without its callback.
            guard: { type: 'hasPendingSignIn', params: ({ event }) => ({ result: event.output }) },
            target: 'error',
            actions: [
              { type: 'applyRestore', params: ({ event }) => ({ result: event.output, callback: null }) },
              { type: 'setError', params: { error: cancelledError('sign_in_interrupted', 'redirect') } },
            ],
          },
          {
            guard: { type: 'hasRestoredSession', params: ({ event }) => ({ result: event.output }) },
            target: 'authenticated',
            actions: { type: 'applyRestore', params: ({ event }) => ({ result: event.output, callback: null }) },
          },
          { target: 'idle' },
        ],
        // Restore reads storage only; if storage cannot be read there is nothing to resume.
        onError: { target: 'idle' },
      },
      // Storage that never answers must not keep the app booting forever.
      after: { restoreTimeout: 'idle' },
      on: {
        // A deep link that arrives while storage is still being read is kept for after restore.
        CALLBACK_RECEIVED: {
          actions: { type: 'rememberCallback', params: ({ event }) => ({ callback: event.callback }) },
        },
      },
    },

    idle: {
      on: {
        SIGN_IN,
        // The person read the notice ("You cancelled sign-in", an offline sign-out).
        DISMISS: { guard: 'hasNotice', actions: 'resetFlow' },
        SESSION_ADOPTED,
      },
    },

    signingIn: {
      tags: ['busy', 'signingIn'],
      initial: 'redirecting',
      states: {
        redirecting: {
          after: {
            redirectTimeout: {
              target: '#auth.error',
              actions: [{ type: 'setError', params: { error: REDIRECT_TIMEOUT } }, 'closeBrowser'],
            },
          },
          on: {
            CALLBACK_RECEIVED: {
              target: 'callback',
              actions: { type: 'rememberCallback', params: ({ event }) => ({ callback: event.callback }) },
            },
            // The person stopped it: the pending navigation / browser open is aborted (leaving
            // `opening` stops the startSignIn actor), the pending sign-in forgotten; back to
            // where they were, saying so.
            CANCEL: [
              {
                guard: 'hasUsableClaims',
                target: '#auth.authenticated',
                actions: [
                  'resetFlow',
                  { type: 'setError', params: { error: cancelledNotice('user_cancelled', true) } },
                  'closeBrowser',
                  'discardPendingSignIn',
                ],
              },
              {
                target: '#auth.idle',
                actions: [
                  'resetFlow',
                  { type: 'setError', params: { error: cancelledNotice('user_cancelled', false) } },
                  'closeBrowser',
                  'discardPendingSignIn',
                ],
              },
            ],
            // The old session died while the user is signing in again; a late callback still completes.
            SESSION_EXPIRED: {
              target: '#auth.error',
              actions: ['clearClaims', { type: 'setError', params: ({ event }) => ({ error: sessionExpiredError(event.code) }) }],
            },
            // The old session was signed out in another tab; this sign-in goes on and decides.
            SIGNED_OUT_ELSEWHERE: { actions: 'clearClaims' },
          },
          initial: 'opening',
          states: {
            // The port checks that the provider answers, then opens the browser (web: navigates).
            // Stopping this actor (CANCEL, a timeout) aborts an open that has not happened yet.
            opening: {
              tags: ['openingBrowser'],
              invoke: {
                id: AUTH_ACTOR_IDS.startSignIn,
                src: 'startSignIn',
                input: ({ context }) => context.pendingSignIn ?? {},
                // Resolving means "the browser is open": wait for a signal.
                onDone: 'waiting',
                onError: {
                  target: '#auth.error',
                  actions: { type: 'setError', params: ({ event }) => ({ error: toAuthError(event.error, 'redirect') }) },
                },
              },
              on: { BROWSER_CLOSED: 'closing' },
            },
            waiting: {
              tags: ['browserOpen'],
              on: { BROWSER_CLOSED: 'closing', APP_RESUMED: 'resumed' },
            },
            // The browser said it closed; Android may still deliver the deep link a moment later.
            closing: {
              tags: ['browserOpen'],
              after: { browserClosedGrace: browserStepEnded('browser_closed') },
            },
            // Back in the app with the browser supposedly open (Android: tab lost when the user
            // went to the mail app and came back through the launcher).
            resumed: {
              tags: ['browserOpen'],
              on: { BROWSER_CLOSED: 'closing' },
              after: { resumeWindow: browserStepEnded('app_resumed_without_callback') },
            },
          },
        },

        callback: {
          tags: ['unsettled', 'exchangingCode'],
          // The browser has done its job. A rejecting close is ignored (iOS: "No active window").
          entry: 'closeBrowser',
          invoke: {
            id: AUTH_ACTOR_IDS.completeSignIn,
            src: 'completeSignIn',
            input: ({ context }) => context.callback ?? '',
            onDone: [
              {
                guard: { type: 'hasNewClaims', params: ({ event }) => ({ claims: event.output }) },
                target: '#auth.authenticated',
                actions: { type: 'storeClaims', params: ({ event }) => ({ claims: event.output }) },
              },
              { target: '#auth.error', actions: { type: 'setError', params: { error: MISSING_CLAIMS } } },
            ],
            onError: {
              target: '#auth.error',
              actions: { type: 'setError', params: ({ event }) => ({ error: toAuthError(event.error, 'callback') }) },
            },
          },
          after: {
            codeExchangeTimeout: {
              target: '#auth.error',
              actions: { type: 'setError', params: { error: TOKEN_REQUEST_TIMEOUT } },
            },
          },
          on: {
            // The exchange in flight decides; the old session is gone either way.
            SESSION_EXPIRED: { actions: 'clearClaims' },
            SIGNED_OUT_ELSEWHERE: { actions: 'clearClaims' },
          },
        },
      },
    },

    authenticated: {
      on: {
        // Re-sign-in / switch account: claims stay until the new ones land.
        SIGN_IN,
        SIGN_OUT: 'signingOut',
        // A re-sign-in that ended without its callback kept its pending sign-in: a late deep link
        // that still matches it (the adapter checked its state) completes the switch.
        CALLBACK_RECEIVED: {
          target: '#auth.signingIn.callback',
          actions: { type: 'rememberCallback', params: ({ event }) => ({ callback: event.callback }) },
        },
        // The person read the notice ("You're still signed in as …"): forget the unfinished sign-in.
        DISMISS: { guard: 'hasNotice', actions: ['discardPendingSignIn', 'resetFlow'] },
        SESSION_EXPIRED: {
          target: 'error',
          actions: ['clearClaims', 'resetFlow', { type: 'setError', params: ({ event }) => ({ error: sessionExpiredError(event.code) }) }],
        },
        SIGNED_OUT_ELSEWHERE,
        // Another tab switched account: the new person's claims, without a reload.
        SESSION_ADOPTED,
      },
    },

    signingOut: {
      tags: ['busy', 'signingOut'],
      // The port clears the local session first, so the machine forgets it at once.
      entry: ['clearClaims', 'resetFlow'],
      invoke: {
        id: AUTH_ACTOR_IDS.signOut,
        src: 'signOut',
        input: ({ event }) => (event.type === 'SIGN_OUT' ? (event.options ?? {}) : {}),
        onDone: {
          guard: { type: 'hasNoEndSessionPage', params: ({ event }) => ({ started: event.output }) },
          target: 'idle',
        },
        // Still signed out locally; keep a non-blocking notice (see docs/auth-machine.md).
        onError: {
          target: 'idle',
          actions: { type: 'setError', params: ({ event }) => ({ error: signOutUnreachableError(event.error) }) },
        },
      },
      after: { signOutTimeout: { target: 'idle', actions: 'closeBrowser' } },
      on: {
        SIGN_OUT_CALLBACK_RECEIVED: { target: 'idle', actions: 'closeBrowser' },
        BROWSER_CLOSED: 'idle',
      },
    },

    error: {
      on: {
        RETRY: [
          // The error's retry policy decides (core/errors.ts, defaultRetryPolicy): the same callback again,
          { guard: 'retriesSameCallback', target: '#auth.signingIn.callback', actions: 'clearError' },
          // or the browser again with the same options.
          { guard: 'retriesWithNewRedirect', target: '#auth.signingIn', actions: 'repeatPendingSignIn' },
        ],
        DISMISS: [
          { guard: 'hasUsableClaims', target: 'authenticated', actions: ['discardPendingSignIn', 'resetFlow'] },
          { target: 'idle', actions: ['discardPendingSignIn', 'resetFlow'] },
        ],
        // A late deep link that still matches the pending sign-in (the adapter checked its state).
        CALLBACK_RECEIVED: {
          target: '#auth.signingIn.callback',
          actions: { type: 'rememberCallback', params: ({ event }) => ({ callback: event.callback }) },
        },
        SIGN_IN,
        // A cancelled re-sign-in keeps the old session: it can still be signed out of.
        SIGN_OUT: { guard: 'hasUsableClaims', target: 'signingOut' },
        SESSION_EXPIRED: { actions: 'clearClaims' },
        SIGNED_OUT_ELSEWHERE,
        // E.g. this tab's session ended and the person signed in again in another tab.
        SESSION_ADOPTED,
      },
    },
  },
});

export type AuthMachine = typeof authMachine;
