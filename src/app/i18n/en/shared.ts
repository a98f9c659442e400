/** Texts of the components several screens share (pages/shared: language switch, notice, auth error card); they travel in those components' lazy chunk. */
export const sharedEn = {
  'lang.label': 'Language',
  'common.cancel': 'Cancel',
  'common.debug': 'Debug',
  'common.dismiss': 'Dismiss',
  'error.trying': 'Trying again…',
  'error.again.unreachable': 'Still no answer: tried again at {time} ({attempts} attempts).',
  'error.again.same': 'Same result: tried again at {time} ({attempts} attempts).',
  'error.code': 'Error code: {code}',
  'error.retry': 'Retry',
  'error.signIn': 'Sign in',
  'error.staySignedIn': 'Stay signed in',
  'error.unreachable.title': "The sign-in service isn't answering",
  'error.unreachable.message':
    'Your device is online, but the sign-in service did not answer. It may be down for a moment: try again shortly.',
  'session.stillSignedIn.before': "You're still signed in as ",
  'session.stillSignedIn.after': '.',
} as const;
