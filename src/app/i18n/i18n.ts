import { DOCUMENT, effect, inject, Injectable, signal } from '@angular/core';

import { appSettings } from '../app-settings';
import { EN_ERROR_TEXT, type ErrorTextTable } from './auth-text';
import { shellEn } from './en/shell';
import { initialLanguage, LANGUAGE_KEY, type Lang, supportedLanguages } from './language';
import type { MessageKey, Messages, Texts } from './messages';

export interface LanguagePack {
  readonly messages: Messages;
  readonly errorText: ErrorTextTable;
}

type OtherLang = Exclude<Lang, 'en'>;

/**
 * How a language other than English arrives: its own chunk (all its screens' sentences), fetched
 * only when it is chosen or detected, and before the first screen (docs/decisions.md).
 */
const LOADERS: Readonly<Record<OtherLang, () => Promise<LanguagePack>>> = {
  'zh-CN': () => import('./zh-CN/zh-CN').then((m) => ({ messages: m.messages, errorText: m.errorText })),
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
  private readonly packs = signal<Partial<Record<OtherLang, LanguagePack>>>({});
  /**
   * The English sentences of the screens built so far: the shell's (the initial bundle's only
   * ones), then each screen's, added by its components (`injectI18n`) from the lazy chunk they
   * came in. Not a signal: a screen adds its texts before its template first reads them.
   */
  private readonly english: Record<string, string> = { ...shellEn };
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

  /** The pack of the current language; none for English (or while one loads, or when it failed to load). */
  private pack(): LanguagePack | undefined {
    const lang = this.current();
    return lang === 'en' ? undefined : this.packs()[lang];
  }

  /** Adds a screen's English sentences (see `injectI18n`, which screens use). */
  addEnglish(...texts: readonly Texts[]): void {
    for (const part of texts) Object.assign(this.english, part);
  }

  /** The sentence in the reader's language; English when the pack lacks it; the key itself if no screen added it (a bug to see). */
  t(key: MessageKey, params?: Params): string {
    return interpolate(this.pack()?.messages[key] ?? this.english[key] ?? key, params);
  }

  errorText(): ErrorTextTable {
    return this.pack()?.errorText ?? EN_ERROR_TEXT;
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

/** Every key of any of the texts given (a union, where `keyof (A | B)` would keep only the shared ones). */
type KeysOf<T> = T extends unknown ? keyof T & MessageKey : never;

/** The I18n service as a screen sees it: `t` takes only the keys of the texts the screen added. */
export type ScreenI18n<K extends MessageKey> = Omit<I18n, 't'> & { t(key: K, params?: Params): string };

/**
 * The I18n service for a component, with the English sentences it shows added, e.g.
 * `protected readonly i18n = injectI18n(sharedEn, homeEn);`. The sentences come in the
 * component's own (lazy) chunk, so the initial bundle does not carry them; and its `t` takes only
 * their keys, so a key from a file the component did not add is a compile error (strict
 * templates check the template's keys too) rather than a raw key on screen. Call it in a field
 * initializer: the template reads the sentences as soon as it is drawn.
 */
export function injectI18n<T extends readonly Texts[]>(...texts: T): ScreenI18n<KeysOf<T[number]>> {
  const i18n = inject(I18n);
  i18n.addEnglish(...texts);
  return i18n;
}

/** Sets the document's title from a page's title key and the brand's name, following the language. Call in a constructor. */
export function pageTitle(key: MessageKey): void {
  const i18n = inject(I18n);
  const document = inject(DOCUMENT);
  effect(() => {
    document.title = `${i18n.t(key)} · ${appSettings.brand.name}`;
  });
}
