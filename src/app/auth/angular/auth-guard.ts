import { inject } from '@angular/core';
import { type CanActivateFn, Router } from '@angular/router';

import { AuthService } from './auth-service';
import { ReturnUrl } from './return-url';

/** Where signed-out users are sent. */
export const SIGN_IN_PATH = '/sign-in';

/**
 * Lets signed-in users through. While the machine is booting or completing a callback it
 * waits (the machine bounds both); otherwise it sends the user to sign-in and remembers
 * where they were going, so the sign-in page can bring them back.
 */
export const authGuard: CanActivateFn = async (_route, state) => {
  const auth = inject(AuthService);
  const router = inject(Router);
  const returnUrl = inject(ReturnUrl);
  await auth.whenSettled();
  if (auth.isAuthenticated()) return true;
  returnUrl.remember(state.url);
  return router.parseUrl(SIGN_IN_PATH);
};
