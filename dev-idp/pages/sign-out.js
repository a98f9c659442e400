/*
 * The sign-out page's script (served as /assets/sign-out.js under the pages' Content-Security-Policy
 * `script-src 'self'`): like Logto, no "do you want to sign out?" question, the form oidc-provider
 * hands over (with its XSRF token) submits itself. Without script the page shows its button.
 */
document.querySelector('form[data-auto-submit]')?.submit();
