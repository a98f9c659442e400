import { escapeHtml } from '../http/http-util.ts';

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

const styles = `
/* --field outlines inputs and buttons at 3:1 or more against the card (WCAG 1.4.11); --border is for table lines */
:root{color-scheme:light dark;--fg:#1d1d1f;--muted:#5b5b66;--bg:#f5f5f7;--card:#fff;--accent:#5d34f2;--accent-fg:#fff;--error:#b3261e;--border:#c9c9d1;--field:#8a8a96}
@media (prefers-color-scheme:dark){:root{--fg:#f2f2f5;--muted:#b4b4bf;--bg:#17171c;--card:#222229;--accent:#a48bff;--accent-fg:#111;--error:#ffb4ab;--border:#4a4a55;--field:#7a7a88}}
*{box-sizing:border-box}
body{margin:0;font:100%/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
p,strong,li,td,label,h1{overflow-wrap:anywhere}
.cooling{opacity:.55;pointer-events:none;animation:unlock 0s linear forwards}
@keyframes unlock{to{opacity:1;pointer-events:auto}}
main{max-width:28rem;margin:0 auto;padding:2rem 1.25rem}
.card{background:var(--card);border-radius:12px;padding:1.5rem;box-shadow:0 1px 3px rgba(0,0,0,.12)}
.brand{font-weight:600;color:var(--accent);margin:0 0 .5rem}
h1{font-size:1.5rem;line-height:1.25;margin:0 0 .75rem}
p{margin:.5rem 0}
.muted{color:var(--muted);font-size:.9rem}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
input[type=email],input[type=text]{width:100%;font-size:1.125rem;padding:.75rem;border:1px solid var(--field);border-radius:8px;background:transparent;color:inherit}
input[name=code]{letter-spacing:.4em;font-variant-numeric:tabular-nums}
.code-boxes{display:grid;grid-template-columns:repeat(6,minmax(0,1fr));gap:min(.5rem,2vw)}
.code-boxes .code-box{width:100%;min-width:0;min-height:3rem;padding:.25rem 0;text-align:center;font-size:min(1.5rem,7vw);font-weight:600;font-variant-numeric:tabular-nums;border:1px solid var(--field);border-radius:8px;background:transparent;color:inherit}
.code-boxes .code-box[aria-invalid=true]{border-color:var(--error)}
input[aria-invalid=true]{border-color:var(--error)}
button{width:100%;min-height:48px;margin-top:1rem;font-size:1rem;font-weight:600;border:0;border-radius:8px;background:var(--accent);color:var(--accent-fg);cursor:pointer}
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

export interface PageOptions {
  readonly title: string;
  readonly appName: string;
  readonly body: SafeHtml;
  /** Wider layout (the mailbox table). */
  readonly wide?: boolean;
  /** A same-origin script that enhances the page (the CSP allows `script-src 'self'`, no inline script). */
  readonly script?: string;
}

export function renderPage({ title, appName, body, wide, script }: PageOptions): string {
  return html`<!DOCTYPE html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>${title} · ${appName}</title>
        <style>
          ${raw(styles)}${wide ? raw('main{max-width:60rem}') : ''}
        </style>
        ${script ? html`<script src="${script}" defer></script>` : ''}
      </head>
      <body>
        <main>
          <div class="card">
            <p class="brand">${appName}</p>
            ${body}
          </div>
        </main>
        <footer>Local development identity server (Logto-compatible). Not for production.</footer>
      </body>
    </html> `.html;
}
