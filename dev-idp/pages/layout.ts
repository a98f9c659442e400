import { escapeHtml } from '../http/http-util.ts';
import { loadIdentityConfig } from '../identity-config.ts';
import { currentLocale, t, type Locale } from './i18n.ts';

/** HTML that is already safe (built from escaped parts). */
export interface SafeHtml {
  readonly html: string;
}

export function raw(html: string): SafeHtml {
  return { html };
}

/** Tagged template that escapes every interpolation except SafeHtml (and arrays of it). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += toHtml(value) + (strings[index + 1] ?? '');
  });
  return raw(out);
}

function toHtml(value: unknown): string {
  if (Array.isArray(value)) {
    return value.map(toHtml).join('');
  }
  if (value && typeof value === 'object' && 'html' in value) {
    return (value as SafeHtml).html;
  }
  if (value === undefined || value === null || value === false) {
    return '';
  }
  return escapeHtml(value);
}

/** Where the brand's logos are served (light and dark, from identity.config.json `brand`). */
export const brandLogoPaths = { light: '/assets/brand/logo.svg', dark: '/assets/brand/logo-dark.svg' } as const;

/**
 * The brand, set once in identity.config.json: the app's theme, these pages and (through npm run
 * logto:setup) a real tenant's sign-in experience read it, so the app and its sign-in pages look
 * like one product. The font is Ionic's default system font stack, as in the app.
 */
