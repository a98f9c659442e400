import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors } from 'oidc-provider';
import type Provider from 'oidc-provider';
import type { Interaction } from 'oidc-provider';
import { normalizeEmail, type UserStore } from '../accounts/user-store.ts';
import { readForm, redirect, sendHtml } from '../http/http-util.ts';
import type { DeliverCode } from '../mail/deliver-code.ts';
import { DeliveryError, type UsageType } from '../mail/types.ts';
import { firstScreenPath, flowForPath, isEmailAddress, prefilledEmail, type Flow } from './flows.ts';
import { cooldownMessage, lockedMessage, sendRefusedMessage } from './limit-messages.ts';
import { expiredPage, messagePage } from '../pages/message-pages.ts';
import { codePage, emailPage } from '../pages/sign-in-pages.ts';
import { count, currentLocale, t } from '../pages/i18n.ts';
import type { PendingCode, VerificationCodes } from './verification-codes.ts';

export interface SignInRoutesOptions {
  readonly provider: Provider;
  readonly users: UserStore;
  readonly codes: VerificationCodes;
  readonly deliver: DeliverCode;
  readonly appName: string;
  readonly codeTtlSeconds: number;
  readonly log: (line: string) => void;
  /** The web app, linked from "This sign-in page has expired" (a way back to the app). */
  readonly appUrl?: string;
  /**
   * Called once a code proved the address, before the account is created or signed in; true =
   * it answered (the password pages: "Create a password" after Register, a new password after
   * ForgotPassword, when the tenant's sign-in experience enables passwords). `pending.usageType`
   * is then the interaction's event as the proved address settles it: `Register` for a new
   * address (also when its code was a `SignIn` code), `SignIn` for a known one, `ForgotPassword`.
   */
  readonly afterCode?: (req: IncomingMessage, res: ServerResponse, interaction: Interaction, pending: PendingCode) => Promise<boolean>;
}

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

/**
 * The sign-in experience (Logto's "experience" app in miniature): email → 6-digit code →
 * signed in, then automatic consent for the first-party app. The oidc-provider interaction,
 * found through its cookie, carries the state between pages.
 */
