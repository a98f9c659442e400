import {
  afterRenderEffect,
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  DOCUMENT,
  effect,
  ElementRef,
  inject,
  input,
  signal,
  viewChild,
} from '@angular/core';
import { IonButton } from '@ionic/angular/ion-button';
import { IonCard } from '@ionic/angular/ion-card';
import { IonCardContent } from '@ionic/angular/ion-card-content';
import { IonCardHeader } from '@ionic/angular/ion-card-header';
import { IonIcon } from '@ionic/angular/ion-icon';
import { IonSpinner } from '@ionic/angular/ion-spinner';
import { addIcons } from 'ionicons';
import { alertCircleOutline, cloudOfflineOutline, refreshOutline, timeOutline } from 'ionicons/icons';

import { type AuthError, type AuthErrorKind, AuthService } from '../../auth/angular';
import { errorMessage, errorTitle } from '../../i18n/auth-text';
import { sharedEn } from '../../i18n/en/shared';
import { injectI18n } from '../../i18n/i18n';
import { BreakableText } from './breakable-text';

interface Presentation {
  readonly icon: string;
  /** The main action: Retry (what the error's retry policy says), a fresh sign-in, or none. */
  readonly action: 'retry' | 'signIn' | 'none';
}

/**
 * How each kind looks and what it offers. The words (title and message) come from core's one
 * table in English, or the reader's language's table, by the error's kind and code (i18n/auth-text.ts).
 */
const PRESENTATIONS: Record<AuthErrorKind, Presentation> = {
  cancelled: { icon: 'refresh-outline', action: 'retry' },
  network: { icon: 'cloud-offline-outline', action: 'retry' },
  timeout: { icon: 'time-outline', action: 'retry' },
  access_denied: { icon: 'alert-circle-outline', action: 'retry' },
  invalid_callback: { icon: 'alert-circle-outline', action: 'retry' },
  // A dead session is answered by signing in, whatever ended it.
  session_expired: { icon: 'time-outline', action: 'signIn' },
  config: { icon: 'alert-circle-outline', action: 'none' },
  server: { icon: 'alert-circle-outline', action: 'retry' },
  unknown: { icon: 'alert-circle-outline', action: 'retry' },
};

/** How long "Trying again…" stays on screen at least: a refused connection fails in milliseconds. */
export const RETRY_FEEDBACK_MS = 800;

/**
 * The machine's error as something a person can act on. Announced (role="alert") and
 * focused when it appears, so keyboard and screen-reader users land on it.
 */
