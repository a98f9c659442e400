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
  readonly title: string;
  readonly intro: string;
  readonly alternative?: { readonly path: string; readonly text: string };
  /**
   * Reset password: only an address with an account gets the (`ForgotPassword`) code. An unknown
   * address sees the code page all the same and no email is sent (Logto does the same, so the page
   * does not tell who has an account); no code works for it.
   */
  readonly existingAccountOnly: boolean;
}

const intro = 'Enter your email address and we will send you a 6-digit code.';

export const flows: readonly Flow[] = [
  {
    path: '/sign-in',
    event: 'SignIn',
    title: 'Sign in',
    intro,
    alternative: { path: '/register', text: 'No account yet? Create one' },
    existingAccountOnly: false,
  },
  {
    path: '/register',
    event: 'Register',
    title: 'Create your account',
    intro,
    alternative: { path: '/sign-in', text: 'Already have an account? Sign in' },
    existingAccountOnly: false,
  },
  {
    path: '/identifier-sign-in',
    event: 'SignIn',
    title: 'Sign in with email',
    intro,
    alternative: { path: '/identifier-register', text: 'No account yet? Create one' },
    existingAccountOnly: false,
  },
  {
    path: '/identifier-register',
    event: 'Register',
    title: 'Create your account with email',
    intro,
    alternative: { path: '/identifier-sign-in', text: 'Already have an account? Sign in' },
    existingAccountOnly: false,
  },
  {
    path: '/reset-password',
    event: 'ForgotPassword',
    title: 'Reset password',
    intro: 'Enter your account email and we will send you a 6-digit code to reset your password.',
    alternative: { path: '/sign-in', text: 'Back to sign in' },
    existingAccountOnly: true,
  },
];

export function flowForPath(path: string): Flow | undefined {
  return flows.find((flow) => flow.path === path);
}

const firstScreens: Record<string, string> = {
  sign_in: '/sign-in',
  signIn: '/sign-in',
  register: '/register',
  reset_password: '/reset-password',
  'identifier:sign_in': '/identifier-sign-in',
  'identifier:register': '/identifier-register',
  // No enterprise SSO here: the email form is the closest equivalent.
  single_sign_on: '/sign-in',
};

/** The first page for an authorization request's parameters. */
export function firstScreenPath(params: Record<string, unknown>): string {
  const firstScreen = typeof params['first_screen'] === 'string' ? params['first_screen'] : undefined;
  if (firstScreen && firstScreens[firstScreen]) {
    return firstScreens[firstScreen];
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
  return value.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
}
