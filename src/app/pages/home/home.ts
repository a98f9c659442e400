import { afterNextRender, ChangeDetectionStrategy, Component, computed, effect, inject, Injector, signal, untracked } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { IonButton } from '@ionic/angular/ion-button';
import { IonButtons } from '@ionic/angular/ion-buttons';
import { IonContent } from '@ionic/angular/ion-content';
import { IonHeader } from '@ionic/angular/ion-header';
import { IonIcon } from '@ionic/angular/ion-icon';
import { IonItem } from '@ionic/angular/ion-item';
import { IonLabel } from '@ionic/angular/ion-label';
import { IonList } from '@ionic/angular/ion-list';
import { IonSpinner } from '@ionic/angular/ion-spinner';
import { IonTitle } from '@ionic/angular/ion-title';
import { IonToolbar } from '@ionic/angular/ion-toolbar';

import { appSettings } from '../../app-settings';
import { type AuthError, AuthService, HOME_PATH, ReturnUrl, SIGN_IN_PATH } from '../../auth/angular';
import { errorMessage } from '../../i18n/auth-text';
import { homeEn } from '../../i18n/en/home';
import { sharedEn } from '../../i18n/en/shared';
import { shellEn } from '../../i18n/en/shell';
import { injectI18n, pageTitle } from '../../i18n/i18n';
import { DEBUG_PAGE_ENABLED } from '../debug/debug-enabled';
import { AuthErrorCard } from '../shared/auth-error-card';
import { BrandLogo } from '../shared/brand-logo';
import { BreakableText } from '../shared/breakable-text';
import { LanguageSwitch } from '../shared/language-switch';
import { Notice } from '../shared/notice';
import { replacePage } from '../shared/replace-page';
import type { Bookshelf } from './bookshelf';
import { accountFacts, displayName, hasPersonalName, initials, otherClaims, pictureUrl, rows } from './claims';
import { HomeIcon } from './home-icon';

type ApiCall =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'ok'; shelf: Bookshelf }
  | { status: 'failed'; message: string; signInAgain?: boolean };

