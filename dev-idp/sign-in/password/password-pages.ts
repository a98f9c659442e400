/** The password pages, in the look of the email-code pages (plain HTML, no script). */
import { html, renderPage } from '../../pages/layout.ts';

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
    title: 'Sign in',
    appName,
    body: html`<h1>Sign in</h1>
      ${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
      <form method="post" action="/password/sign-in" novalidate data-step="password-sign-in">
        ${error ? html`<p id="form-error" class="error" role="alert">${error}</p>` : ''}
        <label for="email">Email</label>
        <input
          id="email"
          name="email"
          type="email"
          value="${email}"
          autocomplete="username"
          inputmode="email"
          autocapitalize="none"
          spellcheck="false"
          required
          ${email ? '' : html`autofocus`}
        />
        <label for="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
          ${email ? html`autofocus` : ''}${error ? html` aria-invalid="true" aria-describedby="form-error"` : ''}
        />
        <button type="submit">Sign in</button>
      </form>
      <p class="muted"><a href="/reset-password">Forgot password?</a></p>
      ${codeAlternative ? html`<p class="muted"><a href="/sign-in?method=code">Sign in with a code instead</a></p>` : ''}
      ${registration ? html`<p class="muted"><a href="/register">No account yet? Create one</a></p>` : ''}`,
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
  const title = purpose === 'create' ? 'Create a password' : 'Set a new password';
  return renderPage({
    title,
    appName,
    body: html`<h1>${title}</h1>
      <p>For <strong>${email}</strong>: at least 8 characters; avoid repeated or sequential characters and your email.</p>
      <form method="post" action="/password/${purpose}" novalidate data-step="new-password">
        <label for="new-password">${purpose === 'create' ? 'Password' : 'New password'}</label>
        ${error ? html`<p id="password-error" class="error" role="alert">${error}</p>` : ''}
        <input
          id="new-password"
          name="password"
          type="password"
          autocomplete="new-password"
          required
          autofocus${error ? html` aria-invalid="true" aria-describedby="password-error"` : ''}
        />
        <button type="submit">${purpose === 'create' ? 'Create account' : 'Save password'}</button>
      </form>`,
  });
}
