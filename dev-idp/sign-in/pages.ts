import { html, renderPage } from '../pages/layout.ts';
import type { Flow } from './flows.ts';

export interface EmailPageOptions {
  readonly appName: string;
  readonly flow: Flow;
  readonly email: string;
  readonly error?: string;
  /** Switching account: who is signed in now, and where the app is (a way back, issue #14). */
  readonly signedInAs?: { readonly email: string; readonly appUrl?: string };
}

export function emailPage({ appName, flow, email, error, signedInAs }: EmailPageOptions): string {
  // An address the app passed (login_hint) arrives filled in with the focus on the button, as
  // Logto's page does: one tap confirms it. Nothing is mailed before that tap (issue #14).
  const confirmOnly = Boolean(email) && !error;
  return renderPage({
    title: flow.title,
    appName,
    body: html`<h1>${flow.title}</h1>
      ${
        signedInAs
          ? html`<p class="notice" role="status" data-testid="signed-in-as">
              You are signed in as <strong>${signedInAs.email}</strong>. Enter another address to switch, or keep this account:
              ${signedInAs.appUrl ? html`<a href="${signedInAs.appUrl}">back to ${appName}</a>` : html`go back to ${appName}`} (on a phone,
              close this page).
            </p>`
          : ''
      }
      <p>${flow.intro}</p>
      <form method="post" action="${flow.path}" novalidate data-step="email">
        <label for="email">Email</label>
        ${error ? html`<p id="email-error" class="error" role="alert">${error}</p>` : ''}
        <input
          id="email"
          name="email"
          type="email"
          value="${email}"
          autocomplete="email"
          inputmode="email"
          autocapitalize="none"
          spellcheck="false"
          required${confirmOnly ? '' : html` autofocus`}${error ? html` aria-invalid="true" aria-describedby="email-error"` : ''}
        />
        <button type="submit" ${confirmOnly ? html` autofocus` : ''}>Send code</button>
      </form>
      ${flow.alternative ? html`<p class="muted"><a href="${flow.alternative.path}">${flow.alternative.text}</a></p>` : ''}`,
  });
}

/** Where the code page's script (code-page.js) is served. */
export const codePageScriptPath = '/assets/code-page.js';

export interface CodePageOptions {
  readonly appName: string;
  readonly email: string;
  readonly flowPath: string;
  readonly codeTtlMinutes: number;
  readonly error?: string;
  readonly notice?: string;
  /** The code expired: do not say how long it is valid. */
  readonly expired?: boolean;
  /** Seconds until a new code may be sent (0: now); the button unlocks by itself then. */
  readonly resendIn?: number;
  /** When that is, as the server's clock shows it (for a page without script; the script counts down instead). */
  readonly resendAt?: string;
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
  resendAt,
}: CodePageOptions): string {
  const mailboxLink = `/dev/mailbox?to=${encodeURIComponent(email)}`;
  return renderPage({
    title: 'Enter your code',
    appName,
    // Six boxes, submit when full, a live resend countdown, "Checking…" (issue #14 item 11). The
    // page below works without it: one field, post/redirect/get, the cool-down said in words.
    script: codePageScriptPath,
    body: html`<h1>Enter your code</h1>
      <p>
        We sent a 6-digit code to <strong>${email}</strong>.${
          expired ? '' : html` It is valid for ${codeTtlMinutes} ${codeTtlMinutes === 1 ? 'minute' : 'minutes'}.`
        }
      </p>
      ${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
      <form method="post" action="/verify" novalidate data-step="code">
        <label for="code" id="code-label">Verification code</label>
        ${error ? html`<p id="code-error" class="error" role="alert">${error}</p>` : ''}
        <input
          id="code"
          name="code"
          type="text"
          inputmode="numeric"
          autocomplete="one-time-code"
          pattern="[0-9]*"
          maxlength="6"
          required
          autofocus${error ? html` aria-invalid="true" aria-describedby="code-error"` : ''}
        />
        <button type="submit">Continue</button>
      </form>
      <form method="post" action="/verify/resend" data-step="resend">
        ${
          resendIn > 0
            ? html`<button
                  type="submit"
                  class="secondary cooling"
                  aria-describedby="resend-hint"
                  style="animation-delay:${String(resendIn)}s"
                  data-resend-in="${String(resendIn)}"
                >
                  Send a new code
                </button>
                <p id="resend-hint" class="muted">You can ask for a new code from ${resendAt ?? `${resendIn} seconds from now`}.</p>`
            : html`<button type="submit" class="secondary">Send a new code</button>`
        }
      </form>
      <p class="muted"><a href="${flowPath}">Use a different email</a></p>
      <p class="muted">
        Developing locally? The code is printed in the identity server's terminal and listed in the
        <a href="${mailboxLink}" target="_blank" rel="noopener">dev mailbox</a>.
      </p>`,
  });
}

export interface MessagePageOptions {
  readonly appName: string;
  readonly title: string;
  readonly message: string;
  readonly detail?: string;
  readonly action?: { readonly href: string; readonly text: string };
}

/** Errors and dead ends: what happened and what to do, never a stack trace. */
export function messagePage({ appName, title, message, detail, action }: MessagePageOptions): string {
  return renderPage({
    title,
    appName,
    body: html`<h1>${title}</h1>
      <p role="alert">${message}</p>
      ${detail ? html`<p class="muted">${detail}</p>` : ''} ${action ? html`<p><a href="${action.href}">${action.text}</a></p>` : ''}`,
  });
}
