/**
 * The local identity server behind the differential's driver interface: started in-process
 * through its factory, driven through its HTML pages by the http browser (test/support), codes
 * read from its dev mailbox (which records each mail's template).
 */
import { startIdentityServer, type IdpOptions, type RunningIdp } from '../../dev-idp/factory.ts';
import { loadIdentityConfig } from '../../dev-idp/identity-config.ts';
import { HttpBrowser, type BrowserPage } from '../support/http-browser.ts';
import { authorizationRequest, createPkce, postRevocation, postToken } from './driver.ts';
import type { CodeAnswer, Finish, IdentityDriver, InteractionEvent, Mail, SendAnswer, SignInAttempt } from './driver.ts';

const firstScreens: Record<InteractionEvent, string> = { SignIn: 'sign_in', Register: 'register', ForgotPassword: 'reset_password' };

function alertOf(page: BrowserPage): string {
  return /role="alert"[^>]*>([^<]*)</.exec(page.html)?.[1]?.trim() ?? '';
}

const hasField = (page: BrowserPage, field: string) => page.forms.some((form) => form.fields.has(field));

export interface LocalDriver extends IdentityDriver {
  readonly idp: RunningIdp;
  stop(): Promise<void>;
}

/**
 * The page's 60 s countdown before "Send a new code" is off: Logto's API has none (its countdown
 * lives in its React page), and the scenarios compare what the servers answer.
 */
export async function startLocalDriver(options: IdpOptions = {}): Promise<LocalDriver> {
  const idp = await startIdentityServer({ port: 0, log: () => undefined, codeLimits: { resendCooldownSeconds: 0 }, ...options });
  const config = loadIdentityConfig();
  let lastBrowser: HttpBrowser | undefined;

  const driver: LocalDriver = {
    name: 'local server',
    idp,
    issuer: idp.issuer,
    clientId: idp.appId,
    redirectUri: config.redirectUris.native.signIn,
    postLogoutRedirectUri: config.redirectUris.native.signOut,

    async createAccount(email) {
      const attempt = await driver.begin('Register');
      await attempt.sendCode(email);
      const code = (await driver.mails(email)).at(-1)?.code ?? '';
      if ((await attempt.submitCode(code)) !== 'accepted' || !(await attempt.finish()).callback) {
        throw new Error('local server: the account could not be created');
      }
    },

    async begin(event) {
      const browser = new HttpBrowser();
      lastBrowser = browser;
      const pkce = createPkce();
      let page = await browser.open(authorizationRequest(driver, pkce, { first_screen: firstScreens[event] }));
      let callback: string | null = null;

      const sendAnswer = (next: BrowserPage): SendAnswer =>
        hasField(next, 'code') && next.status < 400 ? { sent: true } : { sent: false, refusal: alertOf(next) || `HTTP ${next.status}` };

      const attempt: SignInAttempt = {
        async sendCode(email) {
          page = await browser.submit(page, 'email', { email });
          return sendAnswer(page);
        },
        async resendCode() {
          const form = page.forms.find((candidate) => candidate.action === '/verify/resend');
          if (!form) return { sent: false, refusal: 'no "Send a new code" on this page' };
          page = await browser.submit(page, form);
          return sendAnswer(page);
        },
        async submitCode(code): Promise<CodeAnswer> {
          page = await browser.submit(page, 'code', { code });
          if (page.redirectedTo) {
            callback = page.redirectedTo;
            return 'accepted';
          }
          if (hasField(page, 'code')) {
            return alertOf(page).startsWith('That code is not right') ? 'wrong' : 'verification-gone';
          }
          // Past the code: a page of its own (a password step, "no account").
          return hasField(page, 'email') ? 'verification-gone' : 'accepted';
        },
        async finish(): Promise<Finish> {
          if (callback) return { steps: [], callback };
          const path = new URL(page.url).pathname;
          if (path === '/password/reset') return { steps: ['asks-new-password'], callback: null };
          if (path === '/password/create') return { steps: ['asks-create-password'], callback: null };
          if (page.text.includes('not supported for forgot password')) {
            return { steps: ['stopped: session.not_supported_for_forgot_password'], callback: null };
          }
          return { steps: [page.text.includes('does not exist') ? 'no-account' : `stopped at ${path}`], callback: null };
        },
        exchange(redirectedTo) {
          const code = new URL(redirectedTo).searchParams.get('code') ?? '';
          return postToken(idp.issuer, {
            grant_type: 'authorization_code',
            client_id: idp.appId,
            code,
            code_verifier: pkce.verifier,
            redirect_uri: driver.redirectUri,
          });
        },
      };
      return attempt;
    },

    async mails(email): Promise<readonly Mail[]> {
      const address = email.toLowerCase();
      return idp.mailbox
        .all()
        .filter((record) => record.to === address)
        .reverse()
        .map((record) => ({ usageType: record.usageType, code: record.code }));
    },

    token: (params) => postToken(idp.issuer, params),
    revoke: (token) => postRevocation(idp.issuer, idp.appId, token),

    async endSession(idToken) {
      const browser = lastBrowser ?? new HttpBrowser();
      const search = new URLSearchParams({
        id_token_hint: idToken,
        post_logout_redirect_uri: driver.postLogoutRedirectUri,
        client_id: idp.appId,
      });
      const { redirectedTo } = await browser.follow(`${idp.issuer}/session/end?${search}`);
      return { redirectedTo };
    },

    stop: () => idp.stop(),
  };
  return driver;
}
