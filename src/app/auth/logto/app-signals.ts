import { App } from '@capacitor/app';
import type { PluginListenerHandle } from '@capacitor/core';

import type { PlatformEvent } from '../core/port';
import { describeError, type AuthLogger } from './error-mapping';

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

/**
 * The port's `subscribe`: fans platform signals out to subscribers. The platform listeners are
 * attached while anybody subscribes (Capacitor retains `appUrlOpen` until the first listener,
 * so attaching early would consume a launch deep link nobody hears) and detached with the last.
 */
export class PlatformEventHub {
  readonly #subscribers = new Set<(event: PlatformEvent) => void>();
  readonly #attach: () => () => void;
  readonly #log: AuthLogger;
  #detach: (() => void) | null = null;
  #disposed = false;

  constructor(attach: () => () => void, log: AuthLogger) {
    this.#attach = attach;
    this.#log = log;
  }

  subscribe(listener: (event: PlatformEvent) => void): () => void {
    if (this.#disposed) return () => undefined;
    this.#subscribers.add(listener);
    if (this.#subscribers.size === 1) this.#detach = this.#attach();
    return () => {
      if (this.#subscribers.delete(listener) && this.#subscribers.size === 0) this.#release();
    };
  }

  emit(event: PlatformEvent): void {
    if (this.#disposed) return;
    for (const listener of [...this.#subscribers]) {
      try {
        listener(event);
      } catch (error) {
        this.#log('error', `a subscriber threw on ${event.type}: ${describeError(error)}`);
      }
    }
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  dispose(): void {
    this.#disposed = true;
    this.#subscribers.clear();
    this.#release();
  }

  #release(): void {
    this.#detach?.();
    this.#detach = null;
  }
}
