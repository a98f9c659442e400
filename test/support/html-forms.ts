/** A form as a person (or the headless browser) sees it: where it posts and what it holds. */
export interface HtmlForm {
  readonly action: string;
  readonly method: 'GET' | 'POST';
  readonly fields: ReadonlyMap<string, string>;
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'", nbsp: ' ' };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (match, entity: string) => {
    if (entity.startsWith('#x') || entity.startsWith('#X')) {
      return String.fromCodePoint(parseInt(entity.slice(2), 16));
    }
    if (entity.startsWith('#') && entity !== '#39') {
      return String.fromCodePoint(Number(entity.slice(1)));
    }
    return entities[entity.toLowerCase()] ?? match;
  });
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  const value = match?.[1] ?? match?.[2] ?? match?.[3];
  return value === undefined ? undefined : decodeEntities(value);
}

/** The forms of a page (our pages and oidc-provider's are simple, well-formed HTML). */
export function parseForms(html: string): HtmlForm[] {
  const forms: HtmlForm[] = [];
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const [, openTag = '', inner = ''] = match;
    const fields = new Map<string, string>();
    for (const input of inner.matchAll(/<input\b[^>]*>/gi)) {
      const name = attribute(input[0], 'name');
      if (name) {
        fields.set(name, attribute(input[0], 'value') ?? '');
      }
    }
    forms.push({
      action: attribute(` ${openTag}`, 'action') ?? '',
      method: (attribute(` ${openTag}`, 'method') ?? 'GET').toUpperCase() === 'POST' ? 'POST' : 'GET',
      fields,
    });
  }
  return forms;
}

/** A page whose script submits its form at once (oidc-provider's form_post, the sign-out page). */
export function isAutoSubmitting(html: string): boolean {
  // The sign-out page marks its form (its script is a file: the pages' policy runs no inline script).
  return /<script\b[^>]*>[\s\S]*?\.submit\(\)[\s\S]*?<\/script>/i.test(html) || /<form\b[^>]*\bdata-auto-submit\b/i.test(html);
}

/** The text a person reads: no tags, scripts or styles, whitespace collapsed. */
export function pageText(html: string): string {
  return decodeEntities(
    html
      // A line-break opportunity (<wbr>) is no space: an address stays one word.
      .replace(/<wbr\s*\/?>/gi, '')
      .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  );
}
