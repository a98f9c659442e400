import { Directive, effect, ElementRef, inject, input } from '@angular/core';
import { libraryOutline, logOutOutline, personCircleOutline, swapHorizontalOutline } from 'ionicons/icons';

/** The icons of home's buttons (ionicons' SVG data, no addIcons registry). */
const HOME_ICONS = {
  logOut: logOutOutline,
  swap: swapHorizontalOutline,
  personCircle: personCircleOutline,
  library: libraryOutline,
} as const;

export type HomeIconName = keyof typeof HOME_ICONS;

/**
 * `<ion-icon appHomeIcon="logOut">`: sets the icon's SVG on the element. A directive used only
 * inside home's `@defer` blocks loads with them, so the icons' data (≈ 7 kB raw) is not part of
 * what the first screen downloads (docs/benchmarks.md); bound as `[icon]` on the page it was.
 */
@Directive({ selector: 'ion-icon[appHomeIcon]' })
export class HomeIcon {
  readonly appHomeIcon = input.required<HomeIconName>();

  constructor() {
    const element = inject<ElementRef<HTMLElement & { icon?: string }>>(ElementRef).nativeElement;
    effect(() => {
      element.icon = HOME_ICONS[this.appHomeIcon()];
    });
  }
}
