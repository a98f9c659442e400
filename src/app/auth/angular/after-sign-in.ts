import { effect, inject, untracked } from '@angular/core';
import { Router } from '@angular/router';

import { AuthService } from './auth-service';
import { ReturnUrl } from './return-url';

/** Where a signed-in user lands when no protected page was asked for. */
export const HOME_PATH = '/home';

/**
 * For pages a signed-in user should not stay on (sign-in, the web callback): as soon as the
 * machine is authenticated, go to the page the guard remembered, or home. `replaceUrl`
 * keeps the callback's query out of the history. `navigate` lets the page replace itself its
 * own way (the Ionic pages: without the push animation).
 * Call in an injection context (a component's field initializer).
 */
export function returnAfterSignIn(navigate?: (url: string) => void): void {
  const auth = inject(AuthService);
  const router = inject(Router);
  const returnUrl = inject(ReturnUrl);
  effect(() => {
    if (!auth.isAuthenticated()) return;
    untracked(() => {
      // Ionic keeps visited pages alive in its stack: act only while this kind of page is on screen.
      if (returnUrl.isDestination(router.url)) return;
      const url = returnUrl.consume(HOME_PATH);
      if (navigate) navigate(url);
      else void router.navigateByUrl(url, { replaceUrl: true });
    });
  });
}
