import { Component, signal } from '@angular/core';
import { IonContent } from '@ionic/angular/ion-content';
import { IonHeader } from '@ionic/angular/ion-header';
import { IonTitle } from '@ionic/angular/ion-title';
import { IonToolbar } from '@ionic/angular/ion-toolbar';

import { client } from './logto';

/**
 * The starter's home page with the guide's "display user information": `isAuthenticated()`, then
 * `getIdTokenClaims()`, "Loading session…" until both answered, then the signed-in email.
 * Built in place of the starter's `home/home.page.ts` (angular.json `fileReplacements`), so the
 * SDK arrives with the lazy home route, as the guide wires it.
 */
@Component({
  selector: 'app-home',
  templateUrl: 'home.page.html',
  styleUrl: '../baseline-starter/src/app/home/home.page.scss',
  imports: [IonHeader, IonToolbar, IonTitle, IonContent],
})
export class HomePage {
  protected readonly session = signal<{ email?: string } | 'loading' | 'signed out'>('loading');

  constructor() {
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      if (!(await client.isAuthenticated())) return this.session.set('signed out');
      const claims = await client.getIdTokenClaims();
      this.session.set({ email: claims.email ?? undefined });
    } catch {
      this.session.set('signed out');
    }
  }
}
