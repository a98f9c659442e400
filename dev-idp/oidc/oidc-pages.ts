import { html, raw, renderPage } from '../pages/layout.ts';

/**
 * The sign-out page: like Logto, no "do you want to sign out?" question. The form that
 * oidc-provider hands us (with its XSRF token) gets `logout=yes` (end the whole session, so the
 * next sign-in asks for an email again) and submits itself.
 */
export function signOutPage(appName: string, form: string): string {
  const autoSubmitting = form.replace(
    '</form>',
    '<input type="hidden" name="logout" value="yes"/><noscript><button type="submit">Continue signing out</button></noscript></form>',
  );
  return renderPage({
    title: 'Signing out',
    appName,
    body: html`<h1>Signing out…</h1>
      ${raw(autoSubmitting)}
      <script>
        document.forms[0].submit();
      </script>`,
  });
}

export function signedOutPage(appName: string): string {
  return renderPage({
    title: 'Signed out',
    appName,
    body: html`<h1>You are signed out</h1>
      <p>You can close this window and return to the app.</p>`,
  });
}

const explanations: Record<string, string> = {
  invalid_client: 'The app that sent you here is not registered with this identity server.',
  invalid_redirect_uri: 'The app asked to return to an address that is not registered for it.',
  invalid_request: 'The sign-in request from the app is not valid.',
  invalid_target: 'The app asked for an API resource this server does not know.',
  invalid_scope: 'The app asked for a permission this server does not know.',
  session_not_found: 'The sign-in session was not found: it expired or was already finished.',
  server_error: 'Something went wrong on the identity server.',
};

/** oidc-provider's `renderError`: the OAuth error stays visible (developers need it), no stack trace. */
export function oidcErrorPage(appName: string, out: { error: string; error_description?: string | undefined }): string {
  return renderPage({
    title: 'Sign-in cannot continue',
    appName,
    body: html`<h1>Sign-in cannot continue</h1>
      <p role="alert">${explanations[out.error] ?? 'The request could not be completed.'}</p>
      <p class="muted">
        Go back to the app and try again. Error: <code>${out.error}</code>${out.error_description ? html` — ${out.error_description}` : ''}
      </p>`,
  });
}
