/** The languages the app can be read in, and how the first one is chosen. No Angular here: unit-tested as plain functions. */
export type Lang = 'en' | 'zh-CN';

export const KNOWN_LANGUAGES: readonly Lang[] = ['en', 'zh-CN'];

/** Each language's own name for itself: the switch shows it so a reader finds their language. */
export const LANGUAGE_NAMES: Readonly<Record<Lang, string>> = { en: 'English', 'zh-CN': '简体中文' };

/** localStorage key of the language the person chose (kept across launches; the WebView keeps localStorage too). */
export const LANGUAGE_KEY = 'app.language';

/**
 * One BCP 47 tag from the device → a language the app has, or null. `zh`, `zh-CN`, `zh-SG` and
 * every `zh-Hans…` read Simplified Chinese; `zh-TW`, `zh-HK`, `zh-MO` and `zh-Hant…` are
 * Traditional Chinese, which the app does not have (so the next preference decides).
 */
export function matchLanguage(tag: string, supported: readonly Lang[]): Lang | null {
  const parts = tag.trim().toLowerCase().replace(/_/g, '-').split('-');
  const [language, ...rest] = parts;
  let match: Lang | null = null;
  if (language === 'en') match = 'en';
  else if (language === 'zh') {
    const traditional = rest.includes('hant') || (!rest.includes('hans') && ['tw', 'hk', 'mo'].some((region) => rest.includes(region)));
    match = traditional ? null : 'zh-CN';
  }
  return match && supported.includes(match) ? match : null;
}

/** The first of the device's preferred languages the app has; else the first supported (the fallback). */
export function detectLanguage(preferred: readonly string[], supported: readonly Lang[]): Lang {
  for (const tag of preferred) {
    const match = matchLanguage(tag, supported);
    if (match) return match;
  }
  return supported[0] ?? 'en';
}

/** The language chosen before (if still supported), else the device's. */
export function initialLanguage(storage: Pick<Storage, 'getItem'> | null, preferred: readonly string[], supported: readonly Lang[]): Lang {
  let stored: string | null = null;
  try {
    stored = storage?.getItem(LANGUAGE_KEY) ?? null;
  } catch {
    // Storage blocked: the device's languages decide.
  }
  if (stored && (supported as readonly string[]).includes(stored)) return stored as Lang;
  return detectLanguage(preferred, supported);
}

/** The app's languages: identity.config.json's list, in its order, limited to those the app has texts for. */
export function supportedLanguages(configured: readonly string[]): Lang[] {
  const list = configured.filter((tag): tag is Lang => (KNOWN_LANGUAGES as readonly string[]).includes(tag));
  return list.length > 0 ? list : ['en'];
}
