import { inject } from '@angular/core';
import { NavController } from '@ionic/angular/common';

/**
 * Auth redirects (callback → home, sign-out → sign-in, home → sign-in when a sign-in starts)
 * replace the page: no push animation, which slid "Completing sign-in…" over the profile and
 * overprinted the toolbars, and no history entry to go back to.
 * Call in an injection context; returns the navigate function.
 */
export function replacePage(): (url: string) => void {
  const nav = inject(NavController);
  return (url) => void nav.navigateRoot(url, { animated: false, replaceUrl: true });
}
