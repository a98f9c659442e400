/**
 * The machine's tags: what a state is doing, in words a screen needs, where a state name alone
 * does not say it. Each state lists its tags in auth-machine.ts.
 *
 * A tag earns its place by adding meaning: it groups states (`busy` spans booting, signing in
 * and signing out; `browserOpen` spans three browser steps) or names the activity of a nested
 * step (`exchangingCode` is `signingIn.callback`). A tag that only renamed one top-level state
 * (once `signedIn` for `authenticated`, `signedOut` for `idle`, `failed` for `error`) gave
 * every state two names: the chart, the model-based tests and `data-auth-state` used one, the
 * screens the other. Callers ask for those states by their own name instead
 * (`snapshot.matches('authenticated')`, `AuthService.matches('idle')`); `matches` is typed by
 * the machine, so renaming a state fails to compile wherever it is asked for.
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
  /** A sign-in is under way (browser or exchange), whatever its step. */
  'signingIn',
  /** A sign-out is under way: the local session is already gone. */
  'signingOut',
] as const);

export type AuthTag = (typeof AUTH_TAGS)[number];
