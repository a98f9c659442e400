import { ChangeDetectionStrategy, Component } from '@angular/core';
import { IonContent } from '@ionic/angular/ion-content';
import { IonHeader } from '@ionic/angular/ion-header';
import { IonTitle } from '@ionic/angular/ion-title';
import { IonToolbar } from '@ionic/angular/ion-toolbar';

@Component({
  selector: 'app-home',
  imports: [IonHeader, IonToolbar, IonTitle, IonContent],
  template: `
    <ion-header><ion-toolbar><ion-title>Bookstore</ion-title></ion-toolbar></ion-header>
    <ion-content class="ion-padding"><p>Welcome.</p></ion-content>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Home {}
