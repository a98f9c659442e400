import type { PlatformEvent } from '../core/port';
import { describeError, type AuthLogger } from './auth-log';

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
