/**
 * One-time-code limits belong to the email address, across interactions: alternating the
 * victim's address with a decoy inside one interaction, or starting new authorization requests,
 * buys no new guesses, and the sending budget (Logto's: 10 codes per 10 minutes) counts every
 * request. Like Logto, a new sign-in gets its code at once: the 60 s countdown belongs to one
 * sign-in's code page.
 */
import { startIdentityServer, type IdpOptions, type RunningIdp } from '../factory.ts';
import { authorizationUrl } from '../../test/support/authorization-request.ts';
import { HttpBrowser, type BrowserPage } from '../../test/support/http-browser.ts';

const victim = 'victim@example.com';
const decoy = 'decoy@example.com';

describe('one-time-code limits per email address', () => {
  const running: RunningIdp[] = [];

  async function server(options: IdpOptions = {}): Promise<RunningIdp> {
    const idp = await startIdentityServer({ port: 0, log: () => undefined, ...options });
    running.push(idp);
    return idp;
  }

  afterEach(async () => {
    await Promise.all(running.splice(0).map((idp) => idp.stop()));
  });

  async function openSignIn(idp: RunningIdp, params: Record<string, string> = {}) {
    const browser = new HttpBrowser();
    const page = await browser.open(authorizationUrl(idp.issuer, { client_id: idp.appId, ...params }));
    return { browser, page };
  }

  /** The alert's text (the lockout page's countdown is an element inside it). */
  function alertOf(page: BrowserPage): string {
    const inner = /role="alert"[^>]*>([\s\S]*?)<\/p>/.exec(page.html)?.[1] ?? '';
    return inner
      .replace(/<[^>]+>/g, '')
      .replace(/\s+/g, ' ')
      .trim();
  }

  function mailsTo(idp: RunningIdp, email: string): number {
    return idp.mailbox.all().filter((mail) => mail.to === email).length;
  }

  function wrongCodeFor(code: string): string {
    return code === '000000' ? '111111' : '000000';
  }

  /** "in 10 minutes": how long the refusal lasts (no clock time: the server's zone need not be the reader's). */
  function expectRetryIn(message: string, minutes: number): void {
    const match = / in (\d+) minutes?\.$/.exec(message);
    expect(match).not.toBeNull();
    expect(message).not.toMatch(/\d\d:\d\d/);
    expect(Number(match![1])).toBe(minutes);
  }

  /** Posts a code to /verify as the one-field form would (the lockout page shows no code form). */
  function postCode(browser: HttpBrowser, page: BrowserPage, code: string): Promise<BrowserPage> {
    return browser.submit(page, { action: '/verify', method: 'POST', fields: new Map([['code', code]]) });
  }

  it('alternating the victim with a decoy in one interaction buys no guesses, and locks the victim for 10 minutes', async () => {
    const idp = await server({ codeLimits: { resendCooldownSeconds: 0 } });
    const { browser, page: first } = await openSignIn(idp);
    let page = first;
    let wrongAnswers = 0;
    let locked = '';
    for (let round = 0; round < 10 && !locked; round += 1) {
      page = await browser.submit(await browser.open(`${idp.endpoint}/sign-in`), 'email', { email: victim });
      if (!page.forms.some((form) => form.fields.has('code'))) {
        locked = alertOf(page);
        break;
      }
      const code = idp.mailbox.latestCode(victim)!;
      for (let guess = 0; guess < 5; guess += 1) {
        page = await browser.submit(page, 'code', { code: wrongCodeFor(code) });
        if (alertOf(page).startsWith('That code is not right')) wrongAnswers += 1;
        if (alertOf(page).includes('Too many wrong attempts')) {
          locked = alertOf(page);
          break;
        }
      }
      if (locked) break;
      await browser.submit(await browser.open(`${idp.endpoint}/sign-in`), 'email', { email: decoy });
    }
    expect(wrongAnswers).toBe(10);
    expect(mailsTo(idp, victim)).toBe(2);

    // The right code no longer works, in this interaction or a new one; nothing more is mailed.
    const right = await postCode(browser, await browser.open(`${idp.endpoint}/verify`), idp.mailbox.latestCode(victim)!);
    const refused = await openSignIn(idp, { login_hint: victim });
    const again = await refused.browser.submit(refused.page, 'email', { email: victim });
    for (const answer of [right, again]) {
      expect(answer.redirectedTo).toBeNull();
      expect(answer.status).toBe(429);
      expect(alertOf(answer)).toMatch(/^Too many wrong attempts for this email address\. You can try again in /);
      expectRetryIn(alertOf(answer), 10);
    }
    expect(mailsTo(idp, victim)).toBe(2);

    // Only that address is refused: the decoy (another person) still signs in.
    const other = await openSignIn(idp);
    const decoyCodePage = await other.browser.submit(other.page, 'email', { email: decoy });
    const signedIn = await other.browser.submit(decoyCodePage, 'code', { code: idp.mailbox.latestCode(decoy)! });
    expect(signedIn.redirectedTo).toMatch(/^com\.example\.app:\/\/callback\?code=/);
  });

  it('mails a new code at once to a new sign-in for the same address (no wait across sign-ins, as Logto); opening the page mails nothing', async () => {
    const idp = await server();
    const first = await openSignIn(idp, { login_hint: victim });
    const firstCodePage = await first.browser.submit(first.page, 'email', { email: victim });
    expect(mailsTo(idp, victim)).toBe(1);
    const firstCode = idp.mailbox.latestCode(victim)!;

    const second = await openSignIn(idp, { login_hint: victim, first_screen: 'identifier:sign_in' });
    expect(second.page.forms[0]?.fields.get('email')).toBe(victim);
    expect(mailsTo(idp, victim)).toBe(1);
    const sent = await second.browser.submit(second.page, 'email', { email: victim });
    expect(sent.status).toBe(200);
    expect(sent.forms.some((form) => form.fields.has('code'))).toBe(true);
    expect(mailsTo(idp, victim)).toBe(2);
    // Within that new sign-in, its own page counts down before "Send a new code".
    expect(sent.html).toMatch(/data-resend-in="(5\d|60)"/);
    // Each sign-in keeps its own code.
    const signedIn = await first.browser.submit(firstCodePage, 'code', { code: firstCode });
    expect(signedIn.redirectedTo).toMatch(/^com\.example\.app:\/\/callback\?code=/);
  });

  it("mails at most 10 codes to an address per 10 minutes (Logto's limit), and says when the next may go", async () => {
    const idp = await server({ codeLimits: { resendCooldownSeconds: 0 } });
    const answers: BrowserPage[] = [];
    const browsers: HttpBrowser[] = [];
    for (let request = 0; request < 12; request += 1) {
      const { browser, page } = await openSignIn(idp);
      browsers.push(browser);
      answers.push(await browser.submit(page, 'email', { email: victim }));
    }
    expect(mailsTo(idp, victim)).toBe(10);
    for (const refused of answers.slice(10)) {
      expect(refused.status).toBe(429);
      expect(alertOf(refused)).toMatch(/^Too many codes were sent to this email address\. You can ask for a new one in /);
      expectRetryIn(alertOf(refused), 10);
    }
    // "Send a new code" on an earlier code page draws on the same budget.
    const resent = await browsers[0]!.submit(
      answers[0]!,
      answers[0]!.forms.find((form) => form.action === '/verify/resend')!,
    );
    expect(resent.status).toBe(429);
    expect(alertOf(resent)).toMatch(/^Too many codes were sent to this email address\./);
    expect(mailsTo(idp, victim)).toBe(10);
  });

  it('lets the owner sign in once the lockout is over (limits are factory options)', async () => {
    const idp = await server({ codeLimits: { resendCooldownSeconds: 0, wrongCodesPerHour: 2, lockoutSeconds: 1 } });
    const { browser, page } = await openSignIn(idp);
    const codePage = await browser.submit(page, 'email', { email: victim });
    const code = idp.mailbox.latestCode(victim)!;
    const once = await browser.submit(codePage, 'code', { code: wrongCodeFor(code) });
    expect(alertOf(once)).toContain('1 attempt left');
    const twice = await browser.submit(once, 'code', { code: wrongCodeFor(code) });
    expect(alertOf(twice)).toMatch(
      /^That code is not right, and it was the last attempt\. Too many wrong attempts for this email address\./,
    );
    expect(alertOf(twice)).toContain('in 1 minute.');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const after = await postCode(browser, twice, code);
    expect(after.redirectedTo).toMatch(/^com\.example\.app:\/\/callback\?code=/);
  });
});
