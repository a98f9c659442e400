/**
 * The sign-in experience's languages and brand through the local Management API, as
 * `npm run logto:setup` sends them: accepted with Logto's guards, returned, and the languages
 * applied to the local pages (ui_locales, then the browser's language when auto-detecting, then
 * the fallback language).
 */
import { startIdentityServer } from '../factory.ts';
import { managementToken, serverWithManagementToken } from '../../test/support/management-token.ts';

const m2m = { id: 'look-m2m', secret: 'look-m2m-secret-for-tests', managementApiAccess: true };

// A new tenant (no email connector: Logto's rules then refuse an email sign-in experience, not
// colours or languages); the seeded one is checked on its own below.
const server = serverWithManagementToken(m2m);

async function api(method: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${server.idp.endpoint}/api/sign-in-exp`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function langOf(acceptLanguage: string): Promise<string | undefined> {
  const html = await (await fetch(`${server.idp.endpoint}/no-such-page`, { headers: { 'accept-language': acceptLanguage } })).text();
  return /<html lang="([^"]+)">/.exec(html)?.[1];
}

describe("the sign-in experience's languages and brand on the local server", () => {
  it("seeds the local tenant with identity.config.json's languages and colours", async () => {
    const seeded = await startIdentityServer({ port: 0, m2mApps: [m2m], log: () => undefined });
    try {
      const token = await managementToken(seeded, m2m);
      const experience = await fetch(`${seeded.endpoint}/api/sign-in-exp`, { headers: { authorization: `Bearer ${token}` } });
      expect(await experience.json()).toMatchObject({
        languageInfo: { autoDetect: true, fallbackLanguage: 'en' },
        color: { primaryColor: '#3451c9', isDarkModeEnabled: true, darkPrimaryColor: '#9db4ff' },
      });
    } finally {
      await seeded.stop();
    }
  });

  it("accepts and returns colours and logo URLs with Logto's guards", async () => {
    expect((await api('GET')).json).toMatchObject({ languageInfo: { autoDetect: true, fallbackLanguage: 'en' } });
    const patch = {
      color: { primaryColor: '#123456', isDarkModeEnabled: true, darkPrimaryColor: '#abcdef' },
      branding: { logoUrl: 'https://cdn.example.com/logo.svg', darkLogoUrl: 'https://cdn.example.com/logo-dark.svg' },
    };
    expect(await api('PATCH', patch)).toMatchObject({ status: 200, json: patch });
    expect((await api('GET')).json).toMatchObject(patch);
    // Logto's guards: a colour that is not #rrggbb is refused.
    expect((await api('PATCH', { color: { ...patch.color, primaryColor: 'blue' } })).status).toBe(400);
  });

  it("follows languageInfo: the browser's language only while auto-detecting, else the fallback language", async () => {
    expect(await langOf('zh-CN,zh;q=0.9')).toBe('zh-CN');
    expect(await langOf('fr')).toBe('en');
    await api('PATCH', { languageInfo: { autoDetect: false, fallbackLanguage: 'zh-CN' } });
    try {
      expect(await langOf('en-US,en;q=0.9')).toBe('zh-CN');
    } finally {
      await api('PATCH', { languageInfo: { autoDetect: true, fallbackLanguage: 'en' } });
    }
    expect(await langOf('en-US,en;q=0.9')).toBe('en');
  });
});
