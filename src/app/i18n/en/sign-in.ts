/** The sign-in screen's texts (pages/sign-in); they travel in its lazy chunk. */
export const signInEn = {
  'signIn.title': 'Sign in',
  'signIn.switchTitle': 'Switch account',
  'signIn.lead': 'Sign in or create an account with a one-time code sent to your email. No password needed.',
  'signIn.email.label': 'Email',
  'signIn.email.placeholder': 'name@example.com',
  'signIn.email.helper': 'Optional. The sign-in page opens with this address filled in; we email you a code once you confirm it there.',
  'signIn.email.invalid': 'Enter a valid email address, like name@example.com.',
  'signIn.continue': 'Continue',
  'signIn.opening.title': 'Contacting the sign-in service…',
  'signIn.opening.text': 'The sign-in page opens as soon as the service answers.',
  'signIn.browser.title': 'Finish signing in in your browser',
  'signIn.browser.text':
    'We opened the sign-in page in your browser. Enter your email and the code we send you, then you will come back here.',
  'signIn.working.exchanging': 'Completing sign-in…',
  'signIn.working.signingOut': 'Signing out…',
  'signIn.working.checking': 'Checking your session…',
  'signOut.done': "You're signed out.",
} as const;
