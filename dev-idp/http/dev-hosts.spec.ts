/**
 * The local servers answer only to the development hosts of
 * identity.config.json (421 otherwise), so a DNS-rebinding page cannot read the dev mailbox's
 * codes or make the sign-in pages mail codes; and they warn loudly when bound beyond loopback.
 */
import { request } from 'node:http';
import { createServer } from 'node:net';
import { startIdentityServer, type RunningIdp } from '../factory.ts';
import { loadIdentityConfig } from '../identity-config.ts';
import { startSampleApi, type RunningSampleApi } from '../sample-api.ts';
import { DevHostAllowList, exposureWarning } from './dev-hosts.ts';

interface Answer {
  status: number;
  body: string;
}

/** A request to 127.0.0.1:port naming `host` in its Host header, as a rebinding page's would. */
function get(port: number, path: string, host: string, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { host, accept: 'application/json' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Whether this machine lets a server bind 127.0.0.2. Linux routes all of 127/8 to loopback; macOS
 * and some containers give only 127.0.0.1 unless an alias is added. Asked before the tests are
 * declared, so the bound-address test shows up as skipped, with the reason, instead of passing
 * without checking anything.
 */
async function canBind(host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(0, host, () => server.close(() => resolve(true)));
  });
}
const secondLoopbackBindable = await canBind('127.0.0.2');

describe('development hosts', () => {
  let idp: RunningIdp;
  let api: RunningSampleApi;
  const lines: string[] = [];

  beforeAll(async () => {
    idp = await startIdentityServer({ port: 0, log: (line) => lines.push(line) });
    api = await startSampleApi({ port: 0, issuer: idp.issuer });
  });

  afterAll(async () => {
    await api?.stop();
    await idp?.stop();
  });

  it('keeps the dev hosts in identity.config.json: loopback and the Android emulator', () => {
    expect(loadIdentityConfig().devHosts).toEqual(expect.arrayContaining(['localhost', '127.0.0.1', '::1', '10.0.2.2']));
  });

  it.each(['evil.test', 'localhost.evil.test', 'attacker.example:80', '127.0.0.1.nip.io'])(
    'refuses Host %j at the dev mailbox, the sign-in pages and the OIDC endpoints with 421 and one line',
    async (host) => {
      for (const [path, method] of [
        ['/dev/mailbox', 'GET'],
        ['/sign-in', 'POST'],
        ['/oidc/.well-known/openid-configuration', 'GET'],
        ['/oidc/token', 'POST'],
      ] as const) {
        const answer = await get(idp.port, path, host, method);
        expect(answer.status).toBe(421);
        expect(answer.body).toMatch(
          /^421 Misdirected Request: this development server answers only to localhost, 127\.0\.0\.1, \[::1\], 10\.0\.2\.2 \(devHosts in identity\.config\.json\)\.\n$/,
        );
      }
      expect(lines.some((line) => line.startsWith('[http] 421 for Host'))).toBe(true);
    },
  );

  it('refuses other hosts at the sample API', async () => {
    expect((await get(api.port, '/health', `evil.test:${api.port}`)).status).toBe(421);
    expect((await get(api.port, '/bookshelf', `evil.test:${api.port}`)).status).toBe(421);
  });

  it.each(['localhost', '127.0.0.1', '[::1]', '10.0.2.2', 'LOCALHOST'])(
    'answers %s (this machine, or the Android emulator recipe) on every route',
    async (name) => {
      const mailbox = await get(idp.port, '/dev/mailbox', `${name}:${idp.port}`);
      expect(mailbox.status).toBe(200);
      expect(JSON.parse(mailbox.body)).toEqual(expect.any(Array));
      const discovery = await get(idp.port, '/oidc/.well-known/openid-configuration', `${name}:${idp.port}`);
      expect(discovery.status).toBe(200);
      // The endpoints follow the Host the device used; the issuer stays the configured one.
      expect(JSON.parse(discovery.body)).toMatchObject({ issuer: idp.issuer });
      expect((await get(api.port, '/health', `${name}:3002`)).status).toBe(200);
    },
  );

  it("answers a physical device's LAN address once it is in devHosts", async () => {
    const lan = await startIdentityServer({ port: 0, log: () => undefined, devHosts: [...loadIdentityConfig().devHosts, '192.168.1.20'] });
    try {
      expect((await get(lan.port, '/dev/mailbox', `192.168.1.20:${lan.port}`)).status).toBe(200);
      expect((await get(lan.port, '/dev/mailbox', `192.168.1.21:${lan.port}`)).status).toBe(421);
    } finally {
      await lan.stop();
    }
  });

  (secondLoopbackBindable ? it : it.skip)(
    secondLoopbackBindable
      ? 'answers at the address it is bound to (127.0.0.2)'
      : 'answers at the address it is bound to (SKIPPED: this machine cannot bind 127.0.0.2; add a loopback alias to run it)',
    async () => {
      const bound = await startSampleApi({ port: 0, host: '127.0.0.2', issuer: idp.issuer, log: () => undefined });
      try {
        const answer = await new Promise<number>((resolve, reject) => {
          const req = request(
            { host: '127.0.0.2', port: bound.port, path: '/health', headers: { host: `127.0.0.2:${bound.port}` } },
            (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            },
          );
          req.on('error', reject);
          req.end();
        });
        expect(answer).toBe(200);
      } finally {
        await bound.stop();
      }
    },
  );

  it('warns loudly when bound beyond loopback, and not on loopback', async () => {
    expect(lines.join('\n')).not.toContain('WARNING');
    const warnings: string[] = [];
    const exposed = await startIdentityServer({ port: 0, host: '0.0.0.0', log: (line) => warnings.push(line) });
    await exposed.stop();
    expect(warnings[0]).toMatch(/^!{78}\n!! WARNING: the identity server listens on 0\.0\.0\.0:\d+, beyond this machine\./);
    expect(warnings[0]).toContain('dev mailbox shows every sign-in code');
    expect(exposureWarning('sample API', '192.168.1.20', 3002)).toContain('the sample API listens on 192.168.1.20:3002');
    for (const loopback of ['127.0.0.1', 'localhost', '::1', '127.0.0.2']) {
      expect(exposureWarning('sample API', loopback, 3002)).toBeUndefined();
    }
  });

  it('matches host names, never prefixes or suffixes, and ignores the port', () => {
    const list = new DevHostAllowList(['localhost', '::1']);
    expect(list.allows('localhost:1')).toBe(true);
    expect(list.allows('[::1]:3001')).toBe(true);
    expect(list.allows('localhost.evil.test')).toBe(false);
    expect(list.allows('evil-localhost')).toBe(false);
    expect(list.allows('localhost@evil.test')).toBe(false);
    expect(list.allows(undefined)).toBe(false);
  });
});
