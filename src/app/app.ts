import { ChangeDetectionStrategy, Component, DOCUMENT, inject } from '@angular/core';
import { NavigationCancel, NavigationEnd, NavigationError, Router } from '@angular/router';
import { IonApp } from '@ionic/angular/ion-app';
import { IonRouterOutlet } from '@ionic/angular/ion-router-outlet';

import { appSettings } from './app-settings';
import { applyBrandTheme } from './brand';
import { ChunkFailure } from './chunk-failure';
import { I18n } from './i18n/i18n';

/** The static "Finishing sign-in…" of index.html, drawn before any script (a slow network's return to /callback). */
export const BOOT_STATUS_ID = 'boot-status';

@Component({
  selector: 'app-root',
  imports: [IonApp, IonRouterOutlet],
  template: `<ion-app>
    @if (chunks.failed()) {
      <div class="chunk-failure" role="alert" data-testid="chunk-failure">
        <h1>{{ i18n.t('shell.chunkFailed.title') }}</h1>
        <p>{{ i18n.t('shell.chunkFailed.message') }}</p>
        <button type="button" data-testid="chunk-failure-retry" [disabled]="chunks.retrying()" (click)="chunks.retry()">
          {{ chunks.retrying() ? i18n.t('shell.chunkFailed.retrying') : i18n.t('shell.chunkFailed.retry') }}
        </button>
      </div>
    }
    <ion-router-outlet />
  </ion-app>`,
  // Plain elements and no lazy code: this notice is what shows when the screens' code cannot load.
  styles: `
    .chunk-failure {
      position: absolute;
      inset: 0;
      z-index: 1000;
      display: flex;
      flex-direction: column;
      align-items: center;
      justify-content: center;
      gap: 0.75rem;
      padding: 2rem;
      text-align: center;
      background: var(--ion-background-color, #fff);
      color: var(--ion-text-color, #111);
      font-family: var(--ion-font-family, system-ui, sans-serif);
    }
    .chunk-failure h1 {
      margin: 0;
      font-size: 1.3rem;
    }
    .chunk-failure p {
      margin: 0;
      max-width: 28rem;
      line-height: 1.4;
    }
    .chunk-failure button {
      min-height: 44px;
      padding: 0 1.5rem;
      border: 0;
      border-radius: 8px;
      background: var(--ion-color-primary, #3b5bdb);
      color: var(--ion-color-primary-contrast, #fff);
      font: inherit;
      font-weight: 600;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class App {
  protected readonly chunks = inject(ChunkFailure);
  protected readonly i18n = inject(I18n);

  constructor() {
    const document = inject(DOCUMENT);
    applyBrandTheme(document, appSettings.brand);
    // The static status stays until the first page is drawn (or the navigation failed, when that
    // page's own message takes over): no white gap between it and the callback page.
    const subscription = inject(Router).events.subscribe((event) => {
      if (event instanceof NavigationEnd || event instanceof NavigationCancel || event instanceof NavigationError) {
        document.getElementById(BOOT_STATUS_ID)?.remove();
        subscription.unsubscribe();
      }
    });
  }
}
