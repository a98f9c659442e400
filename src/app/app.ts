import { ChangeDetectionStrategy, Component, DOCUMENT, inject } from '@angular/core';
import { NavigationCancel, NavigationEnd, NavigationError, Router } from '@angular/router';
import { IonApp } from '@ionic/angular/ion-app';
import { IonRouterOutlet } from '@ionic/angular/ion-router-outlet';

import { appSettings } from './app-settings';
import { applyBrandTheme } from './brand';

/** The static "Finishing sign-in…" of index.html, drawn before any script (a slow network's return to /callback). */
export const BOOT_STATUS_ID = 'boot-status';

@Component({
  selector: 'app-root',
  imports: [IonApp, IonRouterOutlet],
  template: `<ion-app><ion-router-outlet /></ion-app>`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class App {
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
