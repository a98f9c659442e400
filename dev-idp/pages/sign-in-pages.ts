import { codePageScriptPath } from './assets.ts';
import { count, t, tHtml } from './i18n.ts';
import { breakableEmail, field, html, renderPage } from './layout.ts';
import type { Flow } from '../sign-in/flows.ts';

export interface EmailPageOptions {
  readonly appName: string;
  readonly flow: Flow;
  readonly email: string;
  readonly error?: string;
  /** Switching account: who is signed in now, and where the app is (a way back). */
  readonly signedInAs?: { readonly email: string; readonly appUrl?: string };
}

export function emailPage({ appName, flow, email, error, signedInAs }: EmailPageOptions): string {
  // An address the app passed (login_hint) arrives filled in with the focus on the button, as
  // Logto's page does: one tap confirms it. Nothing is mailed before that tap.
  const confirmOnly = Boolean(email) && !error;
  const title = t(flow.title);
  return renderPage({
    title,
    appName,
    body: html`<h1>${title}</h1>
      ${
        signedInAs
          ? html`<p class="notice" role="status" data-testid="signed-in-as">
              ${tHtml('signed_in_as', {
                email: html`<strong>${breakableEmail(signedInAs.email)}</strong>`,
                back: signedInAs.appUrl
                  ? html`<a href="${signedInAs.appUrl}">${t('back_to_app_link', { app: appName })}</a>`
                  : t('go_back_to_app', { app: appName }),
              })}
            </p>`
          : ''
      }
      <p>${t(flow.intro)}</p>
      <form method="post" action="${flow.path}" novalidate data-step="email">
        ${field({
          id: 'email',
          label: t('email_label'),
          type: 'email',
          value: email,
          autocomplete: 'email',
          autofocus: !confirmOnly,
          error: error ? { id: 'email-error', message: error } : undefined,
        })}
        <button type="submit" ${confirmOnly ? html` autofocus` : ''}>${t('send_code')}</button>
      </form>
      ${flow.alternative ? html`<p class="muted"><a href="${flow.alternative.path}">${t(flow.alternative.text)}</a></p>` : ''}`,
  });
}

export interface CodePageOptions {
  readonly appName: string;
  readonly email: string;
  readonly flowPath: string;
  readonly codeTtlMinutes: number;
  readonly error?: string;
  readonly notice?: string;
  /** The code expired: do not say how long it is valid, and put the focus on "Send a new code" (the only way on). */
  readonly expired?: boolean;
  /** Seconds until a new code may be sent (0: now); the button unlocks by itself then. */
  readonly resendIn?: number;
  /**
   * The address is refused for a while (too many wrong codes): neither a code nor a new one
   * would be accepted, so the page offers only what works — a countdown and another address.
   */
  readonly locked?: { readonly until: number; readonly secondsLeft: number };
}

function minutesLeft(secondsLeft: number): number {
  return Math.max(1, Math.ceil(secondsLeft / 60));
}

function devHint(email: string) {
  const mailboxLink = `/dev/mailbox?to=${encodeURIComponent(email)}`;
  return html`<p class="muted">
    ${tHtml('dev_hint', { mailbox: html`<a href="${mailboxLink}" target="_blank" rel="noopener">${t('dev_mailbox')}</a>` })}
  </p>`;
}

/** The lockout page: why, when it can be tried again (counting down), and another address. */
function lockedBody(email: string, flowPath: string, locked: NonNullable<CodePageOptions['locked']>, error?: string) {
  const minutes = minutesLeft(locked.secondsLeft);
  // The alert reads as the message the other pages give (lockedMessage); its last sentence counts down.
  const lastAttempt = error?.startsWith(t('error_code_wrong_locked')) ? `${t('error_code_wrong_locked')} ` : '';
  return html`<h1>${t('locked_title')}</h1>
    <p id="locked-message" class="error" role="alert">
      ${lastAttempt}${t('error_locked_reason')}
      <span
        id="locked-countdown"
        data-until="${new Date(locked.until).toISOString()}"
        data-t-countdown="${t('locked_countdown')}"
        data-t-minute-one="${t('minutes_one')}"
        data-t-minute-other="${t('minutes_other')}"
        data-t-ready="${t('locked_ready')}"
        >${t('locked_countdown', { duration: count('minutes', minutes) })}</span
      >
    </p>
    <p><a href="/verify" data-when-ready>${t('try_again')}</a></p>
    <p><a href="${flowPath}">${t('use_different_email')}</a></p>
    ${devHint(email)}`;
}

export function codePage({
  appName,
  email,
  flowPath,
  codeTtlMinutes,
  error,
  notice,
  expired,
  resendIn = 0,
  locked,
}: CodePageOptions): string {
  if (locked) {
    return renderPage({ title: t('locked_title'), appName, script: codePageScriptPath, body: lockedBody(email, flowPath, locked, error) });
  }
  const title = t('code_title');
  const resendButton =
    resendIn > 0
      ? html`<button
            type="submit"
            class="secondary cooling"
            aria-describedby="resend-hint"
            style="animation-delay:${String(resendIn)}s"
            data-resend-in="${String(resendIn)}"
          >
            ${t('send_new_code')}
          </button>
          <p id="resend-hint" class="muted">${t('resend_in_words', { duration: count('seconds', resendIn) })}</p>`
      : html`<button type="submit" class="secondary" ${expired ? html`autofocus` : ''}>${t('send_new_code')}</button>`;
  return renderPage({
    title,
    appName,
    // Six boxes, submit when full, a live resend countdown, "Checking…". The page below works
    // without the script: one field, post/redirect/get, the cool-down said in words.
    script: codePageScriptPath,
    body: html`<h1>${title}</h1>
      <p>
        ${tHtml('code_sent_to', { email: html`<strong>${breakableEmail(email)}</strong>` })}${
          expired ? '' : html` ${t('code_valid_for', { duration: count('minutes', codeTtlMinutes) })}`
        }
      </p>
      ${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
      ${
        // An expired code: the boxes would only refuse whatever is typed, so the page offers "Send a new code".
        expired
          ? html`<p id="code-error" class="error" role="alert">${error ?? t('error_code_expired')}</p>`
          : html`<form
              method="post"
              action="/verify"
              novalidate
              data-step="code"
              data-t-digit="${t('script_digit')}"
              data-t-checking="${t('script_checking')}"
            >
              ${field({
                id: 'code',
                label: t('code_label'),
                labelId: 'code-label',
                type: 'text',
                autocomplete: 'one-time-code',
                digits: 6,
                autofocus: true,
                error: error ? { id: 'code-error', message: error } : undefined,
              })}
              <button type="submit">${t('continue')}</button>
            </form>`
      }
      <form
        method="post"
        action="/verify/resend"
        data-step="resend"
        data-t-sending="${t('script_sending')}"
        data-t-resend-in="${t('script_resend_in')}"
      >
        ${resendButton}
      </form>
      <p class="muted"><a href="${flowPath}">${t('use_different_email')}</a></p>
      ${devHint(email)}`,
  });
}
