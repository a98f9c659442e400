import { ChangeDetectionStrategy, Component, computed, DOCUMENT, inject, signal } from '@angular/core';
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

import { AuthService } from '../../auth/angular';

/**
 * What support needs: the state, the redacted context and the last 100 transitions, plus a
 * JSON report to paste into a bug (emails masked; no tokens, codes, state values or URLs —
 * the machine never holds them and core's redaction scrubs the rest).
 */
@Component({
  selector: 'app-debug',
  imports: [IonHeader, IonToolbar, IonTitle, IonButtons, IonBackButton, IonButton, IonContent, IonIcon, RouterLink],
  templateUrl: './debug.html',
  styleUrl: './debug.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Debug {
  protected readonly auth = inject(AuthService);
  private readonly clipboard = inject(DOCUMENT).defaultView?.navigator.clipboard;

  /** Re-read on every snapshot: the recorder is plain data, the signals say when it changed. */
  protected readonly report = computed(() => {
    this.auth.state();
    this.auth.context();
    return this.auth.recorder.report();
  });
  protected readonly contextJson = computed(() => JSON.stringify(this.report().context, null, 2));
  /** Newest first on screen. */
  protected readonly entries = computed(() => [...this.report().entries].reverse());
  protected readonly copyResult = signal<'copied' | 'shown' | null>(null);
  protected readonly reportJson = signal<string | null>(null);

  constructor() {
    addIcons({ copyOutline });
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

  protected time(iso: string): string {
    return iso.slice(11, 23);
  }
}
