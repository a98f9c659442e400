import { startIdentityServer } from '../factory.ts';
import { authorizationUrl } from '../../test/support/authorization-request.ts';
import { HttpBrowser } from '../../test/support/http-browser.ts';
import { safeLogLine } from './log-line.ts';

describe('log lines', () => {
  it('drop terminal escapes, carriage returns, bells and other control characters, keeping line breaks', () => {
    expect(safeLogLine('[mail] code for a\u001b[2J\u001b[31m@example.com\r\u0007 done\u009b1m')).toBe(
      '[mail] code for a[2J[31m@example.com done1m',
    );
    expect(safeLogLine('first\nsecond\tthird')).toBe('first\nsecond third');
  });

  it('are what the identity server prints, whatever a mail template or a request carries', async () => {
    const lines: string[] = [];
    const escapes = '\u001b[2J\u001b]0;owned\u0007\r';
    const idp = await startIdentityServer({
      port: 0,
      log: (line) => lines.push(line),
      mail: { name: 'template-test', send: async () => ({ subject: `Your code${escapes}` }) },
    });
    try {
      const browser = new HttpBrowser();
      const page = await browser.open(authorizationUrl(idp.issuer, { client_id: idp.appId }));
      await browser.submit(page, 'email', { email: 'escapes@example.com' });
      const mailLine = lines.find((line) => line.startsWith('[mail]'));
      expect(mailLine).toContain('subject "Your code[2J]0;owned"');
      // eslint-disable-next-line no-control-regex
      expect(lines.filter((line) => /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/.test(line))).toEqual([]);
    } finally {
      await idp.stop();
    }
  });
});
