import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { IonIcon } from '@ionic/angular/ion-icon';
import { addIcons } from 'ionicons';
import { checkmarkCircleOutline, closeOutline, informationCircleOutline, warningOutline } from 'ionicons/icons';

import { sharedEn } from '../../i18n/en/shared';
import { injectI18n } from '../../i18n/i18n';

export type NoticeTone = 'success' | 'info' | 'warning';

const ICONS: Record<NoticeTone, string> = {
  success: 'checkmark-circle-outline',
  info: 'information-circle-outline',
  warning: 'warning-outline',
};

/**
 * A non-blocking message that is not an error: "You're signed out", "You cancelled sign-in",
 * "You're still signed in as …". An icon and a tinted panel whose text keeps at least 4.5:1 in
 * both schemes (the grey `ion-note` it replaces had 2.4:1); announced politely, dismissible.
 */
@Component({
  selector: 'app-notice',
  imports: [IonIcon],
  template: `
    <div class="notice" role="status" [attr.data-tone]="tone()">
      <ion-icon class="icon" [name]="icon()" aria-hidden="true" />
      <div class="text"><ng-content /></div>
      @if (dismissible()) {
        <button
          type="button"
          class="close"
          data-testid="notice-dismiss"
          [attr.aria-label]="i18n.t('common.dismiss')"
          (click)="dismissed.emit()"
        >
          <ion-icon name="close-outline" aria-hidden="true" />
        </button>
      }
    </div>
  `,
  styles: `
    :host {
      display: block;
      margin: 0 0 1rem;
    }
    .notice {
      display: flex;
      align-items: flex-start;
      gap: 0.6rem;
      padding: 0.75rem 0.75rem 0.75rem 1rem;
      border-radius: 8px;
      border: 1px solid var(--notice-border);
      background: var(--notice-background);
      color: var(--notice-text);
      line-height: 1.4;
    }
    .notice[data-tone='success'] {
      --notice-background: #e8f5ec;
      --notice-border: #2e7d4f;
      --notice-text: #14432a;
    }
    .notice[data-tone='info'] {
      --notice-background: #e8f0fe;
      --notice-border: #3b6bd6;
      --notice-text: #16305f;
    }
    .notice[data-tone='warning'] {
      --notice-background: #fff4e0;
      --notice-border: #b26a00;
      --notice-text: #4a2c00;
    }
    @media (prefers-color-scheme: dark) {
      .notice[data-tone='success'] {
        --notice-background: #10291b;
        --notice-border: #5cc48a;
        --notice-text: #d4f5e1;
      }
      .notice[data-tone='info'] {
        --notice-background: #111f3a;
        --notice-border: #7aa2f7;
        --notice-text: #dbe6ff;
      }
      .notice[data-tone='warning'] {
        --notice-background: #2e1f05;
        --notice-border: #f0a733;
        --notice-text: #ffe9c4;
      }
    }
    .icon {
      flex: none;
      font-size: 1.3rem;
      margin-top: 0.05rem;
    }
    .text {
      flex: 1;
      min-width: 0;
      overflow-wrap: anywhere;
    }
    .close {
      flex: none;
      display: inline-flex;
      align-items: center;
      justify-content: center;
      width: 2rem;
      height: 2rem;
      margin: -0.35rem -0.25rem -0.35rem 0;
      border: 0;
      border-radius: 50%;
      background: transparent;
      color: inherit;
      font-size: 1.2rem;
      cursor: pointer;
    }
    .close:focus-visible {
      outline: 3px solid currentColor;
      outline-offset: 1px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Notice {
  readonly tone = input<NoticeTone>('info');
  readonly dismissible = input(true);
  readonly dismissed = output<void>();
  protected readonly i18n = injectI18n(sharedEn);
  protected icon(): string {
    return ICONS[this.tone()];
  }

  constructor() {
    addIcons({ checkmarkCircleOutline, closeOutline, informationCircleOutline, warningOutline });
  }
}
