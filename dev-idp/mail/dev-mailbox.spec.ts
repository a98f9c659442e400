import { startIdentityServer, type RunningIdp } from '../factory.ts';
import { authorizationUrl } from '../../test/support/authorization-request.ts';
import { HttpBrowser } from '../../test/support/http-browser.ts';

describe('the dev mailbox', () => {
  let idp: RunningIdp;
  const lines: string[] = [];

  beforeAll(async () => {
    idp = await startIdentityServer({ port: 0, log: (line) => lines.push(line) });
  });

  afterAll(async () => {
    await idp?.stop();
  });

  async function requestCode(email: string): Promise<void> {
    const browser = new HttpBrowser();
    const page = await browser.open(authorizationUrl(idp.issuer, { client_id: idp.appId }));
    await browser.submit(page, 'email', { email });
  }

  async function mailboxJson(query = ''): Promise<{ status: number; contentType: string | null; body: unknown }> {
    const response = await fetch(`${idp.endpoint}/dev/mailbox${query}`, { headers: { accept: 'application/json' } });
    return { status: response.status, contentType: response.headers.get('content-type'), body: await response.json() };
  }

  it('serves every code as JSON, newest first, with exactly the contract fields', async () => {
    const before = Date.now();
    await requestCode('first@example.com');
    await requestCode('second@example.com');

    const { status, contentType, body } = await mailboxJson();
    expect(status).toBe(200);
    expect(contentType).toMatch(/^application\/json/);
    const records = body as Record<string, unknown>[];
    expect(records.map((record) => record['to'])).toEqual(['second@example.com', 'first@example.com']);
    for (const record of records) {
      expect(Object.keys(record).sort()).toEqual(['code', 'sentAt', 'subject', 'to', 'usageType']);
      expect(record['code']).toMatch(/^\d{6}$/);
      // The sign-in page's event, new address or not (as in Logto).
      expect(record['usageType']).toBe('SignIn');
      expect(record['subject']).toContain(String(record['code']));
      expect(new Date(String(record['sentAt'])).toISOString()).toBe(record['sentAt']);
      expect(Date.parse(String(record['sentAt']))).toBeGreaterThanOrEqual(before - 1000);
    }
    expect(idp.mailbox.latestCode('first@example.com')).toBe(records[1]?.['code']);
  });

  it('filters by recipient with ?to=, ignoring case', async () => {
    await requestCode('filtered@example.com');
    const { body } = await mailboxJson('?to=Filtered%40Example.com');
    expect((body as { to: string }[]).map((record) => record.to)).toEqual(['filtered@example.com']);
    expect((await mailboxJson('?to=nobody%40example.com')).body).toEqual([]);
  });

  it('prints each code in the terminal log', async () => {
    await requestCode('printed@example.com');
    const code = idp.mailbox.latestCode('printed@example.com')!;
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`SignIn code ${code} for printed@example.com`)));
  });

  it('serves an HTML page for people by default', async () => {
    await requestCode('html@example.com');
    const response = await fetch(`${idp.endpoint}/dev/mailbox?to=html%40example.com`);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('<h1>Dev mailbox</h1>');
    expect(html).toContain(idp.mailbox.latestCode('html@example.com')!);
    expect(html).not.toContain('first@example.com');
  });

  it('can be cleared by tests', async () => {
    await requestCode('cleared@example.com');
    idp.mailbox.clear();
    expect(idp.mailbox.all()).toEqual([]);
    expect((await mailboxJson()).body).toEqual([]);
  });
});
