/**
 * Every HTML page the local identity server sends carries the same security headers, whoever
 * renders it: its own pages and the ones oidc-provider renders (error pages, sign-out, signed out).
 */
import { createHash } from 'node:crypto';
import { authorizationUrl } from '../../test/support/authorization-request.ts';
import { HttpBrowser } from '../../test/support/http-browser.ts';
import { parseForms } from '../../test/support/html-forms.ts';
import { useIdentityServer } from '../../test/support/identity-server.ts';

describe('security headers on every HTML page', () => {
  const server = useIdentityServer();

  function cookieOf(response: Response, previous = ''): string {
    const fresh = response.headers.getSetCookie().map((cookie) => cookie.split(';')[0]);
    return [previous, ...fresh].filter(Boolean).join('; ');
  }

  async function pages(): Promise<[string, Response][]> {
    const get = (url: string, cookie = '') => fetch(url, { headers: { cookie }, redirect: 'manual' });
    const browser = new HttpBrowser();
    const signIn = await browser.open(authorizationUrl(server.idp.issuer, { client_id: server.idp.appId }));
    const cookie = () => browser.cookies.headerFor(new URL(signIn.url)) ?? '';
    const codePage = await browser.submit(signIn, 'email', { email: 'headers@example.com' });
    expect(new URL(codePage.url).pathname).toBe('/verify');

    // Sign-out without a post-logout address: the sign-out page, then "signed out".
    const signOut = await get(`${server.idp.issuer}/session/end?client_id=${server.idp.appId}`);
    const signOutHtml = await signOut.clone().text();
    const [form] = parseForms(signOutHtml);
    const signOutCookie = cookieOf(signOut);
    const confirmed = await fetch(new URL(form!.action, server.idp.endpoint), {
      method: 'POST',
      headers: { cookie: signOutCookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams([...form!.fields, ['logout', 'yes']]),
      redirect: 'manual',
    });
    const signedOut = await get(
      new URL(confirmed.headers.get('location') ?? '/', server.idp.issuer.replace(/\/oidc$/, '/oidc/')).href,
      signOutCookie,
    );

    return [
      ['home', await get(`${server.idp.endpoint}/`)],
      ['dev mailbox', await get(`${server.idp.endpoint}/dev/mailbox`)],
      ['not found', await get(`${server.idp.endpoint}/no-such-page`)],
      ['sign-in (email)', await get(`${server.idp.endpoint}/sign-in`, cookie())],
      ['register', await get(`${server.idp.endpoint}/register`, cookie())],
      ['reset password', await get(`${server.idp.endpoint}/reset-password`, cookie())],
      ['code', await get(`${server.idp.endpoint}/verify`, cookie())],
      ['expired sign-in page', await get(`${server.idp.endpoint}/verify`)],
      ['error: unknown client', await get(`${server.idp.issuer}/auth?client_id=no-such-app&response_type=code&scope=openid`)],
      [
        'error: bad redirect_uri',
        await get(authorizationUrl(server.idp.issuer, { client_id: server.idp.appId, redirect_uri: 'https://evil.example/callback' })),
      ],
      ['error: bare /oidc/auth', await get(`${server.idp.issuer}/auth`)],
      ['sign-out', signOut],
      ['signed out', signedOut],
    ];
  }

  it('sends CSP (no inline script, no framing), X-Frame-Options DENY, nosniff and no referrer on all 13 pages', async () => {
    const walked = await pages();
    expect(walked).toHaveLength(13);
    const missing: string[] = [];
    for (const [name, response] of walked) {
      expect([name, response.headers.get('content-type')]).toEqual([name, expect.stringMatching(/^text\/html/)]);
      const csp = response.headers.get('content-security-policy') ?? '';
      const checks = {
        "script-src 'self'": /(^|;)\s*script-src 'self'( 'sha256-[^']+')*\s*(;|$)/.test(csp),
        "frame-ancestors 'none'": /frame-ancestors 'none'/.test(csp),
        "default-src 'none'": /default-src 'none'/.test(csp),
        'X-Frame-Options': response.headers.get('x-frame-options') === 'DENY',
        nosniff: response.headers.get('x-content-type-options') === 'nosniff',
        'Referrer-Policy': response.headers.get('referrer-policy') === 'no-referrer',
      };
      for (const [check, ok] of Object.entries(checks)) if (!ok) missing.push(`${name}: ${check}`);
      // An inline script runs only when the policy names its hash (oidc-provider's self-submitting form).
      for (const [, body] of (await response.text()).matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
        const hash = `'sha256-${createHash('sha256').update(body!).digest('base64')}'`;
        expect([name, csp]).toEqual([name, expect.stringContaining(hash)]);
      }
    }
    expect(missing).toEqual([]);
  });
});
