import { html, renderPage } from './layout.ts';

export function homePage(appName: string, issuer: string, appId: string): string {
  return renderPage({
    title: 'Local identity server',
    appName,
    locale: 'en',
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
