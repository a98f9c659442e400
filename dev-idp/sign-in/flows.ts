import type { MessageKey } from '../pages/i18n.ts';

/**
 * Logto's sign-in experience routes. `first_screen` (or the older `interaction_mode`) picks the
 * first page; with email codes only, a sign-in and a registration differ in wording, not steps:
 * a known email signs in, an unknown one registers.
 */
export interface Flow {
  readonly path: string;
  /**
   * The interaction's event, which picks the email template, as in Logto (the template follows
   * the event, not whether the address has an account): an unknown address entering through
   * sign-in gets the `SignIn` mail, and registering it afterwards reuses that verification.
   */
  readonly event: 'SignIn' | 'Register' | 'ForgotPassword';
  /** Texts by key in the page's language (pages/i18n.ts). */
  readonly title: MessageKey;
  readonly intro: MessageKey;
  readonly alternative?: { readonly path: string; readonly text: MessageKey };
  /**
   * Reset password: only an address with an account gets the (`ForgotPassword`) code. An unknown
   * address sees the code page all the same and no email is sent (Logto does the same, so the page
   * does not tell who has an account); no code works for it.
   */
  readonly existingAccountOnly: boolean;
}

// The sign-in pages create an account for a new address, so they neither say "Sign in" (untrue
// for a new address) nor offer "No account yet? Create one" (a detour to the same thing).
export const flows: readonly Flow[] = [
  { path: '/sign-in', event: 'SignIn', title: 'flow_sign_in', intro: 'intro_code', existingAccountOnly: false },
  {
    path: '/register',
    event: 'Register',
    title: 'flow_register',
    intro: 'intro_register',
    alternative: { path: '/sign-in', text: 'have_account_sign_in' },
    existingAccountOnly: false,
  },
  { path: '/identifier-sign-in', event: 'SignIn', title: 'flow_sign_in', intro: 'intro_code', existingAccountOnly: false },
  {
    path: '/identifier-register',
    event: 'Register',
    title: 'flow_identifier_register',
    intro: 'intro_register',
    alternative: { path: '/identifier-sign-in', text: 'have_account_sign_in' },
    existingAccountOnly: false,
  },
  {
    path: '/reset-password',
    event: 'ForgotPassword',
    title: 'flow_reset_password',
    intro: 'intro_reset_no_passwords',
    alternative: { path: '/sign-in', text: 'back_to_sign_in' },
    existingAccountOnly: true,
  },
];

export function flowForPath(path: string): Flow | undefined {
  return flows.find((flow) => flow.path === path);
}

// A Map: `first_screen=constructor` (or `__proto__`, `toString`) must not find an inherited key.
const firstScreens = new Map<string, string>(
  Object.entries({
    sign_in: '/sign-in',
    signIn: '/sign-in',
    register: '/register',
    reset_password: '/reset-password',
    'identifier:sign_in': '/identifier-sign-in',
    'identifier:register': '/identifier-register',
    // No enterprise SSO here: the email form is the closest equivalent.
    single_sign_on: '/sign-in',
  }),
);

/** The first page for an authorization request's parameters. */
export function firstScreenPath(params: Record<string, unknown>): string {
  const firstScreen = typeof params['first_screen'] === 'string' ? params['first_screen'] : undefined;
  const path = firstScreen === undefined ? undefined : firstScreens.get(firstScreen);
  if (path) {
    return path;
  }
  if (params['interaction_mode'] === 'signUp') {
    return '/register';
  }
  return '/sign-in';
}

/**
 * The email to prefill: `login_hint`, or Logto's `identifier` when it holds an address
 * (in Logto `identifier` lists identifier types, e.g. "email phone"; those are ignored).
 */
export function prefilledEmail(params: Record<string, unknown>): string {
  for (const key of ['login_hint', 'identifier']) {
    const value = params[key];
    if (typeof value === 'string' && value.includes('@')) {
      return value.trim();
    }
  }
  return '';
}

export function isEmailAddress(value: string): boolean {
  // No control characters (a terminal escape in an address would reach the log and the mail).
  // eslint-disable-next-line no-control-regex
  return value.length <= 254 && !/[\u0000-\u001f\u007f-\u009f]/.test(value) && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
}
