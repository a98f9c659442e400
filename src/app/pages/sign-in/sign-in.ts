import { ChangeDetectionStrategy, Component, computed, ElementRef, inject, signal, viewChild } from '@angular/core';
import { RouterLink } from '@angular/router';
import { IonButton } from '@ionic/angular/ion-button';
import { IonContent } from '@ionic/angular/ion-content';
import { IonHeader } from '@ionic/angular/ion-header';
import { IonIcon } from '@ionic/angular/ion-icon';
import { IonSpinner } from '@ionic/angular/ion-spinner';
import { IonTitle } from '@ionic/angular/ion-title';
import { IonToolbar } from '@ionic/angular/ion-toolbar';
import { addIcons } from 'ionicons';
import { logInOutline, openOutline } from 'ionicons/icons';

import { AuthService, returnAfterSignIn } from '../../auth/angular';
import { DEBUG_PAGE_ENABLED } from '../debug/debug-enabled';
import { AuthErrorCard } from '../shared/auth-error-card';
import { IonInputElement } from '../shared/ion-input-element';
import { Notice } from '../shared/notice';
import { replacePage } from '../shared/replace-page';

type View = 'choose' | 'opening' | 'browser' | 'working' | 'error' | 'done';

/** Loose on purpose (the identity provider validates for real): catches a typo before the round trip. */
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

@Component({
  selector: 'app-sign-in',
  imports: [
    IonHeader,
    IonToolbar,
    IonTitle,
    IonContent,
    IonButton,
    IonIcon,
    IonInputElement,
    IonSpinner,
    RouterLink,
    AuthErrorCard,
    Notice,
  ],
  templateUrl: './sign-in.html',
  styleUrl: './sign-in.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SignIn {
  protected readonly auth = inject(AuthService);
  protected readonly debugPageEnabled = inject(DEBUG_PAGE_ENABLED);

  /** Optional; a plain signal (no @angular/forms in the bundle for one field). */
  protected readonly email = signal('');
  protected readonly emailTouched = signal(false);
  private readonly emailInput = viewChild('emailInput', { read: ElementRef<HTMLElement> });
  protected readonly emailInvalid = computed(() => {
    const value = this.email().trim();
    return value !== '' && !EMAIL_SHAPE.test(value);
  });

  /** What the page shows for each machine state. */
  protected readonly view = computed<View>(() => {
    const tags = this.auth.tags;
    if (tags.openingBrowser()) return 'opening';
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

  constructor() {
    addIcons({ logInOutline, openOutline });
    returnAfterSignIn(replacePage());
  }

  /**
   * Ionic shows `errorText` from classes on the ion-input element itself (what its forms
   * accessor sets); its own re-render rewrites the host's classes, so apply them again after it.
   */
  protected markField(): void {
    const field = this.emailInput()?.nativeElement as (HTMLElement & { componentOnReady?: () => Promise<unknown> }) | undefined;
    if (!field) return;
    const apply = () => {
      field.classList.toggle('ion-touched', this.emailTouched());
      field.classList.toggle('ion-invalid', this.emailTouched() && this.emailInvalid());
    };
    apply();
    void (field.componentOnReady?.() ?? Promise.resolve()).then(() => requestAnimationFrame(apply));
  }

  /** The one entry: with an address it arrives pre-filled (login hint), without one the page asks. */
  protected continueWithEmail(): void {
    // The field as it is now (an autofill may not have fired ionInput).
    const field = this.emailInput()?.nativeElement;
    const typed = field?.querySelector('input')?.value;
    if (typeof typed === 'string') this.email.set(typed);
    this.emailTouched.set(true);
    this.markField();
    if (this.emailInvalid()) return;
    this.auth.signInWithEmail(this.email().trim() || undefined);
  }
}