@Component({
  selector: 'app-auth-error-card',
  imports: [IonCard, IonCardHeader, IonCardContent, IonButton, IonIcon, IonSpinner, BreakableText],
  template: `
    <ion-card #card role="alert" tabindex="-1" class="auth-error" data-testid="auth-error" [attr.data-error-kind]="error().kind">
      <ion-card-header>
        <h2 class="title">
          <ion-icon [name]="presentation().icon" aria-hidden="true" />
          <span data-testid="auth-error-title">{{ title() }}</span>
        </h2>
      </ion-card-header>
      <ion-card-content>
        @if (trying()) {
          <p class="trying" role="status" data-testid="auth-error-trying">
            <ion-spinner name="dots" aria-hidden="true" /> {{ i18n.t('error.trying') }}
          </p>
        } @else {
          <p data-testid="auth-error-message">{{ message() }}</p>
          @if (auth.failedRetries() > 0) {
            <p class="again" data-testid="auth-error-again">{{ againText() }}</p>
          }
        }
        @if (keptEmail(); as email) {
          <p class="kept" data-testid="auth-error-kept-session">
            {{ i18n.t('session.stillSignedIn.before') }}<strong class="email" [appBreakableText]="email"></strong
            >{{ i18n.t('session.stillSignedIn.after') }}
          </p>
        }
        @if (error().kind === 'config' || error().kind === 'server' || error().kind === 'unknown') {
          <p class="code">{{ i18n.t('error.code', { code: error().code }) }}</p>
        }
        <div class="actions">
          @switch (action()) {
            @case ('retry') {
              <ion-button data-testid="error-retry" [disabled]="trying()" (click)="auth.retry()">{{ i18n.t('error.retry') }}</ion-button>
            }
            @case ('signIn') {
              <ion-button data-testid="error-sign-in" (click)="auth.signIn()">{{ i18n.t('error.signIn') }}</ion-button>
            }
          }
          <ion-button fill="outline" data-testid="error-dismiss" (click)="auth.dismissError()">{{
            keptEmail() ? i18n.t('error.staySignedIn') : i18n.t('common.dismiss')
          }}</ion-button>
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
      color: var(--ion-text-color, #000);
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
    ion-card {
      color: var(--ion-text-color, #000);
    }
    .trying {
      display: flex;
      align-items: center;
      gap: 0.5rem;
    }
    .again {
      font-weight: 600;
    }
    .email {
      overflow-wrap: break-word;
    }
    /* The card takes focus programmatically so screen readers land on it; a ring only for keyboard users. */
    .auth-error:focus {
      outline: none;
    }
    .auth-error:focus-visible {
      outline: 3px solid var(--ion-color-primary);
      outline-offset: 2px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AuthErrorCard {
  readonly error = input.required<AuthError>();

  protected readonly auth = inject(AuthService);
  protected readonly i18n = injectI18n(sharedEn);
  private readonly window = inject(DOCUMENT).defaultView;
  /**
   * Whether the device says it is online. A failed request reads the same ("network") whether the
   * device is offline or the sign-in service is down; only the first is "Check your connection".
   */
  private readonly online = signal(this.window?.navigator.onLine ?? true);
  /** Online, and the sign-in service did not answer (the app's own module load failing is still "your connection"). */
  private readonly serviceDown = computed(
    () => this.error().kind === 'network' && this.error().code !== 'auth_module_load_failed' && this.online(),
  );
  protected readonly presentation = computed(() => PRESENTATIONS[this.error().kind] ?? PRESENTATIONS.unknown);
  protected readonly title = computed(() =>
    this.serviceDown() ? this.i18n.t('error.unreachable.title') : errorTitle(this.error(), this.i18n.errorText()),
  );
  protected readonly message = computed(() =>
    this.serviceDown() ? this.i18n.t('error.unreachable.message') : errorMessage(this.error(), this.i18n.errorText()),
  );
  /** An error whose retry policy is `none` offers no Retry that cannot work. */
  protected readonly action = computed(() => {
    const action = this.presentation().action;
    return action === 'retry' && this.error().retry === 'none' ? 'none' : action;
  });
  private readonly card = viewChild.required('card', { read: ElementRef<HTMLElement> });
  /** A re-sign-in failed while the old session is kept: the person is still signed in, say as whom. */
  protected readonly keptEmail = computed(() => {
    if (!this.auth.hasSession()) return null;
    const claims = this.auth.claims();
    const email = claims?.['email'];
    return typeof email === 'string' && email ? email : (claims?.sub ?? null);
  });
  /** A Retry that failed at once: keep "Trying again…" up long enough to be seen, then say it failed again. */
  protected readonly trying = signal(false);
  protected readonly againText = computed(() => {
    const at = this.auth.lastRetryAt() ?? Date.now();
    const time = this.i18n.dateTime(at, { timeStyle: 'medium' });
    const unreachable = this.error().kind === 'network' || this.error().kind === 'timeout';
    const attempts = this.auth.failedRetries() + 1;
    return this.i18n.t(unreachable ? 'error.again.unreachable' : 'error.again.same', { time, attempts });
  });

  constructor() {
    const updateOnline = () => this.online.set(this.window?.navigator.onLine ?? true);
    this.window?.addEventListener('online', updateOnline);
    this.window?.addEventListener('offline', updateOnline);
    inject(DestroyRef).onDestroy(() => {
      this.window?.removeEventListener('online', updateOnline);
      this.window?.removeEventListener('offline', updateOnline);
    });
    // The card may stay mounted through Retry → failure (it all happens between two renders).
    effect((onCleanup) => {
      const failures = this.auth.failedRetries();
      const at = this.auth.lastRetryAt();
      const left = at === null || failures === 0 ? 0 : RETRY_FEEDBACK_MS - (Date.now() - at);
      this.trying.set(left > 0);
      if (left <= 0) return;
      const timer = setTimeout(() => this.trying.set(false), left);
      onCleanup(() => clearTimeout(timer));
    });
    addIcons({ alertCircleOutline, cloudOfflineOutline, refreshOutline, timeOutline });
    // A new error moves focus to the card (after it is in the DOM).
    afterRenderEffect(() => {
      this.error();
      this.card().nativeElement.focus();
    });
  }
}
