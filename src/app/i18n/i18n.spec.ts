import { DOCUMENT } from '@angular/core';
import { TestBed } from '@angular/core/testing';

import { AUTH_ERROR_TEXT, AUTH_NOTICE_TEXT, authError, cancelledNotice } from '../auth/core';
import { EN_ERROR_TEXT, errorMessage, errorTitle } from './auth-text';
import { callbackEn } from './en/callback';
import { debugEn } from './en/debug';
import { homeEn } from './en/home';
import { sharedEn } from './en/shared';
import { shellEn } from './en/shell';
import { signInEn } from './en/sign-in';
import { I18n, injectI18n, interpolate } from './i18n';
import { detectLanguage, initialLanguage, LANGUAGE_KEY, matchLanguage, supportedLanguages } from './language';
import type { MessageKey, Messages } from './messages';
import { errorText as zhErrors, messages as zh } from './zh-CN/zh-CN';

/** Every screen's English: the files of en/ together. */
const en: Messages = { ...shellEn, ...sharedEn, ...signInEn, ...callbackEn, ...homeEn, ...debugEn };

const BOTH = ['en', 'zh-CN'] as const;
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('language from the device', () => {
  it.each([
    ['zh', 'zh-CN'],
    ['zh-CN', 'zh-CN'],
    ['zh-cn', 'zh-CN'],
    ['zh_CN', 'zh-CN'],
    ['zh-Hans', 'zh-CN'],
    ['zh-Hans-CN', 'zh-CN'],
    ['zh-Hans-HK', 'zh-CN'],
    ['zh-SG', 'zh-CN'],
    ['en', 'en'],
    ['en-US', 'en'],
    ['en-GB', 'en'],
  ])('reads %s as %s', (tag, lang) => {
    expect(matchLanguage(tag, BOTH)).toBe(lang);
  });

  it.each(['zh-TW', 'zh-HK', 'zh-Hant', 'zh-Hant-TW', 'fr', 'de-DE', ''])('has no language for %s', (tag) => {
    expect(matchLanguage(tag, BOTH)).toBeNull();
  });

  it('takes the first preference the app has, else the fallback (the first supported)', () => {
    expect(detectLanguage(['fr-FR', 'zh-Hans-CN', 'en'], BOTH)).toBe('zh-CN');
    expect(detectLanguage(['zh-TW', 'en-US'], BOTH)).toBe('en');
    expect(detectLanguage(['fr', 'de'], BOTH)).toBe('en');
    expect(detectLanguage([], BOTH)).toBe('en');
    expect(detectLanguage(['zh-CN'], ['en'])).toBe('en');
  });

  it('prefers the choice kept in storage over the device, unless it is not supported any more', () => {
    const storage = (value: string | null) => ({ getItem: (key: string) => (key === LANGUAGE_KEY ? value : null) });
    expect(initialLanguage(storage('zh-CN'), ['en-US'], BOTH)).toBe('zh-CN');
    expect(initialLanguage(storage('en'), ['zh-CN'], BOTH)).toBe('en');
    expect(initialLanguage(storage('klingon'), ['zh-CN'], BOTH)).toBe('zh-CN');
    expect(initialLanguage(storage(null), ['zh-CN'], BOTH)).toBe('zh-CN');
    const blocked = {
      getItem: () => {
        throw new Error('SecurityError');
      },
    };
    expect(initialLanguage(blocked, ['zh'], BOTH)).toBe('zh-CN');
  });

  it('offers the configured languages the app has texts for, in the configured order', () => {
    expect(supportedLanguages(['zh-CN', 'en'])).toEqual(['zh-CN', 'en']);
    expect(supportedLanguages(['en', 'fr', 'zh-CN'])).toEqual(['en', 'zh-CN']);
    expect(supportedLanguages(['fr'])).toEqual(['en']);
  });
});

describe('the Chinese pack', () => {
  it('translates every English key, with the same placeholders, and nothing else', () => {
    const missing = (Object.keys(en) as MessageKey[]).filter((key) => typeof zh[key] !== 'string' || zh[key].trim() === '');
    expect(missing).toEqual([]);
    expect(Object.keys(zh).filter((key) => !(key in en))).toEqual([]);
    const mismatched = (Object.keys(en) as MessageKey[]).filter((key) => placeholders(en[key]).join() !== placeholders(zh[key]).join());
    expect(mismatched).toEqual([]);
  });

  it('has a title and sentence for every error kind, every code core words, and every notice', () => {
    for (const [kind, text] of Object.entries(AUTH_ERROR_TEXT)) {
      const translated = zhErrors.kinds[kind as keyof typeof AUTH_ERROR_TEXT] as {
        title: string;
        message: string;
        codes?: Record<string, string>;
      };
      expect(translated?.title).toBeTruthy();
      expect(translated?.message).toBeTruthy();
      expect(Object.keys(translated.codes ?? {}).sort()).toEqual(Object.keys(text.codes ?? {}).sort());
    }
    expect(Object.keys(zhErrors.notices).sort()).toEqual(Object.keys(AUTH_NOTICE_TEXT).sort());
  });
});

