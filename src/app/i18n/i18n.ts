import { DOCUMENT, effect, inject, Injectable, signal } from '@angular/core';

import { appSettings } from '../app-settings';
import { EN_ERROR_TEXT, type ErrorTextTable } from './auth-text';
import { en, type MessageKey, type Messages } from './en';
import { initialLanguage, LANGUAGE_KEY, type Lang, supportedLanguages } from './language';

export interface LanguagePack {
  readonly messages: Messages;
  readonly errorText: ErrorTextTable;
}

const EN_PACK: LanguagePack = { messages: en, errorText: EN_ERROR_TEXT };

/**
 * How a language other than English arrives: its own chunk, fetched only when it is chosen (or
 * detected), so the initial bundle carries English only (docs/decisions.md).
 */
const LOADERS: Readonly<Record<Exclude<Lang, 'en'>, () => Promise<LanguagePack>>> = {
  'zh-CN': () => import('./zh-CN').then((m) => ({ messages: m.messages, errorText: m.errorText })),
};

export type Params = Readonly<Record<string, string | number>>;

/** `{name}` → params.name; a placeholder without a value stays visible rather than vanishing. */
export function interpolate(text: string, params?: Params): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/**
 * The app's language as a signal, and `t(key)` for the screens: reading `t()` in a template or
 * computed re-renders it when the language changes, with no page reload (a runtime switch, which
 * Angular's build-time `$localize` cannot do). Chosen from the device's languages
 * (`navigator.languages`), or from the person's choice, kept in localStorage.
 */
@Injectable({ providedIn: 'root' })
export class I18n {
  private readonly document = inject(DOCUMENT);
  private readonly storage: Storage | null = safeLocalStorage(this.document);
  readonly supported: readonly Lang[] = supportedLanguages(appSettings.languages ?? ['en']);
  private readonly current = signal<Lang>(
    initialLanguage(this.storage, this.document.defaultView?.navigator.languages ?? [], this.supported),
  );
  /** The language the screens are in (a pack still loading keeps the previous one). */
  readonly lang = this.current.asReadonly();
  private readonly packs = signal<Partial<Record<Lang, LanguagePack>>>({ en: EN_PACK });
  private readonly formats = new Map<string, Intl.DateTimeFormat | Intl.RelativeTimeFormat>();

  constructor() {
    this.setDocumentLanguage();
  }

  /**
   * <html lang>: screen readers pick their voice by it, browsers their fonts and hyphenation. Set
   * where the language changes (here and in `use`) rather than by an `effect`, which would bring
   * Angular's effect scheduler into the initial bundle for one attribute.
   */
  private setDocumentLanguage(): void {
    this.document.documentElement.setAttribute('lang', this.current());
  }

  /** The pack of the current language, or English while it loads (or when it failed to load). */
  private pack(): LanguagePack {
    return this.packs()[this.current()] ?? EN_PACK;
  }

  t(key: MessageKey, params?: Params): string {
    return interpolate(this.pack().messages[key] ?? en[key], params);
  }

  errorText(): ErrorTextTable {
    return this.pack().errorText;
  }

  /** Loads the current language's pack; the app waits for it before its first screen (no flash of English). */
  ready(): Promise<boolean> {
    return this.load(this.current());
  }

  /** Switches the language (after its pack arrived) and remembers the choice. False when the pack could not load. */
  async use(lang: Lang): Promise<boolean> {
    if (!this.supported.includes(lang)) return false;
    const loaded = await this.load(lang);
    if (!loaded) return false;
    this.current.set(lang);
    this.setDocumentLanguage();
    try {
      this.storage?.setItem(LANGUAGE_KEY, lang);
    } catch {
      // Storage full or blocked: the choice lasts until the app is closed.
    }
    return true;
  }

  private async load(lang: Lang): Promise<boolean> {
    if (lang === 'en' || this.packs()[lang]) return true;
    try {
      const pack = await LOADERS[lang]();
      this.packs.update((packs) => ({ ...packs, [lang]: pack }));
      return true;
    } catch {
      // Its chunk did not arrive (offline web app): stay in the language on screen.
      return false;
    }
  }

  /** A date and/or time in the reader's language and time zone. */
  dateTime(value: Date | number, options: Intl.DateTimeFormatOptions): string {
    const key = `d:${this.current()}:${JSON.stringify(options)}`;
    let format = this.formats.get(key) as Intl.DateTimeFormat | undefined;
    if (!format) {
      format = new Intl.DateTimeFormat(this.current(), options);
      this.formats.set(key, format);
    }
    return format.format(value);
  }

  /** "in 9 minutes" / "9 分钟后", "3 hours ago" / "3 小时前": `at` relative to `now`. */
  relative(at: number, now: number = Date.now()): string {
    const key = `r:${this.current()}`;
    let format = this.formats.get(key) as Intl.RelativeTimeFormat | undefined;
    if (!format) {
      format = new Intl.RelativeTimeFormat(this.current(), { numeric: 'auto' });
      this.formats.set(key, format);
    }
    const seconds = Math.round((at - now) / 1000);
    const units: [Intl.RelativeTimeFormatUnit, number][] = [
      ['day', 86_400],
      ['hour', 3_600],
      ['minute', 60],
    ];
    for (const [unit, size] of units) {
      if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
    }
    return format.format(seconds, 'second');
  }
}

function safeLocalStorage(document: Document): Storage | null {
  try {
    return document.defaultView?.localStorage ?? null;
  } catch {
    return null;
  }
}

/** Sets the document's title from a page's title key and the brand's name, following the language. Call in a constructor. */
export function pageTitle(key: MessageKey): void {
  const i18n = inject(I18n);
  const document = inject(DOCUMENT);
  effect(() => {
    document.title = `${i18n.t(key)} · ${appSettings.brand.name}`;
  });
}
