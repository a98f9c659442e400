import { ChangeDetectionStrategy, Component, effect, inject, untracked } from '@angular/core';
import { ActivatedRoute } from '@angular/router';
import { IonContent } from '@ionic/angular/ion-content';
import { IonHeader } from '@ionic/angular/ion-header';
import { IonSpinner } from '@ionic/angular/ion-spinner';
import { IonTitle } from '@ionic/angular/ion-title';
import { IonToolbar } from '@ionic/angular/ion-toolbar';

import { appSettings } from '../../app-settings';
import { AuthService, returnAfterSignIn, SIGN_IN_PATH } from '../../auth/angular';
import { callbackEn } from '../../i18n/en/callback';
import { injectI18n } from '../../i18n/i18n';
import { BrandLogo } from '../shared/brand-logo';
import { replacePage } from '../shared/replace-page';

/**
 * Where the identity provider sends the browser back on the web (`/callback`, `/callback/sign-out`).
 * The adapter reads the URL at boot and the machine does the work; this page only waits for the
 * machine to settle and moves on: signed in → the remembered page or home; anything else →
 * sign-in (which shows an error, if there is one). Before this page's code arrives, index.html's
 * static "Finishing sign-in…" is on screen (a slow network showed a white page here).
 */
@Component({
  selector: 'app-callback',
  imports: [IonHeader, IonToolbar, IonTitle, IonContent, IonSpinner, BrandLogo],
  template: `
    <!-- The same toolbar as the pages before and after it, so nothing jumps or overprints. -->
    <ion-header>
      <ion-toolbar>
        <ion-title
          ><span class="brand-title"><app-brand-logo [size]="24" />{{ brandName }}</span></ion-title
        >
      </ion-toolbar>
    </ion-header>
    <ion-content class="ion-padding">
      <div class="narrow status" role="status" data-testid="callback-progress">
        <ion-spinner aria-hidden="true" />
        <p>{{ kind === 'signOut' ? i18n.t('callback.signOut') : i18n.t('callback.signIn') }}</p>
      </div>
    </ion-content>
  `,
  styles: `
    /* The shared .status block (global.scss), a little lower on this otherwise empty screen. */
    .status {
      padding-top: 3rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Callback {
  /**
   * Which return this is, from the route's data (app.routes.ts). Read from the route, not bound
   * as an input: the router's input binding (`withComponentInputBinding`), for this one value,
   * put 0.5 kB gzip of the router's code into every launch's initial files (docs/benchmarks.md, step 14).
   */
  protected readonly kind: 'signIn' | 'signOut' = inject(ActivatedRoute).snapshot.data['kind'] === 'signOut' ? 'signOut' : 'signIn';

  private readonly auth = inject(AuthService);
  protected readonly i18n = injectI18n(callbackEn);
  protected readonly brandName = appSettings.brand.name;
  private readonly replace = replacePage();

  constructor() {
    returnAfterSignIn(this.replace);
    effect(() => {
      if (this.auth.isBusy() || this.auth.isAuthenticated()) return;
      untracked(() => this.replace(SIGN_IN_PATH));
    });
  }
}