describe('auth errors at the screen edge', () => {
  it("shows core's English sentence unchanged in English", () => {
    const error = authError({ kind: 'invalid_callback', code: 'oidc.invalid_grant', step: 'callback' });
    expect(errorMessage(error, EN_ERROR_TEXT)).toBe(error.message);
    expect(errorTitle(error, EN_ERROR_TEXT)).toBe('The sign-in response was not valid');
  });

  it("picks the code's own sentence, its family's, or the kind's in Chinese", () => {
    expect(errorMessage(authError({ kind: 'invalid_callback', code: 'oidc.invalid_grant', step: 'callback' }), zhErrors)).toBe(
      '此登录链接已过期或已被使用。请重新登录。',
    );
    expect(errorMessage(authError({ kind: 'invalid_callback', code: 'id_token.invalid_signature', step: 'callback' }), zhErrors)).toBe(
      '无法验证登录响应。',
    );
    expect(errorMessage(authError({ kind: 'network', code: 'network_error', step: 'redirect' }), zhErrors)).toBe(
      zhErrors.kinds.network.message,
    );
    expect(errorTitle(authError({ kind: 'network', code: 'network_error', step: 'redirect' }), zhErrors)).toBe('请检查网络连接');
  });

  it("translates notices core worded for one situation, and keeps a provider's own description", () => {
    expect(errorMessage(cancelledNotice('user_cancelled', false), zhErrors)).toBe('你取消了登录。');
    expect(errorMessage(cancelledNotice('browser_closed', true), zhErrors)).toBe('登录页面在你完成前被关闭了。');
    const refused = authError({
      kind: 'access_denied',
      code: 'oidc.access_denied',
      step: 'callback',
      message: `${AUTH_NOTICE_TEXT.providerRefused}: user denied`,
      retry: 'none',
    });
    expect(errorMessage(refused, zhErrors)).toBe('身份提供方拒绝了登录：user denied');
  });

  it('keeps a sentence it has no translation for rather than lose what it says', () => {
    const odd = authError({ kind: 'unknown', code: 'x', step: 'session', message: 'A sentence of its own.' });
    expect(errorMessage(odd, zhErrors)).toBe('A sentence of its own.');
  });
});

describe('I18n service', () => {
  function service(languages: readonly string[], stored?: string): { i18n: I18n; document: Document } {
    localStorage.clear();
    if (stored) localStorage.setItem(LANGUAGE_KEY, stored);
    Object.defineProperty(navigator, 'languages', { configurable: true, get: () => languages });
    TestBed.configureTestingModule({});
    return { i18n: TestBed.inject(I18n), document: TestBed.inject(DOCUMENT) };
  }

  afterEach(() => {
    TestBed.resetTestingModule();
    localStorage.clear();
  });

  it('starts in English for an English device, with <html lang="en">', () => {
    const { i18n, document } = service(['en-US', 'en']);
    TestBed.tick();
    expect(i18n.lang()).toBe('en');
    expect(i18n.t('shell.chunkFailed.retry')).toBe('Retry');
    expect(document.documentElement.getAttribute('lang')).toBe('en');
  });

  it("has only the shell's English at start; a screen's English arrives with the screen's components", () => {
    const { i18n } = service(['en-US']);
    // Not added yet: the key shows, so a component that forgot its texts is seen at once.
    expect(i18n.t('signIn.continue')).toBe('signIn.continue');
    const screen = TestBed.runInInjectionContext(() => injectI18n(sharedEn, signInEn));
    expect(screen).toBe(i18n);
    expect(screen.t('signIn.continue')).toBe('Continue');
    expect(screen.t('common.cancel')).toBe('Cancel');
    // A screen's `t` takes only the keys of the texts it added: another screen's is a compile error.
    // @ts-expect-error: 'home.title' is in en/home.ts, which this screen did not add.
    expect(screen.t('home.title')).toBe('home.title');
  });

  it('starts in Chinese for a Chinese device once its pack is loaded, and <html lang> follows', async () => {
    const { i18n, document } = service(['zh-CN', 'en']);
    expect(i18n.lang()).toBe('zh-CN');
    // The whole Chinese pack: every screen's sentences, none of them added by a screen.
    expect(await i18n.ready()).toBe(true);
    TestBed.tick();
    expect(i18n.t('signIn.continue')).toBe('继续');
    expect(i18n.t('home.signedInAs', { name: 'ana@example.com' })).toBe('已登录为 ana@example.com。');
    expect(document.documentElement.getAttribute('lang')).toBe('zh-CN');
  });

  it('switches at run time and keeps the choice for the next launch', async () => {
    const { i18n } = service(['en-US']);
    const screen = TestBed.runInInjectionContext(() => injectI18n(signInEn));
    expect(screen.t('signIn.title')).toBe('Sign in');
    expect(await i18n.use('zh-CN')).toBe(true);
    expect(screen.t('signIn.title')).toBe('登录');
    expect(await i18n.use('en')).toBe(true);
    expect(screen.t('signIn.title')).toBe('Sign in');
    expect(await i18n.use('zh-CN')).toBe(true);
    expect(localStorage.getItem(LANGUAGE_KEY)).toBe('zh-CN');
    TestBed.resetTestingModule();
    const next = service(['en-US'], 'zh-CN').i18n;
    expect(next.lang()).toBe('zh-CN');
  });

  it("says relative times and dates in the reader's language", async () => {
    const { i18n } = service(['en']);
    const now = Date.UTC(2026, 11, 7, 9, 0, 0);
    expect(i18n.relative(now + 9 * 60_000, now)).toBe('in 9 minutes');
    expect(i18n.relative(now - 3 * 3_600_000, now)).toBe('3 hours ago');
    await i18n.use('zh-CN');
    expect(i18n.relative(now + 9 * 60_000, now)).toBe('9分钟后');
    expect(i18n.dateTime(now, { dateStyle: 'long', timeZone: 'UTC' })).toBe('2026年12月7日');
  });

  it('fills placeholders and leaves an unknown one visible', () => {
    expect(interpolate('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });
});
