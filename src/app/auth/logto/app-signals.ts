import { App } from '@capacitor/app';
import type { PluginListenerHandle } from '@capacitor/core';

import { describeError, type AuthLogger } from './auth-log';

/**
 * What the app's own lifecycle tells the adapter: the URL it was started with, deep links that
 * arrive while it runs, and coming back to the foreground. Capacitor's App plugin on devices;
 * on the web the page URL is the "launch URL" and there are no deep links.
 */
export interface AppSignals {
  launchUrl(): Promise<string | null>;
  /** Listen while someone subscribes (Capacitor retains `appUrlOpen` until the first listener). */
  listen(handlers: { onUrl(url: string): Promise<void> | void; onResume(): Promise<void> | void }): () => void;
}

export function createNativeAppSignals(log: AuthLogger): AppSignals {
  return {
    async launchUrl() {
      try {
        return (await App.getLaunchUrl())?.url ?? null;
      } catch (error) {
        log('warn', `App.getLaunchUrl failed: ${describeError(error)}`);
        return null;
      }
    },
    listen({ onUrl, onResume }) {
      // A handler's failure is logged, never thrown into Capacitor's bridge.
      const guarded = (what: string, run: () => Promise<void> | void) => () => {
        Promise.resolve()
          .then(run)
          .catch((error: unknown) => log('error', `${what} handler failed: ${describeError(error)}`));
      };
      const handles: Promise<PluginListenerHandle>[] = [
        App.addListener('appUrlOpen', (event) => guarded('appUrlOpen', () => onUrl(event.url))()),
        App.addListener('resume', guarded('resume', onResume)),
      ];
      return () => {
        for (const handle of handles) {
          handle
            .then((h) => h.remove())
            .catch((error: unknown) => log('warn', `could not remove a Capacitor listener: ${describeError(error)}`));
        }
      };
    },
  };
}

export function createWebAppSignals(location: { readonly href: string }): AppSignals {
  return {
    async launchUrl() {
      return location.href;
    },
    listen() {
      return () => undefined;
    },
  };
}
