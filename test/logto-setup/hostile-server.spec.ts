/**
 * `npm run logto:setup` in front of a server that is not a well-behaved Logto: credentials never
 * follow a redirect to another origin (the token request carries the M2M secret, the connector
 * request the Aliyun secret), and nothing a server writes can drive the terminal or put a secret
 * on screen (escape sequences in error bodies, a status text echoing the request).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { serverText } from '../../scripts/logto-setup/safe-text.ts';
import { runSetupAgainst, type SetupTarget } from './support/run-setup.ts';

const m2mSecret = 'm2m-secret-for-the-hostile-test';
const aliyunSecret = 'aliyun-secret-for-the-hostile-test';

const hostileTarget = (endpoint: string): SetupTarget => ({
  endpoint,
  m2m: { id: 'm2m', secret: m2mSecret },
  managementResource: 'https://default.logto.app/api',
  aliyunKey: { id: 'LTAI-hostile', secret: aliyunSecret },
});

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

async function listen(handler: Handler): Promise<{ server: Server; port: number; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      requests.push(`${req.method} ${req.url} ${body}`);
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, requests };
}

const json = (res: ServerResponse, status: number, body: unknown, reason?: string) => {
  res.writeHead(status, reason ?? '', { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
};

/** Answers like an empty Logto tenant, with `overrides` per "METHOD path". */
function tenantLike(overrides: Record<string, Handler>): Handler {
  return (req, res, body) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const override = overrides[`${req.method} ${path}`];
    if (override) return override(req, res, body);
    if (req.method === 'POST' && path === '/oidc/token') return json(res, 200, { access_token: 't', expires_in: 3600, scope: 'all' });
    if (req.method === 'GET' && path === '/api/sign-in-exp') return json(res, 200, {});
    if (req.method === 'GET') return json(res, 200, []);
    return json(res, 201, { id: 'created' });
  };
}

describe('npm run logto:setup against a hostile server', () => {
  let elsewhere: Awaited<ReturnType<typeof listen>>;
  const servers: Server[] = [];

  beforeAll(async () => {
    // Another origin a redirect points to: it must never hear from the command.
    elsewhere = await listen((_req, res) => json(res, 200, { access_token: 'stolen', expires_in: 3600, scope: 'all' }));
    servers.push(elsewhere.server);
  });

  afterEach(() => {
    expect(elsewhere.requests).toEqual([]);
  });

  afterAll(async () => {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  });

  async function run(handler: Handler, argv: string[] = []) {
    const hostile = await listen(handler);
    servers.push(hostile.server);
    const { code, out, err } = await runSetupAgainst(argv, hostileTarget(`http://localhost:${hostile.port}`));
    const text = `${out.join('\n')}\n${err.join('\n')}`;
    expect(text).not.toContain(m2mSecret);
    expect(text).not.toContain(aliyunSecret);
    // eslint-disable-next-line no-control-regex -- no control character (but newline) reaches the terminal
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    return { code, err: err.join('\n'), hostile };
  }

  const elsewhereUrl = () => `http://127.0.0.1:${elsewhere.port}/oidc/token`;

  it('does not re-send the token request (M2M secret) to the host a redirect names, and names that host', async () => {
    const { code, err } = await run(
      tenantLike({
        'POST /oidc/token': (_req, res) => res.writeHead(307, { Location: elsewhereUrl() }).end(),
      }),
    );
    expect(code).toBe(1);
    expect(err).toContain(
      `redirected the token request (it carries the M2M app secret) to another host, 127.0.0.1:${elsewhere.port} (307)`,
    );
    expect(err).toContain('Refused: credentials are only ever sent to LOGTO_ENDPOINT');
  });

  it('does not follow a redirect of a Management API request (bearer token), nor of the connector request (Aliyun secret)', async () => {
    const api = await run(
      tenantLike({
        'GET /api/applications': (_req, res) => res.writeHead(302, { Location: `http://127.0.0.1:${elsewhere.port}/api` }).end(),
      }),
    );
    expect(api.code).toBe(1);
    expect(api.err).toContain(`redirected GET /api/applications to another host, 127.0.0.1:${elsewhere.port} (302)`);

    const connector = await run(
      tenantLike({ 'POST /api/connectors': (_req, res) => res.writeHead(308, { Location: `http://127.0.0.1:${elsewhere.port}/c` }).end() }),
    );
    expect(connector.code).toBe(1);
    expect(connector.err).toContain(`redirected POST /api/connectors to another host, 127.0.0.1:${elsewhere.port} (308)`);
    // The test email (config with the Aliyun secret in its body) is refused the same way.
    const test = await run(
      tenantLike({
        'POST /api/connectors/aliyun-direct-mail/test': (_req, res) =>
          res.writeHead(307, { Location: `http://127.0.0.1:${elsewhere.port}/t` }).end(),
      }),
      ['--send-test-email', 'someone@example.com'],
    );
    expect(test.code).toBe(1);
    expect(test.err).toContain('to another host');
    expect(test.hostile.requests.filter((request) => request.startsWith('POST /api/connectors '))).toEqual([]);
  });

  it('strips terminal escape sequences from what the server wrote, and never prints a status text (it may echo the request)', async () => {
    const hostileText = 'Bad\u001b]0;owned\u0007 thing\u001b[2J\u001b[31m red\u009b1m\u0000 end';
    const token = await run(
      tenantLike({
        'POST /oidc/token': (_req, res, body) =>
          json(
            res,
            400,
            { error: 'weird_error\u001b[1m', error_description: hostileText },
            `Echo ${new URLSearchParams(body).get('client_secret')}`,
          ),
      }),
    );
    expect(token.code).toBe(1);
    expect(token.err).toContain('refused the token request (400 weird_error)');
    expect(token.err).toContain('Bad thing red1m end');
    expect(token.err).not.toContain('Echo');

    const api = await run(
      tenantLike({
        'POST /api/resources': (_req, res, body) =>
          json(res, 422, { code: 'resource.\u001b[8mhidden', message: `${hostileText} ${body}` }, `Echo ${aliyunSecret}`),
      }),
    );
    expect(api.code).toBe(1);
    expect(api.err).toMatch(/^Logto refused POST \/api\/resources \(422 resource\.hidden\): Bad thing red1m end/);
    expect(api.err).not.toContain('Echo');
  });

  it('masks a secret the server echoes back in an error body', async () => {
    const { code, err } = await run(
      tenantLike({
        'POST /api/connectors': (_req, res, body) => json(res, 400, { code: 'connector.invalid_config', message: `you sent ${body}` }),
      }),
    );
    expect(code).toBe(1);
    expect(err).toContain('[secret hidden]');
  });

  it('serverText removes C0/C1 controls and ESC sequences (OSC, CSI, DCS) and keeps newlines', () => {
    expect(serverText('a\u001b]8;;http://x\u001b\\link\u001b]8;;\u001b\\b\nc\u0007\u001bPq#0\u001b\\d\u009b2Je')).toBe('alinkb\ncd2Je');
    expect(serverText('x'.repeat(600))).toHaveLength(501);
  });

  it('refuses plain http to a host that is not local: the secret would cross the network in clear', async () => {
    const { code, err } = await runSetupAgainst([], hostileTarget('http://logto.example.com'));
    expect(code).toBe(1);
    expect(err.join('\n')).toBe('LOGTO_ENDPOINT "http://logto.example.com" must use https (plain http only for localhost).');
  });
});
