import { ChangeDetectionStrategy, Component } from '@angular/core';

import { sharedEn } from '../../i18n/en/shared';
import { injectI18n } from '../../i18n/i18n';
import { LANGUAGE_NAMES } from '../../i18n/language';

/**
 * The languages side by side, each in its own name and script ("English · 简体中文"), so a reader
 * finds theirs whatever the screen is in. Plain buttons: no Ionic component to load.
 */
@Component({
  selector: 'app-language-switch',
  template: `
    <div class="languages" role="group" [attr.aria-label]="i18n.t('lang.label')" data-testid="language-switch">
      @for (lang of i18n.supported; track lang) {
        <button
          type="button"
          [attr.lang]="lang"
          [attr.aria-pressed]="i18n.lang() === lang"
          [attr.data-lang]="lang"
          (click)="i18n.use(lang)"
        >
          {{ names[lang] }}
        </button>
      }
    </div>
  `,
  styles: `
    .languages {
      display: flex;
      flex-wrap: wrap;
      justify-content: center;
      gap: 0.25rem 0.5rem;
      margin-top: 2rem;
    }
    button {
      min-height: 2.75rem;
      padding: 0.25rem 0.75rem;
      border: 1px solid transparent;
      border-radius: 6px;
      background: transparent;
      color: var(--ion-color-primary);
      font: inherit;
      font-size: 0.95rem;
      text-decoration: underline;
      cursor: pointer;
    }
    button[aria-pressed='true'] {
      border-color: var(--ion-color-primary);
      color: var(--ion-text-color, #000);
      text-decoration: none;
      font-weight: 600;
    }
    button:focus-visible {
      outline: 3px solid var(--ion-color-primary);
      outline-offset: 2px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LanguageSwitch {
  protected readonly i18n = injectI18n(sharedEn);
  protected readonly names = LANGUAGE_NAMES;
}
