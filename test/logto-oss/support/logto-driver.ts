/**
 * The real Logto server behind the differential's driver interface (test/logto-differential/
 * driver.ts). A person's browser without rendering Logto's React pages: a cookie jar and the
 * Experience API calls those pages make (packages/core/src/routes/experience; Logto's own
 * integration tests drive it the same way), including what the pages do after the code — the
 * "No account found for …. Create a new one?" and "An account with … already exists. Continue to
 * sign in." confirmations, answered yes, which switch the interaction's event and reuse the
 * verification.
 *
 * Codes are read where Logto's email connector put them: the fake DirectMail (Logto's Aliyun DM
 * connector routed there; the template is known by its subject in tenant/aliyun-dm.json), or the
 * file Logto's mock email connector writes (its record names the template).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { FakeAliyunDm } from '../../../dev-idp/fake-aliyun/server.ts';
import { codeIn } from '../../../dev-idp/mail/aliyun-fixtures.ts';
import { loadIdentityConfig } from '../../../dev-idp/identity-config.ts';
import { authorizationRequest, createPkce, postRevocation, postToken } from '../../logto-differential/driver.ts';
import type {
  CodeAnswer,
  Finish,
  IdentityDriver,
  InteractionEvent,
  Mail,
  SendAnswer,
  SignInAttempt,
} from '../../logto-differential/driver.ts';
import { ExperienceBrowser } from './experience-browser.ts';
import { LogtoApiError } from './logto-answer.ts';
import type { RealLogto } from './real-logto.ts';
import { createReader } from './tenant.ts';

const projectRoot = fileURLToPath(new URL('../../..', import.meta.url));

/** Where the codes Logto mails can be read. */
export interface MailSource {
  mails(email: string): Promise<readonly Mail[]>;
}

/** Logto's Aliyun DM connector, routed to the fake DirectMail: the template by its subject. */
export function fakeDirectMailSource(mail: FakeAliyunDm): MailSource {
  const config = JSON.parse(readFileSync(resolve(projectRoot, 'tenant/aliyun-dm.json'), 'utf8')) as {
    templates: { usageType: string; subject: string }[];
  };
  const bySubject = new Map(config.templates.map((template) => [template.subject, template.usageType]));
  return {
    async mails(email) {
      return mail.messages
        .filter((message) => message.to.toLowerCase() === email.toLowerCase())
        .map((message) => ({
          usageType: bySubject.get(message.subject) ?? `subject "${message.subject}"`,
          code: codeIn(message.html) ?? '',
        }));
    },
  };
}

/**
 * Logto's mock email connector: it overwrites one JSON file per message ({address, code, type}),
 * so the source keeps what it has seen; read it after each send.
 */
export function mockEmailFileSource(file: string): MailSource {
  const seen: { address: string; code: string; type: string }[] = [];
  return {
    async mails(email) {
      try {
        const record = JSON.parse(readFileSync(file, 'utf8')) as { address: string; code: string; type: string };
        const last = seen.at(-1);
        if (!last || last.address !== record.address || last.code !== record.code || last.type !== record.type) seen.push(record);
      } catch {
        // nothing written yet
      }
      return seen
        .filter((record) => record.address.toLowerCase() === email.toLowerCase())
        .map((record) => ({ usageType: record.type, code: record.code }));
    },
  };
}

function refusalOf(error: unknown): string {
  if (error instanceof LogtoApiError) return `HTTP ${error.status} ${error.code}`.trim();
  throw error;
}

