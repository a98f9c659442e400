import { html, renderPage } from './layout.ts';

export function homePage(appName: string, issuer: string, appId: string): string {
  return renderPage({
    title: 'Local identity server',
    appName,
    body: html`<h1>Local identity server</h1>
      <p>
        A Logto-compatible OpenID Connect server for development. Sign in from the app; codes arrive in the
        <a href="/dev/mailbox">dev mailbox</a> and in this server's terminal.
      </p>
      <ul>
        <li>Issuer: <code>${issuer}</code></li>
        <li>App id: <code>${appId}</code></li>
        <li><a href="/oidc/.well-known/openid-configuration">Discovery document</a></li>
      </ul>`,
  });
}

export function notFoundPage(appName: string): string {
  return renderPage({
    title: 'Not found',
    appName,
    body: html`<h1>Page not found</h1>
      <p role="alert">There is nothing at this address.</p>
      <p><a href="/">Identity server home</a></p>`,
  });
}

export function crashPage(appName: string): string {
  return renderPage({
    title: 'Something went wrong',
    appName,
    body: html`<h1>Something went wrong</h1>
      <p role="alert">The identity server could not complete this request. Go back to the app and try again.</p>
      <p class="muted">The details are in the server's terminal.</p>`,
  });
}
