import { Directive, effect, ElementRef, inject, input } from '@angular/core';

/**
 * Where an address may wrap: after "@" and before each dot ("ana.first@example.com" → "ana",
 * ".first@", "example", ".com"). A narrow screen (or 200 % text) then breaks it at its parts,
 * never mid-word as `overflow-wrap: anywhere` did ("example.co" / "m").
 */
export function breakableParts(text: string): string[] {
  return text.split(/(?<=@)|(?=\.)/).filter((part) => part !== '');
}

/**
 * Writes `text` into its element with a <wbr> at each `breakableParts` boundary. Built here rather
 * than in a template, where the template's own line breaks would put spaces into the address.
 * The element's text stays exactly the address (copy, screen readers, tests).
 */
@Directive({ selector: '[appBreakableText]' })
export class BreakableText {
  readonly appBreakableText = input.required<string>();
  private readonly element = inject(ElementRef<HTMLElement>).nativeElement as HTMLElement;

  constructor() {
    effect(() => {
      const document = this.element.ownerDocument;
      const nodes: Node[] = [];
      breakableParts(this.appBreakableText()).forEach((part, index) => {
        if (index > 0) nodes.push(document.createElement('wbr'));
        nodes.push(document.createTextNode(part));
      });
      this.element.replaceChildren(...nodes);
    });
  }
}
