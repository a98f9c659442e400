/**
 * A person's browser in front of the real Logto server, without rendering its React sign-in
 * pages: it keeps cookies like a browser and calls the same Experience API those pages call
 * (PUT /api/experience, POST /api/experience/verification/verification-code[/verify],
 * POST /api/experience/identification, POST /api/experience/submit), the way Logto's own
 * integration tests drive it. The code arrives by email — through Logto's real Aliyun DM
 * connector to the fake DirectMail — and `readCode` fetches it from there.
 *
 * It satisfies test/native-shell/http-person.ts's HttpBrowserLike, so the simulated native
 * shell hands it the app's authorization and end-session URLs exactly as with the local server.
 */
import type { HttpBrowserLike } from '../../native-shell/http-person.ts';
import { LogtoApiError, readLogtoAnswer } from './logto-answer.ts';

interface StoredCookie {
  readonly value: string;
  readonly path: string;
}

export class ExperienceBrowser implements HttpBrowserLike {
  readonly #cookies = new Map<string, StoredCookie>();
  readonly #timeoutMs: number;
  /** Experience API calls made, by path (for assertions that the flow went where expected). */
  readonly calls: string[] = [];

  constructor(options: { timeoutMs?: number } = {}) {
    this.#timeoutMs = options.timeoutMs ?? 15_000;
  }

  /** Forgets every cookie (a different browser / the person cleared their data). */
  clear(): void {
    this.#cookies.clear();
  }

  /**
   * Opens the authorization URL and signs in with an email code; answers where Logto finally
   * redirected (the app's callback), or null when it stopped somewhere else.
   */
  async signIn(
    authUrl: string,
    options: { email: string; readCode: (email: string) => Promise<string>; stopAt?: 'email' | 'code' },
  ): Promise<{ redirectedTo: string | null; lastPageText: string }> {
    const endpoint = new URL(authUrl).origin;
    const landing = await this.navigate(authUrl);
    // Logto redirects the authorization request to its sign-in pages (its React experience).
    if (landing.redirectedTo || !/^\/(sign-in|register|direct|identifier)/.test(new URL(landing.url).pathname)) {
      return { redirectedTo: landing.redirectedTo, lastPageText: landing.text };
    }
    if (options.stopAt === 'email') return { redirectedTo: null, lastPageText: landing.text };

    const identifier = { type: 'email', value: options.email };
    await this.api(endpoint, 'PUT', '/api/experience', { interactionEvent: 'SignIn' });
    const sent = await this.api<{ verificationId: string }>(endpoint, 'POST', '/api/experience/verification/verification-code', {
      identifier,
      interactionEvent: 'SignIn',
    });
    if (options.stopAt === 'code') return { redirectedTo: null, lastPageText: '' };
    const code = await options.readCode(options.email);
    const verified = await this.api<{ verificationId: string }>(endpoint, 'POST', '/api/experience/verification/verification-code/verify', {
      identifier,
      verificationId: sent.verificationId,
      code,
    });
    try {
      await this.api(endpoint, 'POST', '/api/experience/identification', { verificationId: verified.verificationId });
    } catch (error) {
      // A new address: what Logto's pages do next — switch the interaction to registration and
      // reuse the verified code (sign-in mode SignInAndRegister).
      if (!(error instanceof LogtoApiError) || error.code !== 'user.user_not_exist') throw error;
      await this.api(endpoint, 'PUT', '/api/experience/interaction-event', { interactionEvent: 'Register' });
      await this.api(endpoint, 'POST', '/api/experience/identification', { verificationId: verified.verificationId });
    }
    const { redirectTo } = await this.api<{ redirectTo: string }>(endpoint, 'POST', '/api/experience/submit');
    const done = await this.navigate(redirectTo);
    return { redirectedTo: done.redirectedTo, lastPageText: done.text };
  }

  /** Opens a URL (e.g. the end-session URL) and submits Logto's auto-submitting sign-out form. */
  async follow(url: string): Promise<{ redirectedTo: string | null; status: number }> {
    let page = await this.navigate(url);
    // Logto's end-session page is a form that submits itself on load (logout=yes).
    const form = /<form[^>]*id="op\.logoutForm"[^>]*>([\s\S]*?)<\/form>/.exec(page.text);
    if (!page.redirectedTo && form) {
      const action = /action="([^"]+)"/.exec(form[0])?.[1] ?? '';
      const fields = new URLSearchParams({ logout: 'yes' });
      for (const input of form[1]?.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g) ?? []) fields.set(input[1]!, input[2]!);
      page = await this.navigate(new URL(decodeEntities(action), page.url).href, fields);
    }
    return { redirectedTo: page.redirectedTo, status: page.status };
  }

  /** GET (or POST `form`), following http(s) redirects; stops at a redirect to another scheme (the app). */
  async navigate(
    start: string,
    form?: URLSearchParams,
  ): Promise<{ url: string; status: number; text: string; redirectedTo: string | null }> {
    let url = new URL(start);
    let body = form;
    for (let hop = 0; hop < 20; hop += 1) {
      const response = await fetch(url, {
        method: body ? 'POST' : 'GET',
        redirect: 'manual',
        headers: { cookie: this.#cookieHeader(url), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        ...(body ? { body } : {}),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      this.#store(url, response.headers.getSetCookie());
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        const next = new URL(location, url);
        if (next.protocol !== 'http:' && next.protocol !== 'https:')
          return { url: url.href, status: response.status, text: '', redirectedTo: next.href };
        url = next;
        body = undefined;
        continue;
      }
      return { url: url.href, status: response.status, text: await response.text(), redirectedTo: null };
    }
    throw new Error(`more than 20 redirects from ${new URL(start).pathname}`);
  }

  /** One Experience API call at `endpoint` with this browser's cookies; throws LogtoApiError when refused. */
  async api<T = unknown>(endpoint: string, method: string, path: string, json?: unknown): Promise<T> {
    const url = new URL(path, endpoint);
    this.calls.push(`${method} ${path}`);
    const response = await fetch(url, {
      method,
      headers: { cookie: this.#cookieHeader(url), ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
      signal: AbortSignal.timeout(this.#timeoutMs),
    });
    this.#store(url, response.headers.getSetCookie());
    return readLogtoAnswer<T>(response, `${method} ${path}`);
  }

  #cookieHeader(url: URL): string {
    return [...this.#cookies]
      .filter(
        ([, cookie]) =>
          url.pathname === cookie.path || url.pathname.startsWith(cookie.path.endsWith('/') ? cookie.path : `${cookie.path}/`),
      )
      .map(([key, cookie]) => `${key.slice(0, key.indexOf('\n'))}=${cookie.value}`)
      .join('; ');
  }

  #store(_url: URL, setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const path = attributes.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) || '/';
      const expired = attributes.some((a) => /^max-age=0$/i.test(a) || (/^expires=/i.test(a) && Date.parse(a.slice(8)) < Date.now()));
      const key = `${name}\n${path}`;
      if (expired || value === '') this.#cookies.delete(key);
      else this.#cookies.set(key, { value, path });
    }
  }
}

function decodeEntities(text: string): string {
  return text
    .replace(/&amp;/g, '&')
    .replace(/&#x2F;/gi, '/')
    .replace(/&quot;/g, '"');
}