export function logtoDriver(logto: RealLogto, options: { appId: string; roleId: string; mail: MailSource }): IdentityDriver {
  const config = loadIdentityConfig();
  const issuer = `${logto.endpoint}/oidc`;
  let lastBrowser: ExperienceBrowser | undefined;

  const driver: IdentityDriver = {
    name: 'real Logto',
    issuer,
    clientId: options.appId,
    redirectUri: config.redirectUris.native.signIn,
    postLogoutRedirectUri: config.redirectUris.native.signOut,

    // Through the Management API, with the role that grants read:books (Logto puts a permission
    // into a token only when a role grants it).
    createAccount: async (email) => {
      await createReader(logto, email, options.roleId);
    },

    async begin(event) {
      const browser = new ExperienceBrowser({ timeoutMs: 20_000 });
      lastBrowser = browser;
      const api = <T = unknown>(method: string, path: string, json?: unknown) => browser.api<T>(logto.endpoint, method, path, json);
      const pkce = createPkce();
      const landing = await browser.navigate(authorizationRequest(driver, pkce));
      if (landing.redirectedTo) throw new Error('Logto answered the authorization request without its sign-in pages');
      let current: InteractionEvent = event;
      await api('PUT', '/api/experience', { interactionEvent: event });
      let identifier: { type: 'email'; value: string } | undefined;
      let verificationId = '';
      let verified = '';

      async function send(): Promise<SendAnswer> {
        try {
          ({ verificationId } = await api<{ verificationId: string }>('POST', '/api/experience/verification/verification-code', {
            identifier,
            interactionEvent: event,
          }));
          return { sent: true };
        } catch (error) {
          return { sent: false, refusal: refusalOf(error) };
        }
      }

      async function identify(steps: string[]): Promise<'identified' | 'stopped'> {
        try {
          await api('POST', '/api/experience/identification', { verificationId: verified });
          return 'identified';
        } catch (error) {
          if (!(error instanceof LogtoApiError)) throw error;
          // What the sign-in pages do with these answers (packages/experience, containers/VerificationCode).
          if (error.code === 'user.user_not_exist' && current === 'SignIn') {
            steps.push('confirm-create-account');
            current = 'Register';
          } else if (error.code === 'user.email_already_in_use' && current === 'Register') {
            steps.push('confirm-sign-in-instead');
            current = 'SignIn';
          } else if (error.code === 'user.new_password_required_in_profile') {
            steps.push('asks-new-password');
            return 'stopped';
          } else if (error.code === 'user.user_not_exist') {
            steps.push('no-account');
            return 'stopped';
          } else {
            steps.push(`stopped: ${error.code || `HTTP ${error.status}`}`);
            return 'stopped';
          }
          await api('PUT', '/api/experience/interaction-event', { interactionEvent: current });
          return identify(steps);
        }
      }

      const attempt: SignInAttempt = {
        sendCode(email) {
          identifier = { type: 'email', value: email };
          return send();
        },
        // "Send a new code" on Logto's page asks for a new verification; the page then uses its id.
        resendCode: send,
        async submitCode(code): Promise<CodeAnswer> {
          try {
            ({ verificationId: verified } = await api<{ verificationId: string }>(
              'POST',
              '/api/experience/verification/verification-code/verify',
              { identifier, verificationId, code },
            ));
            return 'accepted';
          } catch (error) {
            if (!(error instanceof LogtoApiError)) throw error;
            if (error.code === 'verification_code.code_mismatch') return 'wrong';
            if (error.status === 404) return 'verification-gone';
            throw error;
          }
        },
        async finish(): Promise<Finish> {
          const steps: string[] = [];
          if ((await identify(steps)) === 'stopped') return { steps, callback: null };
          const { redirectTo } = await api<{ redirectTo: string }>('POST', '/api/experience/submit');
          const done = await browser.navigate(redirectTo);
          return { steps, callback: done.redirectedTo };
        },
        exchange(callback) {
          return postToken(issuer, {
            grant_type: 'authorization_code',
            client_id: options.appId,
            code: new URL(callback).searchParams.get('code') ?? '',
            code_verifier: pkce.verifier,
            redirect_uri: driver.redirectUri,
          });
        },
      };
      return attempt;
    },

    mails: (email) => options.mail.mails(email),
    token: (params) => postToken(issuer, params),
    revoke: (token) => postRevocation(issuer, options.appId, token),

    async endSession(idToken) {
      const browser = lastBrowser ?? new ExperienceBrowser({ timeoutMs: 20_000 });
      const search = new URLSearchParams({
        id_token_hint: idToken,
        post_logout_redirect_uri: driver.postLogoutRedirectUri,
        client_id: options.appId,
      });
      // Logto's end-session page is a form that submits itself on load (logout=yes); follow submits it.
      const { redirectedTo } = await browser.follow(`${issuer}/session/end?${search}`);
      return { redirectedTo };
    },
  };
  return driver;
}
