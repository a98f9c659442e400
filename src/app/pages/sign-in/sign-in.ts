import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { FormControl, ReactiveFormsModule, Validators } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { IonButton } from '@ionic/angular/ion-button';
import { IonContent } from '@ionic/angular/ion-content';
import { IonHeader } from '@ionic/angular/ion-header';
import { IonIcon } from '@ionic/angular/ion-icon';
import { IonInput } from '@ionic/angular/ion-input';
import { IonNote } from '@ionic/angular/ion-note';
import { IonSpinner } from '@ionic/angular/ion-spinner';
import { IonTitle } from '@ionic/angular/ion-title';
import { IonToolbar } from '@ionic/angular/ion-toolbar';
import { addIcons } from 'ionicons';
import { logInOutline, mailOutline, openOutline, personAddOutline } from 'ionicons/icons';

import { AuthService, returnAfterSignIn } from '../../auth/angular';
import { DEBUG_PAGE_ENABLED } from '../debug/debug-enabled';
import { AuthErrorCard } from '../shared/auth-error-card';

type View = 'choose' | 'browser' | 'working' | 'error' | 'done';

@Component({
  selector: 'app-sign-in',
  imports: [
    IonHeader,
    IonToolbar,
    IonTitle,
    IonContent,
    IonButton,
    IonIcon,
    IonInput,
    IonNote,
    IonSpinner,
    ReactiveFormsModule,
    RouterLink,
    AuthErrorCard,
  ],
  templateUrl: './sign-in.html',
  styleUrl: './sign-in.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SignIn {
  protected readonly auth = inject(AuthService);
  protected readonly debugPageEnabled = inject(DEBUG_PAGE_ENABLED);

  /** Optional; checked loosely here (the identity provider validates for real) to catch typos early. */
  protected readonly email = new FormControl('', { nonNullable: true, validators: [Validators.email] });

  /** What the page shows for each machine state. */
  protected readonly view = computed<View>(() => {
    const tags = this.auth.tags;
    if (tags.browserOpen()) return 'browser';
    if (tags.failed()) return 'error';
    if (tags.signedIn()) return 'done';
    if (tags.signedOut()) return 'choose';
    return 'working';
  });

  protected readonly workingText = computed(() => {
    if (this.auth.tags.exchangingCode()) return 'Completing sign-in…';
    if (this.auth.tags.signingOut()) return 'Signing out…';
    return 'Checking your session…';
  });

  /** A non-blocking notice in `idle`, e.g. signed out locally while the provider was unreachable. */
  protected readonly notice = computed(() => (this.view() === 'choose' ? this.auth.error()?.message : undefined));

  constructor() {
    addIcons({ logInOutline, mailOutline, openOutline, personAddOutline });
    returnAfterSignIn();
  }

  protected continueWithEmail(): void {
    this.email.markAsTouched();
    if (this.email.invalid) return;
    this.auth.signInWithEmail(this.email.value);
  }
}
