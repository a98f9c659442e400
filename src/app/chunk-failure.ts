import { computed, DestroyRef, DOCUMENT, inject, Injectable, signal } from '@angular/core';
import { NavigationEnd, NavigationError, NavigationStart, Router } from '@angular/router';

import { AuthService } from './auth/angular';

/**
 * A lazy chunk that could not be downloaded (offline, a deploy removed it): the router's
 * navigation fails and, without this, the outlet stays empty — a blank page that stays blank
 * after the connection returns. Each browser words it differently.
 */
export function isChunkLoadFailure(error: unknown): boolean {
  const text = error instanceof Error ? `${error.name} ${error.message}` : String(error);
  return /ChunkLoadError|Loading chunk|dynamically imported module|Importing a module script failed|error loading dynamically imported/i.test(
    text,
  );
}

/**
 * Watches the router for a navigation that failed to load its screen's code, remembers where it
 * was going, and goes there again on Retry or by itself when the browser says it is back online.
 * The auth machine's own code is the other download a tap can wait for (it loads after the first
 * screen): when it could not arrive, the same notice shows and Retry downloads it again.
 * Drawn by the shell (app.ts) with nothing lazy, so the notice itself always shows.
 */
@Injectable({ providedIn: 'root' })
export class ChunkFailure {
  readonly #router = inject(Router);
  readonly #auth = inject(AuthService);
  /** The URL whose screen could not load; null when none failed. */
  readonly failedUrl = signal<string | null>(null);
  readonly retrying = signal(false);
  /** A screen's code or the auth machine's could not be downloaded: the shell's notice shows. */
  readonly failed = computed(() => this.failedUrl() !== null || this.#auth.machineUnavailable());

  constructor() {
    const window = inject(DOCUMENT).defaultView;
    const events = this.#router.events.subscribe((event) => {
      if (event instanceof NavigationError && isChunkLoadFailure(event.error)) {
        this.failedUrl.set(event.url);
        this.retrying.set(false);
      } else if (event instanceof NavigationEnd) {
        this.failedUrl.set(null);
        this.retrying.set(false);
      } else if (event instanceof NavigationStart && this.failedUrl() !== null) {
        this.retrying.set(true);
      }
    });
    const online = () => {
      if (this.failedUrl() !== null) this.retry();
    };
    window?.addEventListener('online', online);
    inject(DestroyRef).onDestroy(() => {
      events.unsubscribe();
      window?.removeEventListener('online', online);
    });
  }

  /** Go again where the failed navigation was going (a failed download is attempted afresh). */
  retry(): void {
    const url = this.failedUrl();
    if (url === null) {
      if (!this.#auth.machineUnavailable()) return;
      // When it loads, the kept tap reaches it and the router takes the person where it leads.
      this.retrying.set(true);
      void this.#auth.retryMachine().finally(() => this.retrying.set(false));
      return;
    }
    this.retrying.set(true);
    this.#router.navigateByUrl(url).catch(() => this.retrying.set(false));
  }
}
