/**
 * Password sign-in, sign-up and reset, offered when the tenant's sign-in experience enables a
 * password (dev-idp/management; `npm run logto:setup` with `password: true`), as Logto does:
 * - sign-up: email → `Register` code (the existing code pages) → "Create a password" → signed in;
 * - sign-in: email + password (with "Sign in with a code instead" when codes are enabled too);
 * - forgot password: email → `ForgotPassword` code → "Set a new password" → sign in with it.
 * Codes go through the tenant's connector like every other code; wrong passwords have the same
 * per-address limits as wrong codes. Passwords are checked with Logto's own
 * `PasswordPolicyChecker` (`@logto/core-kit`), its "pwned" check off: it needs the internet.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { PasswordPolicyChecker, type PasswordIssue } from '@logto/core-kit';
import { errors, type Interaction } from 'oidc-provider';
import type Provider from 'oidc-provider';

import { normalizeEmail, type UserStore } from '../../accounts/user-store.ts';
import { readForm, redirect, sendHtml } from '../../http/http-util.ts';
import type { TenantSignInExperience } from '../../management/tenant-state.ts';
import { isEmailAddress, prefilledEmail } from '../flows.ts';
import { lockedMessage } from '../limit-messages.ts';
import { expiredPage, messagePage } from '../../pages/message-pages.ts';
import { count, t } from '../../pages/i18n.ts';
import type { PendingCode } from '../verification-codes.ts';
import { PasswordAttempts, type PasswordLimits } from './password-attempts.ts';
import { newPasswordPage, passwordSignInPage } from '../../pages/password-pages.ts';
import type { PasswordStore } from './password-store.ts';

export interface PasswordRoutesOptions {
  readonly provider: Provider;
  readonly users: UserStore;
  readonly passwords: PasswordStore;
  readonly experience: () => TenantSignInExperience;
  readonly limits: PasswordLimits;
  readonly appName: string;
  /** The web app, linked from "This sign-in page has expired" (a way back to the app). */
  readonly appUrl?: string;
  readonly log: (line: string) => void;
}

/** What the email-code pages hand over once a code proved the address. */
export type AfterCode = (req: IncomingMessage, res: ServerResponse, interaction: Interaction, pending: PendingCode) => Promise<boolean>;

export interface PasswordExperience {
  /** Email + password is a sign-in method. */
  readonly enabled: boolean;
  /** The password page comes first (else the code page, with the password page one link away). */
  readonly primary: boolean;
  readonly codes: boolean;
  readonly atSignUp: boolean;
}

export function passwordExperience(experience: TenantSignInExperience): PasswordExperience {
  const email = experience.signIn.methods.find((method) => method.identifier === 'email');
  const enabled = Boolean(email?.password);
  return {
    enabled,
    primary: enabled && (Boolean(email?.isPasswordPrimary) || !email?.verificationCode),
    codes: Boolean(email?.verificationCode),
    atSignUp: experience.signUp.password && experience.signUp.identifiers.includes('email'),
  };
}

const policy = new PasswordPolicyChecker({ rejects: { pwned: false } });