function brandColours(): { light: string; dark: string } {
  const brand = loadIdentityConfig().brand;
  const colour = (value: string | undefined, fallback: string) => (value && /^#[0-9a-fA-F]{3,8}$/.test(value) ? value : fallback);
  return { light: colour(brand?.primaryColor, '#3451c9'), dark: colour(brand?.primaryColorDark, '#9db4ff') };
}

function styles(): string {
  const accent = brandColours();
  return `
/* --field outlines inputs and buttons at 3:1 or more against the card (WCAG 1.4.11); --border is for table lines */
:root{color-scheme:light dark;--fg:#1d1d1f;--muted:#5b5b66;--bg:#f5f5f7;--card:#fff;--accent:${accent.light};--accent-fg:#fff;--error:#b3261e;--border:#c9c9d1;--field:#8a8a96}
@media (prefers-color-scheme:dark){:root{--fg:#f2f2f5;--muted:#b4b4bf;--bg:#17171c;--card:#222229;--accent:${accent.dark};--accent-fg:#111;--error:#ffb4ab;--border:#4a4a55;--field:#7a7a88}}
*{box-sizing:border-box}
body{margin:0;font:100%/1.5 -apple-system,BlinkMacSystemFont,"Helvetica Neue",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
/* Words wrap whole (a word longer than the line may still break, rather than overflow); addresses break at @ and dots (<wbr>). */
p,strong,li,td,label,h1{overflow-wrap:break-word;hyphens:auto}
.cooling{opacity:.55;pointer-events:none;animation:unlock 0s linear forwards}
@keyframes unlock{to{opacity:1;pointer-events:auto}}
/* Page padding in px (clamped to the screen), not rem: larger text must not eat the width twice. */
main{max-width:28rem;margin:0 auto;padding:clamp(8px,4vw,32px) clamp(6px,2.5vw,20px)}
.card{background:var(--card);border-radius:12px;padding:clamp(14px,4.5vw,24px);box-shadow:0 1px 3px rgba(0,0,0,.12)}
.brand{display:flex;align-items:center;gap:8px;font-weight:600;color:var(--accent);margin:0 0 .5rem}
.brand img{width:32px;height:32px;flex:none}
h1{font-size:1.5rem;line-height:1.25;margin:0 0 .75rem}
p{margin:.5rem 0}
.muted{color:var(--muted);font-size:.9rem}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
input[type=email],input[type=text],input[type=password]{width:100%;font-size:1.125rem;padding:.75rem;border:1px solid var(--field);border-radius:8px;background:transparent;color:inherit}
input[name=code]{letter-spacing:.4em;font-variant-numeric:tabular-nums}
/* Six boxes in a row; when the text is large for the screen (20 text widths), two rows of three, so each box stays a usable square. */
.code-boxes{display:grid;grid-template-columns:repeat(6,minmax(0,1fr));gap:clamp(4px,1.5vw,8px)}
@media (max-width:21em){.code-boxes{grid-template-columns:repeat(3,minmax(0,1fr))}}
.code-boxes .code-box{width:100%;min-width:0;min-height:3rem;padding:.25rem 0;text-align:center;font-size:1.5rem;font-weight:600;font-variant-numeric:tabular-nums;border:1px solid var(--field);border-radius:8px;background:transparent;color:inherit}
.code-boxes .code-box[aria-invalid=true]{border-color:var(--error)}
input[aria-invalid=true]{border-color:var(--error)}
button{width:100%;min-height:48px;margin-top:1rem;padding:.25rem .5rem;font:inherit;font-size:1rem;font-weight:600;border:0;border-radius:8px;background:var(--accent);color:var(--accent-fg);cursor:pointer}
button.secondary{background:transparent;color:var(--accent);border:1px solid var(--field)}
button:disabled{opacity:.65;cursor:not-allowed}
button.busy{cursor:progress}
button.busy::before{content:"";display:inline-block;width:1em;height:1em;margin-right:.5em;vertical-align:-.15em;border:2px solid currentColor;border-right-color:transparent;border-radius:50%;animation:spin .8s linear infinite}
@keyframes spin{to{transform:rotate(1turn)}}
@media (prefers-reduced-motion:reduce){button.busy::before{animation:none}}
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.error{color:var(--error);font-weight:600}
.notice{border-left:4px solid var(--accent);padding-left:.75rem}
a{color:var(--accent)}
table{width:100%;border-collapse:collapse;font-size:.95rem}
th,td{text-align:left;padding:.5rem;border-bottom:1px solid var(--border);vertical-align:top}
code.big{font-size:1.25rem;font-weight:700;letter-spacing:.15em}
footer{text-align:center;color:var(--muted);font-size:.8rem;padding:1rem}
`;
}

/** An email address that may wrap after its @ and before its dots, never in the middle of a word part. */
export function breakableEmail(email: string): SafeHtml {
  return raw(escapeHtml(email).replaceAll('@', '@<wbr>').replaceAll('.', '<wbr>.'));
}

export interface PageOptions {
  readonly title: string;
  readonly appName: string;
  readonly body: SafeHtml;
  /** Wider layout (the mailbox table). */
  readonly wide?: boolean;
  /** A same-origin script that enhances the page (the CSP allows `script-src 'self'`, no inline script). */
  readonly script?: string;
  /** A page written in one language only (the developer pages: home, dev mailbox); else the request's. */
  readonly locale?: Locale;
}

export function renderPage({ title, appName, body, wide, script, locale = currentLocale() }: PageOptions): string {
  const brandName = loadIdentityConfig().brand?.name || appName;
  return html`<!DOCTYPE html>
    <html lang="${locale}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>${title} · ${brandName}</title>
        <style>
          ${raw(styles())}${wide ? raw('main{max-width:60rem}') : ''}
        </style>
        ${script ? html`<script src="${script}" defer></script>` : ''}
      </head>
      <body>
        <main>
          <div class="card">
            <p class="brand">
              <picture
                ><source srcset="${brandLogoPaths.dark}" media="(prefers-color-scheme: dark)" />
                <img src="${brandLogoPaths.light}" alt="" width="32" height="32" /></picture
              ><span>${brandName}</span>
            </p>
            ${body}
          </div>
        </main>
        <footer>${t('footer', {}, locale)}</footer>
      </body>
    </html> `.html;
}

export interface FieldOptions {
  readonly id: string;
  /** The form's name for the value; default: the id. */
  readonly name?: string;
  readonly label: string;
  /** An id for the label (the code page's script names its boxes after it). */
  readonly labelId?: string;
  readonly type: 'email' | 'text' | 'password';
  /** The value it shows (left out: an empty field, as a password field always is). */
  readonly value?: string;
  readonly autocomplete: string;
  /** A one-time code: the digit keyboard, digits only, at most this many. */
  readonly digits?: number;
  /** Default true; only the dev mailbox's filter may be left empty. */
  readonly required?: boolean;
  readonly autofocus?: boolean;
  /**
   * What is wrong with the value: `message` is shown between the label and the field and read
   * out (role="alert"); without it the field only points at a message the form shows above all
   * its fields (`id`). Either way the field is marked invalid and described by that message.
   */
  readonly error?: { readonly id: string; readonly message?: string } | undefined;
}

/**
 * One labelled form field, the same on every page: the label, the error that belongs to it, and
 * the input with the attributes its kind needs (an email field: the email keyboard, no
 * capitalisation or spell check).
 */
export function field({
  id,
  name = id,
  label,
  labelId,
  type,
  value,
  autocomplete,
  digits,
  required = true,
  autofocus = false,
  error,
}: FieldOptions): SafeHtml {
  const labelled = labelId ? html`<label for="${id}" id="${labelId}">${label}</label>` : html`<label for="${id}">${label}</label>`;
  return html`${labelled} ${error?.message ? html`<p id="${error.id}" class="error" role="alert">${error.message}</p>` : ''}
    <input
      id="${id}"
      name="${name}"
      type="${type}"
      ${value === undefined ? '' : html` value="${value}"`}
      autocomplete="${autocomplete}"
      ${type === 'email' ? html` inputmode="email" autocapitalize="none" spellcheck="false"` : ''}${
        digits ? html` inputmode="numeric" pattern="[0-9]*" maxlength="${String(digits)}"` : ''
      }${required ? html` required` : ''}${autofocus ? html` autofocus` : ''}${
        error ? html` aria-invalid="true" aria-describedby="${error.id}"` : ''
      }
    />`;
}
