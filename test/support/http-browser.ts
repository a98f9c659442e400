import { CookieJar } from './cookie-jar.ts';
import { isAutoSubmitting, pageText, parseForms, type HtmlForm } from './html-forms.ts';

/** One page the browser ended on, or the moment it left the identity server. */
export interface BrowserPage {
  /** The last URL requested on the identity server. */
  readonly url: string;
  readonly status: number;
  readonly html: string;
  /** What a person reads on the page. */
  readonly text: string;
  readonly forms: readonly HtmlForm[];
  /** The first redirect to a URL outside the identity server (e.g. the app's callback), verbatim. */
  readonly redirectedTo: string | null;
}

export interface SignInOptions {
  readonly email: string;
  readonly readCode: (email: string) => Promise<string>;
  /** Stop when this page is reached, to simulate a person abandoning the browser there. */
  readonly stopAt?: 'email' | 'code';
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);
const maxHops = 30;

/**
 * The person in the system browser, for integration tests: a cookie jar and manual redirects
 * over fetch. It reads the sign-in pages' forms (by their `email` and `code` fields), follows
 * self-submitting forms (oidc-provider's form_post, the sign-out page) and stops at the first
 * redirect that leaves the identity server. It never logs URLs' queries (codes, tokens).
 */
export class HttpBrowser {
  readonly cookies = new CookieJar();
  readonly #log: (line: string) => void;
  readonly #timeoutMs: number;

  constructor(options: { log?: (line: string) => void; timeoutMs?: number } = {}) {
    this.#log = options.log ?? (() => undefined);
    this.#timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** Opens the authorization URL and walks the pages: email, then the code from `readCode`. */
  async signIn(authUrl: string, options: SignInOptions): Promise<{ redirectedTo: string | null; lastPageText: string }> {
    let page = await this.open(authUrl);
    let lastPageText = page.text;
    let emailSent = false;
    let codeSent = false;
    for (;;) {
      if (page.redirectedTo !== null) {
        return { redirectedTo: page.redirectedTo, lastPageText };
      }
      lastPageText = page.text;
      const codeForm = page.forms.find((form) => form.fields.has('code'));
      const emailForm = page.forms.find((form) => form.fields.has('email'));
      // A form seen again after we filled it means the page refused it: let the caller read why.
      if (codeForm) {
        if (options.stopAt === 'code' || codeSent) {
          return { redirectedTo: null, lastPageText };
        }
        const code = await options.readCode(options.email);
        page = await this.submit(page, codeForm, { code });
        codeSent = true;
      } else if (emailForm) {
        if (options.stopAt === 'email' || emailSent) {
          return { redirectedTo: null, lastPageText };
        }
        page = await this.submit(page, emailForm, { email: options.email });
        emailSent = true;
      } else {
        return { redirectedTo: null, lastPageText };
      }
    }
  }

  /** Follows an end-session URL until it leaves the server (the post-logout URI) or a page stays. */
  async follow(url: string): Promise<{ redirectedTo: string | null; status: number }> {
    const page = await this.open(url);
    return { redirectedTo: page.redirectedTo, status: page.status };
  }

  /** GET a URL and follow redirects and self-submitting forms on the same server. */
  open(url: string): Promise<BrowserPage> {
    return this.#navigate(new URL(url), 'GET', undefined, new URL(url).origin);
  }

  /** Fills and submits a form of the page (`form` = the form, or the name of a field it holds). */
  submit(page: BrowserPage, form: HtmlForm | string, values: Record<string, string> = {}): Promise<BrowserPage> {
    const target = typeof form === 'string' ? page.forms.find((candidate) => candidate.fields.has(form)) : form;
    if (!target) {
      throw new Error(`No form with a "${String(form)}" field on ${new URL(page.url).pathname}: ${page.text.slice(0, 200)}`);
    }
    const body = new URLSearchParams([...new Map([...target.fields, ...Object.entries(values)])]);
    const base = new URL(page.url);
    const action = new URL(target.action || page.url, base);
    return target.method === 'POST'
      ? this.#navigate(action, 'POST', body, base.origin)
      : this.#navigate(new URL(`${action.origin}${action.pathname}?${body}`), 'GET', undefined, base.origin);
  }

  async #navigate(start: URL, startMethod: 'GET' | 'POST', startBody: URLSearchParams | undefined, origin: string): Promise<BrowserPage> {
    let url = start;
    let method = startMethod;
    let body = startBody;
    for (let hop = 0; hop < maxHops; hop += 1) {
      const cookie = this.cookies.headerFor(url);
      const response = await fetch(url, {
        method,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.#timeoutMs),
        headers: { accept: 'text/html', ...(cookie ? { cookie } : {}) },
        ...(body ? { body } : {}),
      });
      this.cookies.store(url, response.headers.getSetCookie());
      this.#log(`[browser] ${method} ${url.pathname} → ${response.status}`);

      if (redirectStatuses.has(response.status)) {
        await response.body?.cancel();
        const location = response.headers.get('location') ?? '';
        const target = new URL(location, url);
        if (!['http:', 'https:'].includes(target.protocol) || target.origin !== origin) {
          this.#log('[browser] left the identity server');
          return {
            url: url.href,
            status: response.status,
            html: '',
            text: '',
            forms: [],
            redirectedTo: URL.canParse(location) ? location : target.href,
          };
        }
        const keepMethod = response.status === 307 || response.status === 308;
        method = keepMethod ? method : 'GET';
        body = keepMethod ? body : undefined;
        url = target;
        continue;
      }

      const html = await response.text();
      const forms = parseForms(html);
      const [only] = forms;
      if (only && forms.length === 1 && isAutoSubmitting(html)) {
        url = new URL(only.action || url.href, url);
        method = only.method;
        body = method === 'POST' ? new URLSearchParams([...only.fields]) : undefined;
        continue;
      }
      return { url: url.href, status: response.status, html, text: pageText(html), forms, redirectedTo: null };
    }
    throw new Error(`Too many redirects from ${start.pathname}`);
  }
}

/** `readCode` for tests: the newest code for the address, from GET /dev/mailbox (JSON). */
export function mailboxCodeReader(endpoint: string): (email: string) => Promise<string> {
  return async (email) => {
    const response = await fetch(`${endpoint}/dev/mailbox?to=${encodeURIComponent(email)}`, {
      headers: { accept: 'application/json' },
    });
    const records = (await response.json()) as { code: string }[];
    const [newest] = records;
    if (!newest) {
      throw new Error(`No code in the dev mailbox for ${email}`);
    }
    return newest.code;
  };
}