export function createSignInRoutes(
  options: SignInRoutesOptions,
): (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean> {
  const { provider, users, codes, deliver, appName, codeTtlSeconds, log } = options;
  const codeTtlMinutes = Math.max(1, Math.round(codeTtlSeconds / 60));

  async function currentInteraction(req: IncomingMessage, res: ServerResponse): Promise<Interaction | undefined> {
    try {
      return await provider.interactionDetails(req, res);
    } catch (error) {
      if (error instanceof errors.SessionNotFound) {
        return undefined;
      }
      throw error;
    }
  }

  function sessionExpired(res: ServerResponse): void {
    sendHtml(res, 400, expiredPage(appName, options.appUrl));
  }

  async function withInteraction(
    req: IncomingMessage,
    res: ServerResponse,
    next: (interaction: Interaction) => Promise<void>,
  ): Promise<void> {
    const interaction = await currentInteraction(req, res);
    if (!interaction) {
      sessionExpired(res);
      return;
    }
    if (interaction.prompt.name === 'consent') {
      await grantConsent(req, res, interaction);
      return;
    }
    await next(interaction);
  }

  /** Logto auto-consents first-party apps; without it `offline_access` (the refresh token) is lost. */
  async function grantConsent(req: IncomingMessage, res: ServerResponse, interaction: Interaction): Promise<void> {
    const { prompt, params, session, grantId: existingGrantId } = interaction;
    const grant = existingGrantId
      ? await provider.Grant.find(existingGrantId)
      : new provider.Grant({ accountId: session?.accountId, clientId: String(params['client_id']) });
    if (!grant) {
      sessionExpired(res);
      return;
    }
    const details = prompt.details as {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    if (details.missingOIDCScope) {
      grant.addOIDCScope(details.missingOIDCScope.join(' '));
    }
    if (details.missingOIDCClaims) {
      grant.addOIDCClaims(details.missingOIDCClaims);
    }
    for (const [indicator, scopes] of Object.entries(details.missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: existingGrantId ? {} : { grantId } }, { mergeWithLastSubmission: true });
  }

  /**
   * Post/redirect/get: a form post that ends in a message stores it here (one-shot, per
   * interaction) and redirects to the page's GET, which shows it with the post's status. A reload
   * then shows the page again instead of submitting the code or address a second time (a reload
   * after one typo used to count a second wrong attempt).
   */
  const flashes = new Map<string, { status: number; error?: string; notice?: string; email?: string; expired?: boolean }>();

  function flashTo(
    res: ServerResponse,
    interactionId: string,
    location: string,
    flash: { status: number; error?: string; notice?: string; email?: string; expired?: boolean },
  ): void {
    flashes.set(interactionId, flash);
    redirect(res, location);
  }

  function takeFlash(interactionId: string) {
    const flash = flashes.get(interactionId);
    flashes.delete(interactionId);
    return flash;
  }

  function showEmailPage(res: ServerResponse, status: number, flow: Flow, email: string, error?: string, interaction?: Interaction): void {
    // A switch (the browser already has a session here): say who is signed in and how to keep them.
    const current = interaction?.session?.accountId ? users.findById(interaction.session.accountId) : undefined;
    const signedInAs = current
      ? { email: current.primaryEmail, ...(options.appUrl ? { appUrl: `${options.appUrl}home` } : {}) }
      : undefined;
    sendHtml(res, status, emailPage({ appName, flow, email, ...(error ? { error } : {}), ...(signedInAs ? { signedInAs } : {}) }));
  }

  function showCodePage(
    res: ServerResponse,
    status: number,
    interactionId: string,
    extra: { error?: string; notice?: string; expired?: boolean },
  ): void {
    const pending = codes.get(interactionId);
    // The resend button counts down this sign-in's 60 s, as Logto's code page does.
    const resendIn = codes.resendIn(interactionId);
    // A refused address: the page offers only what works then (a countdown, another address).
    const refusal = pending ? codes.sendRefusal(pending.email) : undefined;
    const locked = refusal?.reason === 'locked' ? { until: refusal.until, secondsLeft: refusal.secondsLeft } : undefined;
    sendHtml(
      res,
      status,
      codePage({
        appName,
        email: pending?.email ?? '',
        flowPath: pending?.flowPath ?? '/sign-in',
        codeTtlMinutes,
        resendIn,
        ...extra,
        ...(locked ? { locked } : {}),
      }),
    );
  }

  /** Sends the code; on failure answers with the page and message, and returns false. */
  async function send(
    to: string,
    usageType: UsageType,
    code: string,
    onError: (status: number, message: string) => void,
  ): Promise<boolean> {
    try {
      await deliver({ to, usageType, code });
      return true;
    } catch (error) {
      if (error instanceof DeliveryError) {
        log(`[mail] delivery to ${to} failed: ${error.detail}`);
        // The transport's message is English; another language gets Logto's general wording.
        onError(502, currentLocale() === 'en' ? error.userMessage : t('error_delivery'));
      } else {
        log(`[mail] delivery to ${to} failed: ${(error as Error).message}`);
        onError(502, t('error_delivery'));
      }
      return false;
    }
  }

  const showFlow =
    (flow: Flow): Handler =>
    (req, res) =>
      withInteraction(req, res, async (interaction) => {
        const flash = takeFlash(interaction.uid);
        const email = flash?.email ?? codes.get(interaction.uid)?.email ?? prefilledEmail(interaction.params);
        showEmailPage(res, flash?.status ?? 200, flow, email, flash?.error, interaction);
      });

  const submitEmail =
    (flow: Flow): Handler =>
    (req, res) =>
      withInteraction(req, res, async (interaction) => {
        const typed = (await readForm(req)).get('email')?.trim() ?? '';
        if (!isEmailAddress(typed)) {
          flashTo(res, interaction.uid, flow.path, {
            status: 400,
            email: typed,
            error: typed ? t('error_invalid_email') : t('error_enter_email'),
          });
          return;
        }
        const email = normalizeEmail(typed);
        // Submitting the same address again while this sign-in's countdown runs reuses the code
        // already sent (the page works without JavaScript, so the countdown is kept here too).
        if (codes.get(interaction.uid)?.email === email && codes.resendIn(interaction.uid) > 0) {
          redirect(res, '/verify');
          return;
        }
        // Limits by address, whichever interaction asks: a new authorization request or a decoy
        // address in between buys no new code. As in Logto, a withheld code counts too, so the
        // limit does not tell who has an account.
        const refusal = codes.sendRefusal(email);
        if (refusal) {
          flashTo(res, interaction.uid, flow.path, { status: 429, email: typed, error: sendRefusedMessage(refusal) });
          return;
        }
        // The template follows the interaction's event, not the account (as in Logto).
        const usageType: UsageType = flow.event;
        const previous = codes.get(interaction.uid);
        // A password reset for an address without an account: the code step, and no email (Logto).
        if (flow.existingAccountOnly && !users.findByEmail(email)) {
          codes.issue(interaction.uid, { email, usageType, flowPath: flow.path, withheld: true });
          log(`[sign-in] no account for ${email}: its ${usageType} code was not sent`);
          redirect(res, '/verify');
          return;
        }
        const pending = codes.issue(interaction.uid, { email, usageType, flowPath: flow.path });
        const sent = await send(email, usageType, pending.code, (status, message) => {
          codes.restore(interaction.uid, previous, pending);
          flashTo(res, interaction.uid, flow.path, { status, email: typed, error: message });
        });
        if (sent) {
          redirect(res, '/verify');
        }
      });

  const showCode: Handler = (req, res, url) =>
    withInteraction(req, res, async (interaction) => {
      if (!codes.get(interaction.uid)) {
        redirect(res, firstScreenPath(interaction.params));
        return;
      }
      const flash = takeFlash(interaction.uid);
      if (flash) {
        showCodePage(res, flash.status, interaction.uid, {
          ...(flash.error ? { error: flash.error } : {}),
          ...(flash.notice ? { notice: flash.notice } : {}),
          ...(flash.expired ? { expired: true } : {}),
        });
        return;
      }
      showCodePage(res, 200, interaction.uid, url.searchParams.has('sent') ? { notice: t('new_code_sent') } : {});
    });

  function flashCode(
    res: ServerResponse,
    interactionId: string,
    status: number,
    message: { error?: string; notice?: string; expired?: boolean },
  ): void {
    flashTo(res, interactionId, '/verify', { status, ...message });
  }

  const submitCode: Handler = (req, res) =>
    withInteraction(req, res, async (interaction) => {
      const input = ((await readForm(req)).get('code') ?? '').replace(/\s/g, '');
      if (!codes.get(interaction.uid)) {
        redirect(res, firstScreenPath(interaction.params));
        return;
      }
      if (!/^\d{6}$/.test(input)) {
        flashCode(res, interaction.uid, 400, { error: t('error_enter_code') });
        return;
      }
      const result = codes.check(interaction.uid, input);
      switch (result.status) {
        case 'missing':
          redirect(res, firstScreenPath(interaction.params));
          return;
        case 'expired':
          flashCode(res, interaction.uid, 400, { error: t('error_code_expired'), expired: true });
          return;
        case 'exhausted':
          flashCode(res, interaction.uid, 400, { error: t('error_code_exhausted') });
          return;
        case 'locked':
          flashCode(res, interaction.uid, 429, { error: lockedMessage(result.until, result.secondsLeft) });
          return;
        case 'wrong':
          if (result.locked) {
            flashCode(res, interaction.uid, 429, {
              error: `${t('error_code_wrong_locked')} ${lockedMessage(result.locked.until, result.locked.secondsLeft)}`,
            });
            return;
          }
          flashCode(res, interaction.uid, 400, {
            error:
              result.attemptsLeft > 0
                ? t('error_code_wrong', { attempts: count('attempts', result.attemptsLeft) })
                : t('error_code_wrong_last'),
          });
          return;
        case 'ok': {
          const { email } = result.pending;
          const existing = users.findByEmail(email);
          if (result.pending.usageType === 'ForgotPassword' && !existing) {
            // Only a guessed code gets here (none was sent): Logto's "account does not exist".
            sendHtml(
              res,
              400,
              messagePage({
                appName,
                title: 'No account with this email address',
                message: `The account with ${email} does not exist.`,
                action: { href: firstScreenPath(interaction.params), text: 'Back' },
              }),
            );
            return;
          }
          // The proved address decides what happens next, reusing this verification as Logto does
          // once its page has asked: a new address registers (even from the sign-in page), a known
          // one signs in (even from the registration page). The hook sees that event.
          const event: UsageType = result.pending.usageType === 'ForgotPassword' ? 'ForgotPassword' : existing ? 'SignIn' : 'Register';
          if (await options.afterCode?.(req, res, interaction, { ...result.pending, usageType: event })) {
            return;
          }
          if (event === 'ForgotPassword') {
            // No password step answered (passwords are not in the sign-in experience): Logto
            // refuses a reset by email code then (422 session.not_supported_for_forgot_password).
            sendHtml(
              res,
              422,
              messagePage({
                appName,
                title: 'Password reset is not available',
                message: 'This operation is not supported for forgot password.',
                detail: 'This sign-in experience has no passwords: sign in with a code instead.',
                action: { href: '/sign-in', text: 'Sign in with an email code' },
              }),
            );
            return;
          }
          const user = existing ?? users.create(email);
          users.recordSignIn(user.id);
          log(`[sign-in] ${email} ${existing ? 'signed in' : 'registered and signed in'}`);
          await provider.interactionFinished(
            req,
            res,
            { login: { accountId: user.id, remember: true } },
            { mergeWithLastSubmission: false },
          );
          return;
        }
      }
    });

  const resendCode: Handler = (req, res) =>
    withInteraction(req, res, async (interaction) => {
      const pending = codes.get(interaction.uid);
      if (!pending) {
        redirect(res, firstScreenPath(interaction.params));
        return;
      }
      // This sign-in's countdown, said by the page; the server holds it too for the page without script.
      const wait = codes.resendIn(interaction.uid);
      if (wait > 0) {
        flashCode(res, interaction.uid, 429, { error: cooldownMessage(wait) });
        return;
      }
      const refusal = codes.sendRefusal(pending.email);
      if (refusal) {
        flashCode(res, interaction.uid, 429, { error: sendRefusedMessage(refusal) });
        return;
      }
      const next = codes.issue(interaction.uid, {
        email: pending.email,
        usageType: pending.usageType,
        flowPath: pending.flowPath,
        ...(pending.withheld ? { withheld: true } : {}),
      });
      if (next.withheld) {
        redirect(res, '/verify?sent=1');
        return;
      }
      const sent = await send(pending.email, pending.usageType, next.code, (status, message) => {
        codes.restore(interaction.uid, pending, next);
        flashCode(res, interaction.uid, status, { error: message });
      });
      if (sent) {
        redirect(res, '/verify?sent=1');
      }
    });

  const consent: Handler = (req, res) =>
    withInteraction(req, res, async (interaction) => {
      // A login prompt here means the person skipped the email step: send them to it.
      redirect(res, firstScreenPath(interaction.params));
    });

  return async (req, res, url) => {
    const flow = flowForPath(url.pathname);
    const key = `${req.method} ${url.pathname}`;
    let handler: Handler | undefined;
    if (flow) {
      handler = req.method === 'POST' ? submitEmail(flow) : req.method === 'GET' ? showFlow(flow) : undefined;
    } else {
      handler = {
        'GET /verify': showCode,
        'POST /verify': submitCode,
        'POST /verify/resend': resendCode,
        'GET /consent': consent,
      }[key];
    }
    if (!handler) {
      return false;
    }
    await handler(req, res, url);
    return true;
  };
}
