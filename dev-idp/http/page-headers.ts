import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

/**
 * The headers of every HTML page this server sends, whoever renders it: the sign-in pages, the
 * dev mailbox, and the pages oidc-provider renders itself (error pages for an unknown client or
 * a bad redirect_uri, the sign-out page, "signed out"). Scripts only from files of this origin,
 * never inline (an injected <script> does not run); no framing (clickjacking); no referrer. No
 * `form-action`: Chromium applies it to the redirect after a post too, and the sign-in ends in a
 * redirect to the app's own scheme (`com.example.app://callback`).
 */
export const pageSecurityHeaders: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

function contentTypeOf(res: ServerResponse, headers: unknown): string {
  const fromArgument = (() => {
    if (Array.isArray(headers)) {
      // [name, value, name, value, …] or [[name, value], …]
      const flat = headers.flat() as unknown[];
      for (let i = 0; i + 1 < flat.length; i += 2) {
        if (String(flat[i]).toLowerCase() === 'content-type') return String(flat[i + 1]);
      }
      return undefined;
    }
    if (headers && typeof headers === 'object') {
      for (const [name, value] of Object.entries(headers as OutgoingHttpHeaders)) {
        if (name.toLowerCase() === 'content-type') return String(value);
      }
    }
    return undefined;
  })();
  return (fromArgument ?? String(res.getHeader('content-type') ?? '')).toLowerCase();
}

/**
 * The one place the page headers are set: every response's head is checked as it is written (Koa,
 * which oidc-provider runs on, writes it through `writeHead` too), and an HTML one gets the headers
 * it does not already carry.
 */
export function secureHtmlResponses(res: ServerResponse): void {
  // Set from the start: oidc-provider's self-submitting pages (sign-out without a session,
  // form_post) add their one inline script's sha256 to a policy already there, so that script
  // alone runs.
  res.setHeader('Content-Security-Policy', pageSecurityHeaders['Content-Security-Policy']!);
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  res.writeHead = ((...args: unknown[]) => {
    const headers = args.find((arg, index) => index > 0 && typeof arg === 'object' && arg !== null);
    if (contentTypeOf(res, headers).startsWith('text/html')) {
      for (const [name, value] of Object.entries(pageSecurityHeaders)) {
        const inArgument =
          headers && !Array.isArray(headers) && Object.keys(headers).some((key) => key.toLowerCase() === name.toLowerCase());
        if (!inArgument && !res.hasHeader(name)) {
          res.setHeader(name, value);
        }
      }
    }
    return writeHead(...args);
  }) as typeof res.writeHead;
}
