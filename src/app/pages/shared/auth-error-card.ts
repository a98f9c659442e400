import { afterRenderEffect, ChangeDetectionStrategy, Component, computed, ElementRef, inject, input, viewChild } from '@angular/core';
import { IonButton } from '@ionic/angular/ion-button';
import { IonCard } from '@ionic/angular/ion-card';
import { IonCardContent } from '@ionic/angular/ion-card-content';
import { IonCardHeader } from '@ionic/angular/ion-card-header';
import { IonIcon } from '@ionic/angular/ion-icon';
import { addIcons } from 'ionicons';
import { alertCircleOutline, cloudOfflineOutline, refreshOutline, timeOutline } from 'ionicons/icons';

import { type AuthError, type AuthErrorKind, AuthService } from '../../auth/angular';

interface Presentation {
  readonly title: string;
  /** Replaces the error's own message where a gentler sentence fits better. */
  readonly body?: string;
  readonly icon: string;
  /** The main action: Retry (back to the failed step) or a fresh sign-in. */
  readonly action: 'retry' | 'signIn' | 'none';
}

/** One presentation per kind: what happened, in words, and the action that helps. */
const PRESENTATIONS: Record<AuthErrorKind, Presentation> = {
  cancelled: {
    title: 'Sign-in was interrupted',
    body: 'The sign-in page closed before you finished. You can pick up where you left off.',
    icon: 'refresh-outline',
    action: 'retry',
  },
  network: { title: 'Check your connection', icon: 'cloud-offline-outline', action: 'retry' },
  timeout: { title: 'That took too long', icon: 'time-outline', action: 'retry' },
  access_denied: { title: 'Access denied', icon: 'alert-circle-outline', action: 'retry' },
  invalid_callback: { title: 'The sign-in response was not valid', icon: 'alert-circle-outline', action: 'retry' },
  session_expired: {
    title: 'Your session ended, please sign in again',
    body: 'For your security you were signed out on this device.',
    icon: 'time-outline',
    action: 'signIn',
  },
  config: { title: 'Sign-in is not set up correctly', icon: 'alert-circle-outline', action: 'none' },
  server: { title: 'The sign-in service had a problem', icon: 'alert-circle-outline', action: 'retry' },
  unknown: { title: 'Something went wrong', icon: 'alert-circle-outline', action: 'retry' },
};

/**
 * The machine's error as something a person can act on. Announced (role="alert") and
 * focused when it appears, so keyboard and screen-reader users land on it.
 */
@Component({
  selector: 'app-auth-error-card',
  imports: [IonCard, IonCardHeader, IonCardContent, IonButton, IonIcon],
  template: `
    <ion-card #card role="alert" tabindex="-1" class="auth-error" data-testid="auth-error" [attr.data-error-kind]="error().kind">
      <ion-card-header>
        <h2 class="title">
          <ion-icon [name]="presentation().icon" aria-hidden="true" />
          <span data-testid="auth-error-title">{{ presentation().title }}</span>
        </h2>
      </ion-card-header>
      <ion-card-content>
        <p data-testid="auth-error-message">{{ presentation().body ?? error().message }}</p>
        @if (error().kind === 'config' || error().kind === 'server' || error().kind === 'unknown') {
          <p class="code">Error code: {{ error().code }}</p>
        }
        <div class="actions">
          @switch (action()) {
            @case ('retry') {
              <ion-button data-testid="error-retry" (click)="auth.retry()">Retry</ion-button>
            }
            @case ('signIn') {
              <ion-button data-testid="error-sign-in" (click)="auth.signIn()">Sign in</ion-button>
            }
          }
          <ion-button fill="outline" data-testid="error-dismiss" (click)="auth.dismissError()">Dismiss</ion-button>
        </div>
      </ion-card-content>
    </ion-card>
  `,
  styles: `
    .title {
      display: flex;
      align-items: center;
      gap: 0.5rem;
      margin: 0;
      font-size: 1.25rem;
      font-weight: 600;
      color: var(--ion-text-color);
    }
    ion-icon {
      flex: none;
      color: var(--ion-color-warning-shade);
    }
    .code {
      font-size: 0.85em;
      color: var(--ion-color-medium);
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
      margin-top: 0.75rem;
    }
    .auth-error:focus {
      outline: 2px solid var(--ion-color-primary);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AuthErrorCard {
  readonly error = input.required<AuthError>();

  protected readonly auth = inject(AuthService);
  protected readonly presentation = computed(() => PRESENTATIONS[this.error().kind] ?? PRESENTATIONS.unknown);
  /** A non-retryable error offers no Retry that cannot work. */
  protected readonly action = computed(() => {
    const action = this.presentation().action;
    return action === 'retry' && !this.error().retryable ? 'none' : action;
  });
  private readonly card = viewChild.required('card', { read: ElementRef<HTMLElement> });

  constructor() {
    addIcons({ alertCircleOutline, cloudOfflineOutline, refreshOutline, timeOutline });
    // A new error moves focus to the card (after it is in the DOM).
    afterRenderEffect(() => {
      this.error();
      this.card().nativeElement.focus();
    });
  }
}
