/**
 * The machine's tags: what screens, the guard and the interceptor ask instead of state names
 * (`snapshot.hasTag('busy')`). Renaming a state cannot silently break them; each state lists
 * its tags in auth-machine.ts.
 */
export const AUTH_TAGS = Object.freeze([
  /** Something is in flight (booting, signing in, signing out): offer no new action. */
  'busy',
  /** The outcome decides whether the person is signed in (booting, the code exchange): the guard waits. */
  'unsettled',
  /** The port checks that the identity provider answers and opens the browser (web: navigates); CANCEL stops it. */
  'openingBrowser',
  /** The system browser shows the identity provider's page. */
  'browserOpen',
  /** The code exchange runs. */
  'exchangingCode',
  /** A sign-in is under way (browser or exchange). */
  'signingIn',
  /** `authenticated`. */
  'signedIn',
  /** `idle`. */
  'signedOut',
  /** A sign-out is under way: the local session is already gone. */
  'signingOut',
  /** `error`: `context.error` says what. */
  'failed',
] as const);

export type AuthTag = (typeof AUTH_TAGS)[number];
