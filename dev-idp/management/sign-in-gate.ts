/**
 * The tenant's sign-in experience decides what the sign-in pages offer. The local pages
 * implement email + verification code; a tenant whose experience does not enable that (a new
 * tenant's username + password default, say) gets a page that says so instead of a form that
 * would sign people in against the tenant's settings. With sign-in mode "SignIn" the
 * registration pages are closed, as in Logto.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { sendHtml } from '../http/http-util.ts';
import { flows } from '../sign-in/flows.ts';
import { messagePage } from '../sign-in/pages.ts';
import { describeExperience } from './management-routes.ts';
import type { TenantState } from './tenant-state.ts';

const gatedPaths = new Set([...flows.map((flow) => flow.path), '/verify']);
const registrationPaths = new Set(['/register', '/identifier-register']);

export function offersEmailCode(tenant: TenantState): boolean {
  return tenant.signInExperience.signIn.methods.some((method) => method.identifier === 'email' && method.verificationCode);
}

/** Answers (and returns true) when the tenant's sign-in experience does not offer this page. */
export function gateSignInPage(tenant: TenantState, appName: string, req: IncomingMessage, res: ServerResponse, url: URL): boolean {
  if (!gatedPaths.has(url.pathname)) return false;
  if (!offersEmailCode(tenant)) {
    sendHtml(
      res,
      409,
      messagePage({
        appName,
        title: 'Email sign-in is not enabled',
        message: `This tenant's sign-in experience offers ${describeExperience(tenant.signInExperience)}; these pages sign in by email and verification code.`,
        detail: 'Run npm run logto:setup against this server to enable email + verification code.',
      }),
    );
    return true;
  }
  if (registrationPaths.has(url.pathname) && tenant.signInExperience.signInMode === 'SignIn' && req.method === 'GET') {
    sendHtml(
      res,
      403,
      messagePage({
        appName,
        title: 'Registration is closed',
        message: 'This tenant only lets existing accounts sign in (sign-in mode "SignIn").',
        detail: 'Sign in with an existing account instead.',
      }),
    );
    return true;
  }
  return false;
}
