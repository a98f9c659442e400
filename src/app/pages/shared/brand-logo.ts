import { ChangeDetectionStrategy, Component, input } from '@angular/core';

import { appSettings } from '../../app-settings';

/**
 * The brand's logo (identity.config.json `brand.logo` / `logoDark`), the dark variant under the
 * dark system setting. Decorative next to the brand's name (empty alt), so it is not read twice.
 */
@Component({
  selector: 'app-brand-logo',
  template: `
    <picture>
      @if (logoDark) {
        <source [attr.srcset]="logoDark" media="(prefers-color-scheme: dark)" />
      }
      <img [src]="logo" alt="" [style.width.px]="size()" [style.height.px]="size()" data-testid="brand-logo" />
    </picture>
  `,
  styles: `
    :host {
      display: inline-flex;
      flex: none;
    }
    img {
      display: block;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BrandLogo {
  readonly size = input(28);
  protected readonly logo = appSettings.brand.logo ?? 'assets/icon.svg';
  protected readonly logoDark = appSettings.brand.logoDark;
}
