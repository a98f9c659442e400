/**
 * The tenant's sign-in experience decides what the sign-in pages offer. The local pages
 * implement email + verification code and email + password; a tenant whose experience enables
 * neither (a new tenant's username + password default, say) gets a page that says so instead of a
 * form that would sign people in against the tenant's settings. A password-first experience
 * opens on the password page. With sign-in mode "SignIn" the registration pages are closed, as
 * in Logto.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { redirect, sendHtml } from '../http/http-util.ts';
import { passwordExperience } from '../sign-in/password/password-routes.ts';
import { flows } from '../sign-in/flows.ts';
import { messagePage, registrationClosedPage } from '../pages/message-pages.ts';
import { t } from '../pages/i18n.ts';
import { describeExperience } from './management-routes.ts';
import type { TenantState } from './tenant-state.ts';

const gatedPaths = new Set([...flows.map((flow) => flow.path), '/verify']);
const registrationPaths = new Set(['/register', '/identifier-register']);
const signInPaths = new Set(['/sign-in', '/identifier-sign-in']);

/** The local pages sign in by email, with a code, a password, or both. */
export function offersEmailSignIn(tenant: TenantState): boolean {
  return tenant.signInExperience.signIn.methods.some(
    (method) => method.identifier === 'email' && (method.verificationCode || method.password),
  );
}

/** Answers (and returns true) when the tenant's sign-in experience does not offer this page. */
export function gateSignInPage(tenant: TenantState, appName: string, req: IncomingMessage, res: ServerResponse, url: URL): boolean {
  if (!gatedPaths.has(url.pathname)) return false;
  if (!offersEmailSignIn(tenant)) {
    sendHtml(
      res,
      409,
      messagePage({
        appName,
        title: t('email_not_enabled_title'),
        message: t('email_not_enabled_message', { what: describeExperience(tenant.signInExperience) }),
        detail: t('email_not_enabled_detail'),
      }),
    );
    return true;
  }
  // Password first (Logto's isPasswordPrimary), or the only way: the code page stays one link away
  // ("Sign in with a code instead", ?method=code) only while codes are enabled.
  const password = passwordExperience(tenant.signInExperience);
  if (
    signInPaths.has(url.pathname) &&
    req.method === 'GET' &&
    password.primary &&
    !(password.codes && url.searchParams.get('method') === 'code')
  ) {
    redirect(res, '/password/sign-in');
    return true;
  }
  if (registrationPaths.has(url.pathname) && tenant.signInExperience.signInMode === 'SignIn' && req.method === 'GET') {
    sendHtml(res, 403, registrationClosedPage(appName, 'mode'));
    return true;
  }
  return false;
}

/**
 * Sign-in mode "SignIn" in the code flow: an address that turns out to be new (its code was a
 * `Register` code) gets no account. (Logto refuses at the identifier step; these pages learn that
 * the address is new only once its code is proved.)
 */
export function refuseRegistrationWhenClosed(tenant: TenantState, appName: string) {
  return async (_req: IncomingMessage, res: ServerResponse, _interaction: unknown, pending: { usageType: string }): Promise<boolean> => {
    if (pending.usageType !== 'Register' || tenant.signInExperience.signInMode !== 'SignIn') return false;
    sendHtml(res, 403, registrationClosedPage(appName, 'new-address'));
    return true;
  };
}
