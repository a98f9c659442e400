/** The password pages, in the look of the email-code pages (plain HTML, no script). */
import { t, tHtml } from './i18n.ts';
import { breakableEmail, field, html, renderPage } from './layout.ts';

export interface PasswordSignInPageOptions {
  readonly appName: string;
  readonly email: string;
  readonly error?: string | undefined;
  readonly notice?: string | undefined;
  /** The sign-in experience also allows a code: offer it. */
  readonly codeAlternative: boolean;
  readonly registration: boolean;
}

export function passwordSignInPage({ appName, email, error, notice, codeAlternative, registration }: PasswordSignInPageOptions): string {
  return renderPage({
    title: t('password_sign_in_title'),
    appName,
    body: html`<h1>${t('password_sign_in_title')}</h1>
      ${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
      <form method="post" action="/password/sign-in" novalidate data-step="password-sign-in">
        ${error ? html`<p id="form-error" class="error" role="alert">${error}</p>` : ''}
        ${field({ id: 'email', label: t('email_label'), type: 'email', value: email, autocomplete: 'username', autofocus: !email })}
        ${field({
          id: 'password',
          label: t('password_label'),
          type: 'password',
          autocomplete: 'current-password',
          autofocus: Boolean(email),
          error: error ? { id: 'form-error' } : undefined,
        })}
        <button type="submit">${t('password_sign_in_title')}</button>
      </form>
      <p class="muted"><a href="/reset-password">${t('forgot_password')}</a></p>
      ${codeAlternative ? html`<p class="muted"><a href="/sign-in?method=code">${t('sign_in_with_code')}</a></p>` : ''}
      ${registration ? html`<p class="muted"><a href="/register">${t('no_account_create')}</a></p>` : ''}`,
  });
}

export interface NewPasswordPageOptions {
  readonly appName: string;
  readonly email: string;
  /** 'create': at sign-up, after the Register code; 'reset': after the ForgotPassword code. */
  readonly purpose: 'create' | 'reset';
  readonly error?: string | undefined;
}

export function newPasswordPage({ appName, email, purpose, error }: NewPasswordPageOptions): string {
  const title = t(purpose === 'create' ? 'create_password_title' : 'set_new_password_title');
  return renderPage({
    title,
    appName,
    body: html`<h1>${title}</h1>
      <p>${tHtml('password_rules', { email: html`<strong>${breakableEmail(email)}</strong>` })}</p>
      <form method="post" action="/password/${purpose}" novalidate data-step="new-password">
        ${field({
          id: 'new-password',
          name: 'password',
          label: t(purpose === 'create' ? 'password_label' : 'new_password_label'),
          type: 'password',
          autocomplete: 'new-password',
          autofocus: true,
          error: error ? { id: 'password-error', message: error } : undefined,
        })}
        <button type="submit">${t(purpose === 'create' ? 'create_account' : 'save_password')}</button>
      </form>`,
  });
}
