import { Directive } from '@angular/core';
import { defineCustomElement } from '@ionic/core/components/ion-input.js';

/**
 * `<ion-input>` as Ionic's web component, without Ionic's Angular wrapper: the wrapper imports
 * `NgControl` for its forms value accessor, and esbuild then keeps `@angular/forms` in the chunk
 * the app shell shares with the page, before the first screen of every launch
 * (docs/benchmarks.md). Bind its events (`ionInput`, `ionBlur`) and read `value` directly.
 * A directive rather than CUSTOM_ELEMENTS_SCHEMA, so the template still reports unknown elements.
 */
// eslint-disable-next-line @angular-eslint/directive-selector -- it must match the web component's own tag
@Directive({ selector: 'ion-input' })
export class IonInputElement {
  constructor() {
    defineCustomElement();
  }
}
