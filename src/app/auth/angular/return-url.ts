import { DOCUMENT, inject, Injectable } from '@angular/core';

const KEY = 'auth.returnUrl';

/** Pages that must never be a post-sign-in destination (they would loop or replay a callback). */
const NOT_A_DESTINATION = ['/sign-in', '/callback'];

/**
 * The URL a signed-out user tried to open, kept in sessionStorage so it survives the web
 * redirect round trip through the identity provider (same tab, same origin).
 */
@Injectable({ providedIn: 'root' })
export class ReturnUrl {
  private readonly storage: Storage | null = inject(DOCUMENT).defaultView?.sessionStorage ?? null;

  remember(url: string): void {
    if (!isSafeDestination(url)) return;
    try {
      this.storage?.setItem(KEY, url);
    } catch {
      // Storage full or disabled: after sign-in the user lands on the default page instead.
    }
  }

  /** False for pages a signed-in user is sent away from (sign-in, callbacks) and for other origins. */
  isDestination(url: string): boolean {
    return isSafeDestination(url);
  }

  /** The remembered URL (once), or the fallback. */
  consume(fallback: string): string {
    let url: string | null = null;
    try {
      url = this.storage?.getItem(KEY) ?? null;
      this.storage?.removeItem(KEY);
    } catch {
      // see remember()
    }
    return url !== null && isSafeDestination(url) ? url : fallback;
  }
}

/** Only in-app paths: never another origin (`//evil.example`), never the sign-in or callback pages. */
function isSafeDestination(url: string): boolean {
  if (!url.startsWith('/') || url.startsWith('//') || url.startsWith('/\\')) return false;
  const path = url.split(/[?#]/, 1)[0];
  return !NOT_A_DESTINATION.some((page) => path === page || path.startsWith(page + '/'));
}
