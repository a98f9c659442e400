/**
 * The pages that say what happened and what to do instead of a form: dead ends, refusals and
 * errors. Every one is a `messagePage`, so they read alike; the ones more than one route sends
 * (the expired sign-in page, the closed registration) have a builder of their own, so the routes
 * cannot drift apart.
 */
import { t } from './i18n.ts';
import { html, renderPage } from './layout.ts';

export interface MessagePageOptions {
  readonly appName: string;
  readonly title: string;
  readonly message: string;
  readonly detail?: string;
  readonly action?: { readonly href: string; readonly text: string };
}

/** Errors and dead ends: what happened and what to do, never a stack trace. */
export function messagePage({ appName, title, message, detail, action }: MessagePageOptions): string {
  return renderPage({
    title,
    appName,
    body: html`<h1>${title}</h1>
      <p role="alert">${message}</p>
      ${detail ? html`<p class="muted">${detail}</p>` : ''} ${action ? html`<p><a href="${action.href}">${action.text}</a></p>` : ''}`,
  });
}

/**
 * "This sign-in page has expired": the sign-in session behind a page is gone (it timed out, was
 * finished in another tab, or the page was not opened from the app). With the web app's address
 * known, a link back to it, the one way on from a browser tab.
 */
export function expiredPage(appName: string, appUrl?: string): string {
  return messagePage({
    appName,
    title: t('expired_title'),
    message: t('expired_message'),
    detail: t('expired_detail'),
    ...(appUrl ? { action: { href: appUrl, text: t('back_to_app', { app: appName }) } } : {}),
  });
}

/**
 * Registration is closed (sign-in mode "SignIn"): asked for the registration page itself
 * ('mode'), or a new address proved its code ('new-address').
 */
export function registrationClosedPage(appName: string, reason: 'mode' | 'new-address'): string {
  return messagePage({
    appName,
    title: t('registration_closed_title'),
    message: t(reason === 'mode' ? 'registration_closed_mode' : 'registration_closed_new_address'),
    detail: t('registration_closed_detail'),
  });
}

export function notFoundPage(appName: string): string {
  return messagePage({
    appName,
    title: t('not_found_title'),
    message: t('not_found_message'),
    action: { href: '/', text: t('not_found_home') },
  });
}

export function crashPage(appName: string): string {
  return messagePage({ appName, title: t('crash_title'), message: t('crash_message'), detail: t('crash_detail') });
}
