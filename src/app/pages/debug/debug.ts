import { ChangeDetectionStrategy, Component, computed, DOCUMENT, inject, signal } from '@angular/core';
import type { FlightRecorderEntry } from '../../auth/core';
import { RouterLink } from '@angular/router';
import { IonBackButton } from '@ionic/angular/ion-back-button';
import { IonButton } from '@ionic/angular/ion-button';
import { IonButtons } from '@ionic/angular/ion-buttons';
import { IonContent } from '@ionic/angular/ion-content';
import { IonHeader } from '@ionic/angular/ion-header';
import { IonIcon } from '@ionic/angular/ion-icon';
import { IonTitle } from '@ionic/angular/ion-title';
import { IonToolbar } from '@ionic/angular/ion-toolbar';
import { addIcons } from 'ionicons';
import { copyOutline } from 'ionicons/icons';

import { AUTH_CONFIG, AuthService } from '../../auth/angular';
import { debugEn } from '../../i18n/en/debug';
import { injectI18n, pageTitle } from '../../i18n/i18n';
import { eventLabelKey, isErrorEntry, kindLabelKey } from './event-names';

interface SessionTime {
  readonly label: string;
  readonly at: string;
  readonly relative: string;
  readonly testId: string;
}

/**
 * What support needs: the state, the redacted context and the last 100 transitions, plus a
 * JSON report to paste into a bug (emails masked; no tokens, codes, state values or URLs —
 * the machine never holds them and core's redaction scrubs the rest). On screen, for the person
 * holding the device: event names in words (the raw name in the row's title), times in their
 * zone, when the tokens expire, and their address as the home screen shows it.
 */
const FULL_TIME: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'long' };

@Component({
  selector: 'app-debug',
  imports: [IonHeader, IonToolbar, IonTitle, IonButtons, IonBackButton, IonButton, IonContent, IonIcon, RouterLink],
  templateUrl: './debug.html',
  styleUrl: './debug.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Debug {
  protected readonly auth = inject(AuthService);
  protected readonly i18n = injectI18n(debugEn);
  private readonly apiResource = inject(AUTH_CONFIG).apis?.[0]?.resource;
  private readonly clipboard = inject(DOCUMENT).defaultView?.navigator.clipboard;

  /** Re-read on every snapshot: the recorder is plain data, the signals say when it changed. */
  protected readonly report = computed(() => {
    this.auth.state();
    this.auth.context();
    return this.auth.recorder.report();
  });
  /**
   * The redacted context, but with the address in full (home shows it in full to the same person;
   * the copied report keeps it masked) and the time claims as dates in the reader's zone.
   */
  protected readonly contextJson = computed(() => {
    const context = this.report().context;
    const email = this.auth.claims()?.['email'];
    if (!context?.claims) return JSON.stringify(context, null, 2);
    const claims: Record<string, unknown> = { ...context.claims };
    if (typeof email === 'string' && email) claims['email'] = email;
    // OIDC times are seconds; Logto's created_at/updated_at are milliseconds (1e11 s is the year 5138).
    for (const name of ['exp', 'iat', 'auth_time', 'nbf', 'created_at', 'updated_at']) {
      const value = claims[name];
      if (typeof value === 'number') {
        claims[name] = `${this.i18n.dateTime(value >= 1e11 ? value : value * 1000, FULL_TIME)} (${value})`;
      }
    }
    return JSON.stringify({ ...context, claims }, null, 2);
  });
  /** ID token issued / expires, and when the API's access token expires (read from the token, never shown). */
  private readonly accessExpiry = signal<number | null | undefined>(undefined);
  protected readonly sessionTimes = computed<SessionTime[]>(() => {
    const claims = this.auth.claims();
    if (!claims) return [];
    const now = Date.now();
    const time = (label: string, seconds: unknown, testId: string): SessionTime[] =>
      typeof seconds === 'number'
        ? [{ label, at: this.i18n.dateTime(seconds * 1000, FULL_TIME), relative: this.i18n.relative(seconds * 1000, now), testId }]
        : [];
    return [
      ...time(this.i18n.t('debug.idIssued'), claims['iat'], 'id-issued'),
      ...time(this.i18n.t('debug.idExpires'), claims['exp'], 'id-expires'),
    ];
  });
  protected readonly accessTime = computed(() => {
    const exp = this.accessExpiry();
    if (exp === undefined || !this.apiResource) return null;
    const label = this.i18n.t('debug.accessExpires', { resource: this.apiResource });
    if (exp === null) return { label, at: this.i18n.t('debug.accessUnknown'), relative: '' };
    return { label, at: this.i18n.dateTime(exp * 1000, FULL_TIME), relative: this.i18n.relative(exp * 1000) };
  });
  /** Newest first on screen. */
  protected readonly entries = computed(() => [...this.report().entries].reverse());
  protected readonly copyResult = signal<'copied' | 'shown' | null>(null);
  protected readonly reportJson = signal<string | null>(null);

  constructor() {
    addIcons({ copyOutline });
    pageTitle('debug.title');
    if (this.auth.isAuthenticated() && this.apiResource) void this.readAccessExpiry(this.apiResource);
  }

  /** The access token's `exp` (a JWT for an API resource); the token itself goes nowhere. */
  private async readAccessExpiry(resource: string): Promise<void> {
    try {
      const token = await this.auth.getAccessToken(resource);
      const payload = token.split('.')[1] ?? '';
      const json = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown };
      this.accessExpiry.set(typeof json.exp === 'number' ? json.exp : null);
    } catch {
      this.accessExpiry.set(null);
    }
  }

  protected eventLabel(event: string): string {
    const key = eventLabelKey(event);
    return key ? this.i18n.t(key) : event;
  }

  /** "Error: no connection" when the transition ended in the error state; "Notice: …" when it carried a kind elsewhere. */
  protected result(entry: FlightRecorderEntry): string {
    if (!entry.errorKind) return '';
    const kind = this.i18n.t(kindLabelKey(entry.errorKind));
    return this.i18n.t(isErrorEntry(entry.to) ? 'debug.result.error' : 'debug.result.notice', { kind });
  }

  protected async copyReport(): Promise<void> {
    const json = JSON.stringify(this.auth.recorder.report(), null, 2);
    this.reportJson.set(json);
    try {
      if (!this.clipboard) throw new Error('no clipboard');
      await this.clipboard.writeText(json);
      this.copyResult.set('copied');
    } catch {
      // No clipboard permission (e.g. an insecure origin): show it to copy by hand.
      this.copyResult.set('shown');
    }
  }

  /** The transition's time of day in the reader's zone, to the millisecond (transitions come close together). */
  protected time(iso: string): string {
    return this.i18n.dateTime(new Date(iso), {
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      fractionalSecondDigits: 3,
      hour12: false,
    });
  }
}
