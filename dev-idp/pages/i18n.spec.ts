/**
 * The identity pages in English and Simplified Chinese: every text has its translation, and a
 * page asked for in Chinese (the app's `ui_locales`, or the browser's `Accept-Language`) carries
 * no English sentence of the pages.
 */
import { authorizationUrl } from '../../test/support/authorization-request.ts';
import { HttpBrowser } from '../../test/support/http-browser.ts';
import { useIdentityServer } from '../../test/support/identity-server.ts';
import { messages, negotiateLocale, type MessageKey } from './i18n.ts';

const english = messages.en;
const chinese = messages['zh-CN'];

describe('the identity pages in two languages', () => {
  it('has a Chinese text for every English one, different from the English', () => {
    const keys = Object.keys(english) as MessageKey[];
    const untranslated = keys.filter((key) => !chinese[key]?.trim() || chinese[key] === english[key]);
    expect(untranslated).toEqual([]);
    expect(Object.keys(chinese).sort()).toEqual([...keys].sort());
    // The same placeholders in both.
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
    expect(keys.filter((key) => placeholders(english[key]).join() !== placeholders(chinese[key]).join())).toEqual([]);
  });

  it.each([
    ['zh-CN', undefined, 'zh-CN'],
    ['zh', undefined, 'zh-CN'],
    ['zh-Hans-CN en', undefined, 'zh-CN'],
    ['fr zh-CN', 'en', 'zh-CN'],
    ['en', 'zh-CN', 'en'],
    [undefined, 'zh-CN,zh;q=0.9,en;q=0.8', 'zh-CN'],
    [undefined, 'en;q=0.5, zh-CN;q=0.9', 'zh-CN'],
    [undefined, 'zh-TW,en;q=0.8', 'en'],
    ['fr', 'de', 'en'],
    [undefined, undefined, 'en'],
  ])('ui_locales %j, Accept-Language %j → %s', (uiLocales, acceptLanguage, expected) => {
    expect(negotiateLocale(uiLocales, acceptLanguage)).toBe(expected);
  });

  describe('served', () => {
    const server = useIdentityServer();

    /** English sentences of the pages (longer ones: short words like "Email" could be part of an address). */
    const englishSentences = Object.values(english)
      .flatMap((text) => text.split(/\{\w+\}/))
      .map((part) => part.trim())
      .filter((part) => part.length >= 12);

    function englishIn(text: string): string[] {
      return englishSentences.filter((sentence) => text.includes(sentence));
    }

    it('shows the sign-in, code, expired and error pages in Chinese when the app asks (ui_locales), lang="zh-CN"', async () => {
      const browser = new HttpBrowser();
      const email = await browser.open(authorizationUrl(server.idp.issuer, { client_id: server.idp.appId, ui_locales: 'zh-CN' }));
      expect(email.html).toContain('<html lang="zh-CN">');
      expect(email.text).toContain('通过邮箱继续');
      expect(englishIn(email.text)).toEqual([]);

      const code = await browser.submit(email, 'email', { email: 'zh@example.com' });
      expect(code.html).toContain('<html lang="zh-CN">');
      expect(code.text).toContain('输入验证码');
      expect(englishIn(code.text)).toEqual([]);
      expect(code.html).toContain('data-t-checking="正在验证…"');

      const wrong = await browser.submit(code, 'code', {
        code: server.idp.mailbox.latestCode('zh@example.com') === '000000' ? '111111' : '000000',
      });
      expect(wrong.text).toContain('验证码不正确');
      expect(englishIn(wrong.text)).toEqual([]);

      const error = await new HttpBrowser().open(`${server.idp.issuer}/auth?client_id=unknown-app&ui_locales=zh-CN`);
      expect(error.html).toContain('<html lang="zh-CN">');
      expect(error.text).toContain('无法继续登录');
      expect(englishIn(error.text)).toEqual([]);
    });

    it('keeps the language of the sign-in request on the pages after it (signed out), as Logto does with its _logto cookie', async () => {
      const browser = new HttpBrowser();
      await browser.open(authorizationUrl(server.idp.issuer, { client_id: server.idp.appId, ui_locales: 'zh-CN' }));
      // Sign-out without a session: oidc-provider's self-submitting form, then "signed out".
      const signedOut = await browser.open(`${server.idp.issuer}/session/end?client_id=${server.idp.appId}`);
      expect(signedOut.html).toContain('<html lang="zh-CN">');
      expect(signedOut.text).toContain('你已退出登录');
      // A later request without ui_locales forgets it.
      await browser.open(authorizationUrl(server.idp.issuer, { client_id: server.idp.appId }));
      expect((await browser.open(`${server.idp.issuer}/session/end?client_id=${server.idp.appId}`)).text).toContain('You are signed out');
    });

    it("follows the browser's Accept-Language when the app sends no ui_locales, else English", async () => {
      for (const [acceptLanguage, lang, heading] of [
        ['zh-CN,zh;q=0.9', 'zh-CN', '页面不存在'],
        ['fr-FR,fr;q=0.9', 'en', 'Page not found'],
      ] as const) {
        const response = await fetch(`${server.idp.endpoint}/no-such-page`, { headers: { 'accept-language': acceptLanguage } });
        const html = await response.text();
        expect(html).toContain(`<html lang="${lang}">`);
        expect(html).toContain(heading);
      }
      const session = await fetch(`${server.idp.endpoint}/verify`, { headers: { 'accept-language': 'zh-CN' } });
      const expired = await session.text();
      expect(expired).toContain('此登录页面已过期');
      expect(englishIn(expired.replace(/<style>[\s\S]*?<\/style>/, ''))).toEqual([]);
    });
  });
});
