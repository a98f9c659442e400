import { signOutScriptPath } from './assets.ts';
import { t, tHtml, type MessageKey } from './i18n.ts';
import { html, raw, renderPage } from './layout.ts';

/**
 * The sign-out page: like Logto, no "do you want to sign out?" question. The form that
 * oidc-provider hands us (with its XSRF token) gets `logout=yes` (end the whole session, so the
 * next sign-in asks for an email again) and submits itself (a script file of this server: the
 * pages' policy runs no inline script).
 */
export function signOutPage(appName: string, form: string): string {
  const autoSubmitting = form
    .replace('<form', '<form data-auto-submit')
    .replace(
      '</form>',
      `<input type="hidden" name="logout" value="yes"/><noscript><button type="submit">${html`${t('continue_signing_out')}`.html}</button></noscript></form>`,
    );
  return renderPage({
    title: t('signing_out_title'),
    appName,
    script: signOutScriptPath,
    body: html`<h1>${t('signing_out_heading')}</h1>
      ${raw(autoSubmitting)}`,
  });
}

export function signedOutPage(appName: string): string {
  return renderPage({
    title: t('signed_out_title'),
    appName,
    body: html`<h1>${t('signed_out_heading')}</h1>
      <p>${t('signed_out_message')}</p>`,
  });
}

const explanations = new Map<string, MessageKey>([
  ['invalid_client', 'oidc_error_invalid_client'],
  ['invalid_redirect_uri', 'oidc_error_invalid_redirect_uri'],
  ['invalid_request', 'oidc_error_invalid_request'],
  ['invalid_target', 'oidc_error_invalid_target'],
  ['invalid_scope', 'oidc_error_invalid_scope'],
  ['session_not_found', 'oidc_error_session_not_found'],
  ['server_error', 'oidc_error_server_error'],
]);

/** oidc-provider's `renderError`: the OAuth error stays visible (developers need it), no stack trace. */
export function oidcErrorPage(appName: string, out: { error: string; error_description?: string | undefined }): string {
  const error = html`<code>${out.error}</code>${out.error_description ? html` — ${out.error_description}` : ''}`;
  return renderPage({
    title: t('oidc_error_title'),
    appName,
    body: html`<h1>${t('oidc_error_title')}</h1>
      <p role="alert">${t(explanations.get(out.error) ?? 'oidc_error_other')}</p>
      <p class="muted">${tHtml('oidc_error_detail', { error })}</p>`,
  });
}
