import { startIdentityServer, type IdpOptions, type RunningIdp } from '../factory.ts';
import { DeliveryError, type MailTransport } from '../mail/types.ts';
import { authorizationUrl } from '../../test/support/authorization-request.ts';
import { HttpBrowser, type BrowserPage } from '../../test/support/http-browser.ts';
import { managementToken } from '../../test/support/management-token.ts';

const quiet = { port: 0, log: () => undefined } satisfies IdpOptions;

describe('the sign-in pages', () => {
  const running: RunningIdp[] = [];

  async function server(options: IdpOptions = {}): Promise<RunningIdp> {
    const idp = await startIdentityServer({ ...quiet, ...options });
    running.push(idp);
    return idp;
  }

  afterEach(async () => {
    await Promise.all(running.splice(0).map((idp) => idp.stop()));
  });

  async function openSignIn(idp: RunningIdp, params: Record<string, string | undefined> = {}) {
    const browser = new HttpBrowser();
    const page = await browser.open(authorizationUrl(idp.issuer, { client_id: idp.appId, ...params }));
    return { browser, page };
  }

  async function openCodePage(idp: RunningIdp, email: string) {
    const { browser, page } = await openSignIn(idp);
    const codePage = await browser.submit(page, 'email', { email });
    expect(codePage.text).toContain(`We sent a 6-digit code to ${email}`);
    return { browser, codePage, code: idp.mailbox.latestCode(email)! };
  }

  function alertOf(page: BrowserPage): string | undefined {
    return /role="alert"[^>]*>([^<]*)</.exec(page.html)?.[1];
  }

  function inputTag(page: BrowserPage, id: string): string {
    return new RegExp(`<input\\b[^>]*\\bid="${id}"[^>]*>`).exec(page.html)?.[0] ?? '';
  }

  function wrongCodeFor(code: string): string {
    return code === '000000' ? '111111' : '000000';
  }

  it('is an accessible, phone-sized email form, then a one-time-code form', async () => {
    const idp = await server();
    const { page } = await openSignIn(idp);
    expect(new URL(page.url).pathname).toBe('/sign-in');
    expect(page.html).toContain('name="viewport"');
    expect(page.html).toMatch(/<label for="email">/);
    const email = inputTag(page, 'email');
    for (const attribute of ['type="email"', 'autocomplete="email"', 'autofocus']) {
      expect(email).toContain(attribute);
    }

    const { codePage } = await openCodePage(idp, 'a11y@example.com');
    expect(codePage.html).toMatch(/<label for="code" id="code-label">Verification code<\/label>/);
    const code = inputTag(codePage, 'code');
    for (const attribute of ['inputmode="numeric"', 'autocomplete="one-time-code"', 'autofocus']) {
      expect(code).toContain(attribute);
    }
  });

  it('says the code is wrong and how many attempts are left, and still accepts the right one', async () => {
    const idp = await server();
    const { browser, codePage, code } = await openCodePage(idp, 'typo@example.com');
    const wrong = await browser.submit(codePage, 'code', { code: wrongCodeFor(code) });
    expect(wrong.status).toBe(400);
    expect(alertOf(wrong)).toContain('That code is not right');
    expect(alertOf(wrong)).toContain('9 attempts left');
    expect(wrong.html).toContain('aria-invalid="true"');

    const right = await browser.submit(wrong, 'code', { code });
    expect(right.redirectedTo).toMatch(/^com\.example\.app:\/\/callback\?code=/);
  });

  it('answers a code post with a redirect, so a reload shows the page again and spends no attempt', async () => {
    const idp = await server();
    const requests: string[] = [];
    const browser = new HttpBrowser({ log: (line) => requests.push(line) });
    const first = await browser.open(authorizationUrl(idp.issuer, { client_id: idp.appId }));
    const codePage = await browser.submit(first, 'email', { email: 'reload@example.com' });
    const code = idp.mailbox.latestCode('reload@example.com')!;
    requests.length = 0;
    const wrong = await browser.submit(codePage, 'code', { code: wrongCodeFor(code) });
    // The post is answered with 303 and the page comes from GET /verify: what a reload repeats.
    expect(requests).toEqual(['[browser] POST /verify → 303', '[browser] GET /verify → 400']);
    expect(alertOf(wrong)).toContain('9 attempts left');
    const reloaded = await browser.open(wrong.url);
    expect(reloaded.status).toBe(200);
    expect(alertOf(reloaded)).toBeUndefined();
    const again = await browser.submit(reloaded, 'code', { code: wrongCodeFor(code) });
    expect(alertOf(again)).toContain('8 attempts left');
  });

  it('says when a new code can be sent instead of offering a button that answers "please wait"', async () => {
    const idp = await server();
    const { codePage } = await openCodePage(idp, 'cooldown@example.com');
    const resend = /<button[^>]*class="secondary cooling"[^>]*style="animation-delay:(\d+)s"/.exec(codePage.html);
    expect(Number(resend?.[1])).toBeGreaterThan(50);
    // How long, not a clock time (the server's time zone need not be the reader's).
    expect(codePage.text).toMatch(/You can ask for a new code in (5\d|60) seconds\./);
  });

  it("loads the code page's script from this server only: the policy runs no inline script, the file comes as JavaScript", async () => {
    const idp = await server();
    const { browser, codePage } = await openCodePage(idp, 'script@example.com');
    // The same GET /verify, read with its headers.
    const again = await fetch(codePage.url, { headers: { cookie: browser.cookies.headerFor(new URL(codePage.url)) ?? '' } });
    expect(again.status).toBe(200);
    const policy = new Map(
      (again.headers.get('content-security-policy') ?? '')
        .split(';')
        .map((part) => part.trim().split(/\s+/))
        .map(([name, ...sources]) => [name, sources] as const),
    );
    // 'self' alone: no 'unsafe-inline', no hash or nonce that would let an inline script run.
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('default-src')).toEqual(["'none'"]);
    const scripts = [...codePage.html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.map(([, attributes, body]) => ({ attributes: attributes!.trim(), body }))).toEqual([
      { attributes: 'src="/assets/code-page.js" defer', body: '' },
    ]);
    // The page without script keeps the one field and the server-side cool-down it works with.
    expect(inputTag(codePage, 'code')).toContain('name="code"');
    expect(codePage.html).toMatch(/data-resend-in="\d+"/);

    const script = await fetch(new URL('/assets/code-page.js', idp.endpoint));
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('x-content-type-options')).toBe('nosniff');
    const source = await script.text();
    // Its words come from the page, in the page's language.
    expect(source).toContain("'tChecking'");
    expect(codePage.html).toContain('data-t-checking="Checking…"');
    expect(() => new Function(source)).not.toThrow(); // it parses
    // The email page (no code field) loads no script.
    const emailPage = await browser.open(new URL('/sign-in', idp.endpoint).href);
    expect(emailPage.html).not.toContain('<script');
  });

  it('switching account (prompt=login with a session) says who is signed in now and links back to the app', async () => {
    const idp = await server();
    const browser = new HttpBrowser();
    const first = await browser.signIn(authorizationUrl(idp.issuer, { client_id: idp.appId }), {
      email: 'current@example.com',
      readCode: async (email) => idp.mailbox.latestCode(email)!,
    });
    expect(first.redirectedTo).toMatch(/^com\.example\.app:\/\/callback\?code=/);

    const fresh = await new HttpBrowser().open(authorizationUrl(idp.issuer, { client_id: idp.appId }));
    expect(fresh.html).not.toContain('data-testid="signed-in-as"');

    const switching = await browser.open(authorizationUrl(idp.issuer, { client_id: idp.appId, prompt: 'login consent' }));
    expect(switching.text).toContain('You are signed in as current@example.com');
    // Signing in here creates an account for a new address: no detour to a "create one" page.
    expect(switching.text).not.toContain('No account yet');
    expect(switching.html).toMatch(/<a href="http:\/\/localhost:\d+\/home">back to [^<]+<\/a>/);
    expect(switching.text).toContain('close this page');
  });

  it('asks for six digits without spending an attempt on other input', async () => {
    const idp = await server();
    const { browser, codePage, code } = await openCodePage(idp, 'letters@example.com');
    const page = await browser.submit(codePage, 'code', { code: 'abc' });
    expect(alertOf(page)).toBe('Enter the 6-digit code from the email.');
    const wrong = await browser.submit(page, 'code', { code: wrongCodeFor(code) });
    expect(alertOf(wrong)).toContain('9 attempts left');
  });

  it('refuses an expired code', async () => {
    const idp = await server({ ttl: { verificationCode: 1 } });
    const { browser, codePage, code } = await openCodePage(idp, 'slow@example.com');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const page = await browser.submit(codePage, 'code', { code });
    expect(page.status).toBe(400);
    expect(alertOf(page)).toBe('This code has expired. Send a new code and try again.');
    // An expired code is not "valid for 10 minutes" any more.
    expect(page.text).not.toContain('It is valid for');
  });

  it('after an expired code offers "Send a new code" with the focus on it, and no boxes that would refuse any code', async () => {
    const idp = await server({ ttl: { verificationCode: 1 }, resendCooldown: 0 });
    const { browser, codePage, code } = await openCodePage(idp, 'expired-focus@example.com');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const page = await browser.submit(codePage, 'code', { code });
    expect(page.forms.some((form) => form.fields.has('code'))).toBe(false);
    expect(page.html).not.toMatch(/<input[^>]*autofocus/);
    expect(page.html).toMatch(/<button type="submit" class="secondary"\s+autofocus\s*>\s*Send a new code/);
  });

  it('when the address is locked, shows only what works then: a countdown from an instant, and another address', async () => {
    const idp = await server({ codeLimits: { wrongCodesPerHour: 2, lockoutSeconds: 9 * 60 + 30 } });
    const { browser, codePage, code } = await openCodePage(idp, 'locked-page@example.com');
    let page = await browser.submit(codePage, 'code', { code: wrongCodeFor(code) });
    const before = Date.now();
    page = await browser.submit(page, 'code', { code: wrongCodeFor(code) });
    expect(page.status).toBe(429);
    // No code boxes, no Continue, no resend: none of them would be accepted now.
    expect(page.forms).toEqual([]);
    expect(page.text).not.toMatch(/Continue|Send a new code|Resend/);
    expect(page.text).toContain('You can try again in 10 minutes.');
    // No server clock time; the instant (for the live countdown) is ISO 8601 with its zone.
    expect(page.text).not.toMatch(/\d\d:\d\d/);
    const until = Date.parse(/data-until="([^"]+)"/.exec(page.html)?.[1] ?? '');
    expect(/data-until="[^"]+Z"/.test(page.html)).toBe(true);
    expect(until - before).toBeGreaterThan(9 * 60 * 1000);
    expect(page.html).toMatch(/<a href="\/sign-in">Use a different email<\/a>/);
    // The same page after a reload.
    const reloaded = await browser.open(`${idp.endpoint}/verify`);
    expect(reloaded.forms).toEqual([]);
    expect(reloaded.text).toContain('Use a different email');
  });

  it.each(['esc\u001b[2J@example.com', 'bell\u0007@example.com', 'nul\u0000x@example.com', 'c1\u0085@example.com'])(
    'refuses an address with a control character (%j) and mails nothing',
    async (email) => {
      const idp = await server();
      const { browser, page } = await openSignIn(idp);
      const refused = await browser.submit(page, 'email', { email });
      expect(refused.status).toBe(400);
      expect(alertOf(refused)).toBe('Enter a valid email address, like name@example.com.');
      expect(idp.mailbox.all()).toEqual([]);
    },
  );

  it('says "Continue with email" (true for a new address too) and offers no "create one" detour: this page creates accounts', async () => {
    const idp = await server();
    for (const params of [{}, { first_screen: 'identifier:sign_in' }]) {
      const { page } = await openSignIn(idp, params);
      expect(page.html).toContain('<h1>Continue with email</h1>');
      expect(page.text).not.toMatch(/No account yet|Create one|Sign in\b/);
    }
  });

  it('refuses the 11th attempt even with the right code, and says until when the address is refused', async () => {
    const idp = await server();
    const { browser, codePage, code } = await openCodePage(idp, 'guesser@example.com');
    let page = codePage;
    for (let attempt = 1; attempt <= 10; attempt += 1) {
      page = await browser.submit(page, 'code', { code: wrongCodeFor(code) });
    }
    expect(page.text).toContain('it was the last attempt');
    page = await browser.submit(page, { action: '/verify', method: 'POST', fields: new Map([['code', code]]) });
    expect(page.redirectedTo).toBeNull();
    expect(page.status).toBe(429);
    expect(page.text).toContain('Too many wrong attempts for this email address. You can try again in 10 minutes.');
  });

  it.each([
    ['not-an-email', 'Enter a valid email address, like name@example.com.'],
    ['two@at@example.com', 'Enter a valid email address, like name@example.com.'],
    ['', 'Enter your email address.'],
  ])('refuses the malformed email %j and sends nothing', async (email, message) => {
    const idp = await server();
    const { browser, page } = await openSignIn(idp);
    const refused = await browser.submit(page, 'email', { email });
    expect(refused.status).toBe(400);
    expect(alertOf(refused)).toBe(message);
    expect(refused.forms.find((form) => form.fields.has('email'))?.fields.get('email')).toBe(email);
    expect(idp.mailbox.all()).toEqual([]);
  });

  it('makes a person wait for the resend cool-down, then sends a new code that replaces the old one', async () => {
    const idp = await server();
    const { browser, codePage } = await openCodePage(idp, 'impatient@example.com');
    const waited = await browser.submit(
      codePage,
      codePage.forms.find((form) => form.action === '/verify/resend')!,
    );
    expect(waited.status).toBe(429);
    expect(alertOf(waited)).toMatch(/^Please wait \d+ seconds before asking for a new code\.$/);
    expect(idp.mailbox.all()).toHaveLength(1);

    const patient = await server({ resendCooldown: 0 });
    const second = await openCodePage(patient, 'patient@example.com');
    const resent = await second.browser.submit(
      second.codePage,
      second.codePage.forms.find((form) => form.action === '/verify/resend')!,
    );
    expect(resent.text).toContain('We sent you a new code.');
    const newCode = patient.mailbox.latestCode('patient@example.com')!;
    expect(patient.mailbox.all()).toHaveLength(2);
    if (newCode !== second.code) {
      const old = await second.browser.submit(resent, 'code', { code: second.code });
      expect(alertOf(old)).toContain('That code is not right');
    }
    const done = await second.browser.submit(resent, 'code', { code: newCode });
    expect(done.redirectedTo).toMatch(/^com\.example\.app:\/\/callback\?code=/);
  });

  it("shows the transport's message when delivery fails, and records nothing", async () => {
    const failing: MailTransport = {
      name: 'broken',
      send: async () => {
        throw new DeliveryError('We could not send the email right now. Try again in a few minutes.', 'SignatureDoesNotMatch');
      },
    };
    const idp = await server({ mail: failing });
    const { browser, page } = await openSignIn(idp);
    const refused = await browser.submit(page, 'email', { email: 'nomail@example.com' });
    expect(refused.status).toBe(502);
    expect(alertOf(refused)).toBe('We could not send the email right now. Try again in a few minutes.');
    expect(refused.text).not.toContain('SignatureDoesNotMatch');
    expect(idp.mailbox.all()).toEqual([]);
  });

  it('keeps the code a person already has when sending a new one fails', async () => {
    let sends = 0;
    const flaky: MailTransport = {
      name: 'flaky',
      send: async () => {
        sends += 1;
        if (sends > 1) {
          throw new DeliveryError('We could not send a new code. Use the one you have, or try again later.', 'Throttling');
        }
        return { subject: 'Your code' };
      },
    };
    const idp = await server({ mail: flaky, resendCooldown: 0 });
    const { browser, codePage, code } = await openCodePage(idp, 'kept-code@example.com');
    const failed = await browser.submit(
      codePage,
      codePage.forms.find((form) => form.action === '/verify/resend')!,
    );
    expect(failed.status).toBe(502);
    expect(alertOf(failed)).toBe('We could not send a new code. Use the one you have, or try again later.');
    const done = await browser.submit(failed, 'code', { code });
    expect(done.redirectedTo).toMatch(/^com\.example\.app:\/\/callback\?code=/);
  });

  it('never shows the internals of an unexpected delivery error', async () => {
    const idp = await server({
      mail: {
        name: 'crashing',
        send: async () => {
          throw new TypeError("Cannot read properties of undefined (reading 'accessKeyId')");
        },
      },
    });
    const { browser, page } = await openSignIn(idp);
    const refused = await browser.submit(page, 'email', { email: 'crash@example.com' });
    expect(alertOf(refused)).toBe('We could not send the email. Try again in a moment.');
    expect(refused.text).not.toMatch(/accessKeyId|TypeError|at /);
  });

  it.each([
    [{ first_screen: 'register' }, '/register', 'Create your account'],
    [{ first_screen: 'identifier:sign_in' }, '/identifier-sign-in', 'Continue with email'],
    [{ first_screen: 'identifier:register' }, '/identifier-register', 'Create your account with email'],
    [{ interaction_mode: 'signUp' }, '/register', 'Create your account'],
    [{}, '/sign-in', 'Continue with email'],
    // Not a first screen, though an object has a key of that name (inherited).
    [{ first_screen: 'constructor' }, '/sign-in', 'Continue with email'],
    [{ first_screen: '__proto__' }, '/sign-in', 'Continue with email'],
    [{ first_screen: 'toString' }, '/sign-in', 'Continue with email'],
    [{ first_screen: 'hasOwnProperty' }, '/sign-in', 'Continue with email'],
  ])('opens the first screen the app asked for: %j', async (params, path, heading) => {
    const idp = await server();
    const { page } = await openSignIn(idp, params);
    expect(new URL(page.url).pathname).toBe(path);
    expect(page.html).toContain(`<h1>${heading}</h1>`);
  });

  it('prefills the email from login_hint', async () => {
    const idp = await server();
    const { page } = await openSignIn(idp, { login_hint: 'hinted@example.com' });
    expect(page.forms[0]?.fields.get('email')).toBe('hinted@example.com');
  });

  it("mails the page's template (Logto's interaction event), and the proved address decides: register or sign in", async () => {
    const idp = await server({ resendCooldown: 0 });
    // A new address on the sign-in page: the SignIn mail, and its code registers (Logto's switch).
    const first = await openSignIn(idp, { first_screen: 'signIn' });
    await first.browser.submit(first.page, 'email', { email: 'new@example.com' });
    expect(idp.mailbox.all()[0]).toMatchObject({ to: 'new@example.com', usageType: 'SignIn' });
    const code = idp.mailbox.latestCode('new@example.com')!;
    const codePage = await first.browser.open(`${idp.endpoint}/verify`);
    const registered = await first.browser.submit(codePage, 'code', { code });
    expect(registered.redirectedTo).toMatch(/^com\.example\.app:\/\/callback\?code=/);

    // A known address on the registration page: the Register mail, and its code signs in.
    const second = await openSignIn(idp, { first_screen: 'register' });
    const secondCode = await second.browser.submit(second.page, 'email', { email: 'NEW@example.com' });
    expect(idp.mailbox.all()[0]).toMatchObject({ to: 'new@example.com', usageType: 'Register' });
    const signedIn = await second.browser.submit(secondCode, 'code', { code: idp.mailbox.latestCode('new@example.com')! });
    expect(signedIn.redirectedTo).toMatch(/^com\.example\.app:\/\/callback\?code=/);
  });

  it('sends a ForgotPassword code from reset-password only for a known account, without telling who has one; without passwords it resets nothing (as Logto)', async () => {
    const idp = await server({ resendCooldown: 0 });
    const { browser, page } = await openSignIn(idp, { first_screen: 'reset_password' });
    const unknown = await browser.submit(page, 'email', { email: 'stranger@example.com' });
    // The same code step a known address gets; no email; no code works.
    expect(unknown.forms.some((form) => form.fields.has('code'))).toBe(true);
    expect(unknown.text).toContain('stranger@example.com');
    expect(idp.mailbox.all()).toEqual([]);
    const guessed = await browser.submit(unknown, 'code', { code: '123456' });
    expect(alertOf(guessed)).toMatch(/^That code is not right/);
    const resent = await browser.submit(
      guessed,
      guessed.forms.find((form) => form.action === '/verify/resend')!,
    );
    expect(resent.text).toContain('We sent you a new code.');
    expect(idp.mailbox.all()).toEqual([]);

    const member = await openCodePage(idp, 'member@example.com');
    await member.browser.submit(member.codePage, 'code', { code: member.code });
    const reset = await openSignIn(idp, { first_screen: 'reset_password' });
    const codePage = await reset.browser.submit(reset.page, 'email', { email: 'member@example.com' });
    expect(idp.mailbox.all()[0]).toMatchObject({ to: 'member@example.com', usageType: 'ForgotPassword' });
    // Without passwords in the sign-in experience the code proves the address but resets nothing,
    // and it does not sign in: Logto answers 422 session.not_supported_for_forgot_password.
    const refused = await reset.browser.submit(codePage, 'code', { code: idp.mailbox.latestCode('member@example.com')! });
    expect(refused.redirectedTo).toBeNull();
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('This operation is not supported for forgot password.');
  });

  it('explains an expired sign-in session instead of failing', async () => {
    const idp = await server();
    const page = await new HttpBrowser().open(`${idp.endpoint}/sign-in`);
    expect(page.status).toBe(400);
    expect(page.text).toContain('This sign-in page has expired');
    // A way back: the web app, and what to do on a phone.
    expect(page.html).toMatch(/<a href="http:\/\/localhost:\d+\/">Back to [^<]+<\/a>/);
    expect(page.text).toContain('close this page to return to the app');
    expect(page.text).toContain('Go back to the app and start signing in again.');
  });

  it('gives the expired password page the same way back to the app as the code pages', async () => {
    const m2m = { id: 'expired-m2m', secret: 'expired-m2m-secret-for-tests', managementApiAccess: true };
    // A sign-in experience with email needs an email connector (never reached here: no code is sent).
    const idp = await server({ m2mApps: [m2m], connectorSecrets: { accessKeyId: 'unused-id', accessKeySecret: 'unused-secret' } });
    const passwordFirst = await fetch(`${idp.endpoint}/api/sign-in-exp`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${await managementToken(idp, m2m)}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        signUp: { identifiers: ['email'], password: true, verify: true },
        signIn: { methods: [{ identifier: 'email', password: true, verificationCode: true, isPasswordPrimary: true }] },
      }),
    });
    expect(passwordFirst.status).toBe(200);
    const page = await new HttpBrowser().open(`${idp.endpoint}/password/sign-in`);
    expect(page.status).toBe(400);
    expect(page.text).toContain('This sign-in page has expired');
    expect(page.html).toMatch(/<a href="http:\/\/localhost:\d+\/">Back to [^<]+<\/a>/);
  });

  it('answers an unexpected failure with a plain error page, never a stack trace', async () => {
    const idp = await server();
    const { browser } = await openSignIn(idp);
    const url = new URL(`${idp.endpoint}/sign-in`);
    const response = await fetch(url, {
      method: 'POST',
      headers: { cookie: browser.cookies.headerFor(url)!, 'content-type': 'application/x-www-form-urlencoded' },
      body: `email=${'x'.repeat(20_000)}`,
    });
    expect(response.status).toBe(500);
    const html = await response.text();
    expect(html).toContain('Something went wrong');
    expect(html).not.toMatch(/form body too large|at .*\.ts/);
  });

  it('answers unknown pages with a 404 page', async () => {
    const idp = await server();
    const page = await new HttpBrowser().open(`${idp.endpoint}/nothing-here`);
    expect(page.status).toBe(404);
    expect(page.text).toContain('Page not found');
  });
});