@Component({
  selector: 'app-home',
  imports: [
    IonHeader,
    IonToolbar,
    IonTitle,
    IonButtons,
    IonButton,
    IonContent,
    IonList,
    IonItem,
    IonLabel,
    IonIcon,
    HomeIcon,
    IonSpinner,
    RouterLink,
    AuthErrorCard,
    Notice,
    BrandLogo,
    BreakableText,
    LanguageSwitch,
  ],
  templateUrl: './home.html',
  styleUrl: './home.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Home {
  protected readonly auth = inject(AuthService);
  private readonly injector = inject(Injector);
  private readonly router = inject(Router);
  private readonly returnUrl = inject(ReturnUrl);
  private readonly replace = replacePage();
  protected readonly debugPageEnabled = inject(DEBUG_PAGE_ENABLED);
  protected readonly i18n = injectI18n(sharedEn, homeEn, shellEn);
  protected readonly brandName = appSettings.brand.name;
  /** What the first screen shows: who is signed in. */
  protected readonly profile = computed(() => {
    const claims = this.auth.claims();
    if (!claims) return null;
    return {
      name: displayName(claims, this.i18n.t('profile.fallbackName')),
      hasName: hasPersonalName(claims),
      email: typeof claims['email'] === 'string' && claims['email'] ? claims['email'] : null,
      picture: pictureUrl(claims),
      initials: initials(claims),
    };
  });
  /** Read only inside the deferred blocks, so computed (dates formatted) after the first screen. */
  protected readonly facts = computed(() => {
    const claims = this.auth.claims();
    return claims ? accountFacts(claims, this.i18n) : [];
  });
  protected readonly otherClaims = computed(() => {
    const claims = this.auth.claims();
    return claims ? otherClaims(claims, this.i18n) : [];
  });
  protected readonly userInfoRows = computed(() => {
    const info = this.auth.userInfo();
    return info ? rows(info, this.i18n) : null;
  });
  protected readonly apiCall = signal<ApiCall>({ status: 'idle' });
  protected readonly signingOut = this.auth.tags.signingOut;
  protected readonly pictureFailed = signal(false);
  /** "Signed in as …" for screen readers, set once the page is on screen after a sign-in. */
  protected readonly announcement = signal('');
  /** A notice's sentence in the reader's language. */
  protected readonly noticeText = computed(() => {
    const notice = this.auth.notice();
    return notice ? errorMessage(notice, this.i18n.errorText()) : '';
  });
  /** The call whose answer may be shown; null once the person changed. */
  private currentCall: object | null = null;

  constructor() {
    pageTitle('home.title');
    // Right after a sign-in (not on every launch with a stored session): the last transition is
    // the finished sign-in. Set a moment after the first render: a live region is read when its
    // text changes, and some screen readers miss a change made as the region appears.
    const justSignedIn = this.auth.recorder.entries().at(-1)?.event === 'xstate.done.actor.completeSignIn';
    afterNextRender(() => {
      if (!justSignedIn) return;
      setTimeout(() => {
        const profile = untracked(this.profile);
        if (profile) this.announcement.set(this.i18n.t('home.signedInAs', { name: profile.email ?? profile.name }));
      }, 250);
    });
    // Leaving `authenticated` while this page is on screen: signed out → sign-in; a new
    // sign-in started (session expired → "Sign in") → the sign-in page shows its progress
    // and brings the user back here.
    effect(() => {
      const signingIn = this.auth.tags.signingIn();
      if (!this.auth.matches('idle') && !signingIn) return;
      untracked(() => {
        if (!this.router.url.startsWith(HOME_PATH)) return;
        if (signingIn) this.returnUrl.remember(this.router.url);
        this.replace(SIGN_IN_PATH);
      });
    });
    // A new person, a new API answer: the one on screen is cleared, one in flight is dropped.
    effect(() => {
      this.auth.claims();
      untracked(() => {
        this.currentCall = null;
        this.apiCall.set({ status: 'idle' });
        this.pictureFailed.set(false);
      });
    });
  }

  protected async callApi(): Promise<void> {
    const call = {};
    this.currentCall = call;
    this.apiCall.set({ status: 'loading' });
    let outcome: ApiCall;
    // The API client loads with the first call, not with the first screen (docs/benchmarks.md).
    let api: typeof import('./bookshelf');
    try {
      api = await import('./bookshelf');
    } catch {
      if (this.currentCall === call) this.apiCall.set({ status: 'failed', message: this.i18n.t('shell.chunkFailed.message') });
      return;
    }
    const { BookstoreApi, describeApiFailure, lacksPermission } = api;
    try {
      outcome = { status: 'ok', shelf: await this.injector.get(BookstoreApi).bookshelf() };
    } catch (error) {
      // A missing permission after a fresh token: a role granted since this sign-in counts only
      // from the next sign-in (Logto records the permissions a sign-in may use when it is made).
      outcome = { status: 'failed', message: describeApiFailure(error, this.i18n), signInAgain: lacksPermission(error) };
    }
    // Only the latest call made for the person still signed in may answer on screen.
    if (this.currentCall === call) this.apiCall.set(outcome);
  }

  /** Signs in again as the same person (the session stays until the new one lands), so a newly granted role counts. */
  protected signInAgain(): void {
    const email = this.auth.claims()?.['email'];
    this.auth.signInWithEmail(typeof email === 'string' ? email : undefined);
  }

  /** The API names the account by its id; the person is shown by the name they know. */
  protected ownerName(owner: string | undefined): string {
    const claims = this.auth.claims();
    if (!claims || (owner !== undefined && owner !== claims.sub)) return owner ?? this.i18n.t('home.api.you');
    return displayName(claims, this.i18n.t('profile.fallbackName'));
  }

  protected errorSentence(error: AuthError): string {
    return errorMessage(error, this.i18n.errorText());
  }

  protected bookTitle(book: unknown): string {
    if (typeof book === 'string') return book;
    const title = (book as { title?: unknown } | null)?.title;
    return typeof title === 'string' ? title : JSON.stringify(book);
  }
}
