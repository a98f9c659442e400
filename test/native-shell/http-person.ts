/**
 * A person who uses the scripted HttpBrowser (test/support/http-browser.ts) as their system
 * browser: signs in with an email code, or follows the end-session page. Structural type, so
 * the shell does not depend on the identity server's code.
 */
import type { Person, PersonOutcome } from './shell.ts';

export interface HttpBrowserLike {
  signIn(
    authUrl: string,
    opts: { email: string; readCode: (email: string) => Promise<string>; stopAt?: 'email' | 'code' },
  ): Promise<{ redirectedTo: string | null; lastPageText: string }>;
  follow(url: string): Promise<{ redirectedTo: string | null; status: number }>;
}

export interface HttpPersonOptions {
  readonly email: string;
  readonly readCode: (email: string) => Promise<string>;
  /** Abandon the sign-in at this page (then close the browser). */
  readonly stopAt?: 'email' | 'code';
  /** What to do after abandoning: close the browser (default) or just leave it open. */
  readonly afterStop?: 'dismiss' | 'stay';
}

export function httpPerson(browser: HttpBrowserLike, options: HttpPersonOptions): Person {
  return async (url: string): Promise<PersonOutcome> => {
    if (new URL(url).pathname.endsWith('/session/end')) {
      const { redirectedTo } = await browser.follow(url);
      return redirectedTo ? { kind: 'redirect', url: redirectedTo } : { kind: 'dismiss' };
    }
    const { redirectedTo } = await browser.signIn(url, { email: options.email, readCode: options.readCode, stopAt: options.stopAt });
    if (redirectedTo) return { kind: 'redirect', url: redirectedTo };
    return { kind: options.afterStop ?? 'dismiss' };
  };
}
