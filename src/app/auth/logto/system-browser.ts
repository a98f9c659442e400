import { Browser } from '@capacitor/browser';
import type { PluginListenerHandle } from '@capacitor/core';

import { describeError, type AuthLogger } from './error-mapping';
import { settleWithin } from './http';

/** What the system browser was opened for. */
export type BrowserPurpose = 'sign-in' | 'sign-out';

/**
 * The user agent that shows the identity provider's pages: the seam where a platform's way of
 * showing them plugs in (Custom Tabs / SFSafariViewController through @capacitor/browser today,
 * the page itself on the web; an ASWebAuthenticationSession would be a third implementation).
 * It owns the only "is it open, and for what" state of the adapter.
 */
export interface SystemBrowser {
  /** What it is open for, as far as we know; null when closed. */
  readonly purpose: BrowserPurpose | null;
  /** Shows `url`. Resolves once it is shown (web: once navigation started). */
  open(url: string, purpose: BrowserPurpose): Promise<void>;
  /** Best effort; never rejects. */
  close(): Promise<void>;
  /** Forget the purpose without closing (the flow it was open for ended another way). */
  release(): void;
  /** Calls `listener` when the person closed it or came back without a redirect; returns the unsubscribe. */
  onClosed(listener: () => void): () => void;
}

/** Where `pageshow` comes from on the web (the window). */
export interface PageEventTarget {
  addEventListener(type: 'pageshow', listener: (event: { persisted?: boolean }) => void): void;
  removeEventListener(type: 'pageshow', listener: (event: { persisted?: boolean }) => void): void;
  /** `window.stop()`: cancels a navigation that has started but not yet replaced the page. */
  stop?(): void;
}

/** Capacitor's Browser plugin: Custom Tabs on Android, SFSafariViewController on iOS. */
export function createNativeBrowser(options: { closeTimeout: number; log: AuthLogger }): SystemBrowser {
  let purpose: BrowserPurpose | null = null;

  const close = async (): Promise<void> => {
    purpose = null;
    let closing: Promise<void>;
    try {
      closing = Browser.close();
    } catch (error) {
      closing = Promise.reject(error);
    }
    // iOS rejects with "No active window to close!" when the view is already gone: not a failure of ours.
    const outcome = await settleWithin(closing, options.closeTimeout);
    if (outcome !== 'done') options.log('debug', `Browser.close() ${outcome === 'timeout' ? 'timed out' : 'was refused'} (ignored)`);
  };

  return {
    get purpose() {
      return purpose;
    },
    async open(url, next) {
      // iOS refuses to present a second SFSafariViewController ("Unable to display URL").
      if (purpose !== null) await close();
      await Browser.open({ url, windowName: '_self', presentationStyle: 'popover' });
      purpose = next;
    },
    close,
    release() {
      purpose = null;
    },
    onClosed(listener) {
      const handle: Promise<PluginListenerHandle> = Browser.addListener('browserFinished', () => {
        purpose = null;
        listener();
      });
      return () => {
        handle
          .then((h) => h.remove())
          .catch((error: unknown) => options.log('warn', `could not remove a Capacitor listener: ${describeError(error)}`));
      };
    },
  };
}

/**
 * The web: the identity pages replace the app's page. There is nothing to close; coming back
 * through the back-forward cache (`pageshow` with `persisted`) is the "closed without a
 * redirect" signal. A real redirect reloads the app at the callback URL instead.
 */
export function createWebBrowser(options: { location: { assign(url: string): void }; pageEvents: PageEventTarget | null }): SystemBrowser {
  let purpose: BrowserPurpose | null = null;
  /** A navigation was started and the page is still ours (a landed navigation unloads this code). */
  let navigating = false;
  return {
    get purpose() {
      return purpose;
    },
    async open(url, next) {
      purpose = next;
      navigating = true;
      options.location.assign(url);
    },
    async close() {
      // The page is still ours, so the navigation has not landed: cancel it (a slow identity
      // server would otherwise replace the app seconds after the person pressed Cancel). Not
      // keyed on `purpose`: release() (the pending sign-in discarded) may have run first.
      if (navigating) options.pageEvents?.stop?.();
      navigating = false;
      purpose = null;
    },
    release() {
      purpose = null;
    },
    onClosed(listener) {
      const onPageShow = (event: { persisted?: boolean }) => {
        if (!event.persisted) return;
        // Back from the back-forward cache: that navigation landed and was left.
        navigating = false;
        if (purpose === null) return;
        purpose = null;
        listener();
      };
      options.pageEvents?.addEventListener('pageshow', onPageShow);
      return () => options.pageEvents?.removeEventListener('pageshow', onPageShow);
    },
  };
}