export function createPasswordRoutes(options: PasswordRoutesOptions): {
  handle: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;
  afterCode: AfterCode;
} {
  const { provider, users, passwords, appName, log } = options;
  const attempts = new PasswordAttempts(options.limits);
  /** Interaction uid → the address a code just proved, waiting for its (new) password. */
  const proven = new Map<string, { email: string; purpose: 'create' | 'reset' }>();

  async function interactionOf(req: IncomingMessage, res: ServerResponse): Promise<Interaction | undefined> {
    try {
      return await provider.interactionDetails(req, res);
    } catch (error) {
      if (error instanceof errors.SessionNotFound) {
        sendHtml(res, 400, expiredPage(appName, options.appUrl));
        return undefined;
      }
      throw error;
    }
  }

  function signInPage(res: ServerResponse, status: number, email: string, extra: { error?: string; notice?: string } = {}): void {
    const experience = options.experience();
    const { codes } = passwordExperience(experience);
    sendHtml(
      res,
      status,
      passwordSignInPage({ appName, email, codeAlternative: codes, registration: experience.signInMode !== 'SignIn', ...extra }),
    );
  }

  async function finish(req: IncomingMessage, res: ServerResponse, accountId: string): Promise<void> {
    users.recordSignIn(accountId);
    await provider.interactionFinished(req, res, { login: { accountId, remember: true } }, { mergeWithLastSubmission: false });
  }

  async function showSignIn(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const interaction = await interactionOf(req, res);
    if (!interaction) return;
    const notice = url.searchParams.has('reset') ? t('password_changed') : undefined;
    signInPage(res, 200, prefilledEmail(interaction.params), notice ? { notice } : {});
  }

  async function submitSignIn(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const interaction = await interactionOf(req, res);
    if (!interaction) return;
    const form = await readForm(req);
    const typed = form.get('email')?.trim() ?? '';
    const password = form.get('password') ?? '';
    if (!isEmailAddress(typed) || !password) {
      signInPage(res, 400, typed, { error: t('error_enter_email_password') });
      return;
    }
    const email = normalizeEmail(typed);
    const state = attempts.state(email);
    if (state.status === 'locked') {
      signInPage(res, 429, typed, { error: lockedMessage(state.until, state.secondsLeft) });
      return;
    }
    const user = users.findByEmail(email);
    if (!(await passwords.verify(user?.id, password)) || !user) {
      const result = attempts.wrong(email);
      log(`[sign-in] wrong password for ${email}`);
      if (result.locked) {
        signInPage(res, 429, typed, {
          error: `${t('error_password_wrong_locked')} ${lockedMessage(result.locked.until, result.locked.secondsLeft)}`,
        });
        return;
      }
      signInPage(res, 400, typed, {
        error: t('error_password_wrong', { attempts: count('attempts', result.attemptsLeft) }),
      });
      return;
    }
    attempts.succeeded(email);
    log(`[sign-in] ${email} signed in with a password`);
    await finish(req, res, user.id);
  }

  async function showNewPassword(req: IncomingMessage, res: ServerResponse, purpose: 'create' | 'reset'): Promise<void> {
    const interaction = await interactionOf(req, res);
    if (!interaction) return;
    const pending = proven.get(interaction.uid);
    if (pending?.purpose !== purpose) {
      redirect(res, purpose === 'create' ? '/register' : '/reset-password');
      return;
    }
    sendHtml(res, 200, newPasswordPage({ appName, email: pending.email, purpose }));
  }

  async function submitNewPassword(req: IncomingMessage, res: ServerResponse, purpose: 'create' | 'reset'): Promise<void> {
    const interaction = await interactionOf(req, res);
    if (!interaction) return;
    const pending = proven.get(interaction.uid);
    if (pending?.purpose !== purpose) {
      redirect(res, purpose === 'create' ? '/register' : '/reset-password');
      return;
    }
    const password = (await readForm(req)).get('password') ?? '';
    const issues = await policy.check(password, { email: pending.email });
    if (issues.length > 0) {
      sendHtml(res, 400, newPasswordPage({ appName, email: pending.email, purpose, error: describeIssues(issues) }));
      return;
    }
    proven.delete(interaction.uid);
    const user = users.findByEmail(pending.email) ?? users.create(pending.email);
    await passwords.set(user.id, password);
    if (purpose === 'create') {
      log(`[sign-in] ${pending.email} registered with a password and signed in`);
      await finish(req, res, user.id);
    } else {
      log(`[sign-in] ${pending.email} set a new password`);
      redirect(res, '/password/sign-in?reset=1');
    }
  }

  const routes: Record<string, (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>> = {
    'GET /password/sign-in': showSignIn,
    'POST /password/sign-in': submitSignIn,
    'GET /password/create': (req, res) => showNewPassword(req, res, 'create'),
    'POST /password/create': (req, res) => submitNewPassword(req, res, 'create'),
    'GET /password/reset': (req, res) => showNewPassword(req, res, 'reset'),
    'POST /password/reset': (req, res) => submitNewPassword(req, res, 'reset'),
  };

  return {
    async handle(req, res, url) {
      const route = routes[`${req.method} ${url.pathname}`];
      if (!route) return false;
      if (!passwordExperience(options.experience()).enabled) {
        sendHtml(
          res,
          404,
          messagePage({
            appName,
            title: t('password_not_enabled_title'),
            message: t('password_not_enabled_message'),
            action: { href: '/sign-in', text: t('sign_in_with_email_code') },
          }),
        );
        return true;
      }
      await route(req, res, url);
      return true;
    },

    async afterCode(req, res, interaction, pending) {
      const experience = passwordExperience(options.experience());
      const purpose =
        pending.usageType === 'Register' && experience.atSignUp
          ? 'create'
          : pending.usageType === 'ForgotPassword' && experience.enabled
            ? 'reset'
            : undefined;
      if (!purpose) return false;
      proven.set(interaction.uid, { email: pending.email, purpose });
      redirect(res, `/password/${purpose}`);
      return true;
    },
  };
}

/** Logto's rejection codes as the sentences its sign-in page shows. */
function describeIssues(issues: readonly PasswordIssue[]): string {
  const sentences = issues.map((issue) => {
    switch (issue.code) {
      case 'password_rejected.too_short':
        return t('password_too_short', { min: String(issue.interpolation?.['min'] ?? 8) });
      case 'password_rejected.too_long':
        return t('password_too_long', { max: String(issue.interpolation?.['max'] ?? 256) });
      case 'password_rejected.character_types':
        return t('password_character_types');
      case 'password_rejected.unsupported_characters':
        return t('password_unsupported_characters');
      case 'password_rejected.restricted.repetition':
        return t('password_repetition');
      case 'password_rejected.restricted.sequence':
        return t('password_sequence');
      case 'password_rejected.restricted.user_info':
        return t('password_user_info');
      default:
        return t('password_common');
    }
  });
  return `${t('password_not_allowed')} ${[...new Set(sentences)].join(' ')}`;
}
