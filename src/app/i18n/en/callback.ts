/** The callback screen's texts (pages/callback); they travel in its lazy chunk. */
export const callbackEn = {
  'callback.signIn': 'Finishing sign-in…',
  'callback.signOut': 'Finishing sign-out…',
} as const;
