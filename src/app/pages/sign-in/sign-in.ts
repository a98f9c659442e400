import { ChangeDetectionStrategy, Component, computed, DOCUMENT, effect, ElementRef, inject, signal, viewChild } from '@angular/core';
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

import { appSettings } from '../../app-settings';
import { AuthService, returnAfterSignIn } from '../../auth/angular';
import { errorMessage } from '../../i18n/auth-text';
import { sharedEn } from '../../i18n/en/shared';
import { signInEn } from '../../i18n/en/sign-in';
import { injectI18n, pageTitle } from '../../i18n/i18n';
import { DEBUG_PAGE_ENABLED } from '../debug/debug-enabled';
import { AuthErrorCard } from '../shared/auth-error-card';
import { BrandLogo } from '../shared/brand-logo';
import { IonInputElement } from '../shared/ion-input-element';
import { LanguageSwitch } from '../shared/language-switch';
import { Notice } from '../shared/notice';
import { replacePage } from '../shared/replace-page';

type View = 'choose' | 'opening' | 'browser' | 'working' | 'error' | 'done';

/** Loose on purpose (the identity provider validates for real): catches a typo before the round trip. */
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * sessionStorage key of the address typed here: Cancel, Dismiss and the web's round trip to the
 * identity page (which reloads the app) keep it in the field, as Retry does. Only this tab sees
 * it; a finished sign-in forgets it.
 */
export const TYPED_EMAIL_KEY = 'app.signIn.typedEmail';

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
    BrandLogo,
    LanguageSwitch,
  ],
  templateUrl: './sign-in.html',
  styleUrl: './sign-in.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SignIn {
  protected readonly auth = inject(AuthService);
  protected readonly debugPageEnabled = inject(DEBUG_PAGE_ENABLED);
  protected readonly i18n = injectI18n(sharedEn, signInEn);
  protected readonly brandName = appSettings.brand.name;
  private readonly storage = safeSessionStorage(inject(DOCUMENT));

  /** Optional; a plain signal (no @angular/forms in the bundle for one field). */
  protected readonly email = signal(this.readTypedEmail());
  protected readonly emailTouched = signal(false);
  private readonly emailInput = viewChild('emailInput', { read: ElementRef<HTMLElement> });
  protected readonly emailInvalid = computed(() => {
    const value = this.email().trim();
    return value !== '' && !EMAIL_SHAPE.test(value);
  });

  /** What the page shows for each machine state. */
  protected readonly view = computed<View>(() => {
    const { auth } = this;
    if (auth.tags.openingBrowser()) return 'opening';
    if (auth.tags.browserOpen()) return 'browser';
    if (auth.matches('error')) return 'error';
    if (auth.matches('authenticated')) return 'done';
    if (auth.matches('idle')) return 'choose';
    return 'working';
  });

  protected readonly workingText = computed(() => {
    if (this.auth.tags.exchangingCode()) return this.i18n.t('signIn.working.exchanging');
    if (this.auth.tags.signingOut()) return this.i18n.t('signIn.working.signingOut');
    return this.i18n.t('signIn.working.checking');
  });

  /** A notice's sentence in the reader's language. */
  protected readonly noticeText = computed(() => {
    const notice = this.auth.notice();
    return notice ? errorMessage(notice, this.i18n.errorText()) : '';
  });

  constructor() {
    addIcons({ logInOutline, openOutline });
    returnAfterSignIn(replacePage());
    pageTitle('signIn.title');
    effect(() => {
      const email = this.email();
      if (this.auth.isAuthenticated()) this.writeTypedEmail('');
      else this.writeTypedEmail(email);
    });
  }

  private readTypedEmail(): string {
    try {
      return this.storage?.getItem(TYPED_EMAIL_KEY) ?? '';
    } catch {
      return '';
    }
  }

  private writeTypedEmail(email: string): void {
    try {
      if (email) this.storage?.setItem(TYPED_EMAIL_KEY, email);
      else this.storage?.removeItem(TYPED_EMAIL_KEY);
    } catch {
      // Storage blocked: the address then lasts as long as this page.
    }
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

function safeSessionStorage(document: Document): Storage | null {
  try {
    return document.defaultView?.sessionStorage ?? null;
  } catch {
    return null;
  }
}
