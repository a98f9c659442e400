import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { handleCors, OriginAllowList } from './http/cors.ts';
import { devHostsFor, exposureWarning, refuseMisdirected } from './http/dev-hosts.ts';
import { sendJson } from './http/http-util.ts';
import { loadIdentityConfig } from './identity-config.ts';
import { bookshelfFor } from './sample-api/bookshelf.ts';

export interface SampleApiOptions {
  /** 0 = a free port; default 3002 (identity.config.json ports.api) */
  port?: number;
  host?: string;
  /** The identity server's issuer, e.g. http://localhost:3001/oidc (or a Logto tenant's). */
  issuer: string;
  /** Default `${issuer}/jwks` */
  jwksUri?: string;
  /** The API resource indicator = the access token audience. */
  resource?: string;
  requiredScope?: string;
  appOrigins?: string[];
  /** Host names it answers to (421 otherwise); default identity.config.json devHosts, plus a specific bind address. */
  devHosts?: string[];
  log?: (line: string) => void;
}

export interface RunningSampleApi {
  url: string;
  port: number;
  stop(): Promise<void>;
}

type Verdict =
  | { readonly ok: true; readonly payload: JWTPayload }
  | { readonly ok: false; readonly status: 401 | 403 | 503; readonly error: string; readonly description: string };

// Asymmetric algorithms only: a Logto tenant signs with ES384 by default, RS256 when configured.
const algorithms = ['ES384', 'ES256', 'ES512', 'RS256', 'PS256', 'EdDSA'];

/**
 * The sample protected API (Logto's "protect your API" in miniature): GET /bookshelf with a
 * bearer JWT access token whose issuer, audience (= the resource), expiry, signature (the
 * identity server's JWKS) and scope check out; 401/403 with WWW-Authenticate otherwise.
 */
export async function startSampleApi(options: SampleApiOptions): Promise<RunningSampleApi> {
  const config = loadIdentityConfig();
  const resource = options.resource ?? 'https://api.bookstore.local';
  const requiredScope = options.requiredScope ?? 'read:books';
  const origins = new OriginAllowList(options.appOrigins ?? config.appOrigins);
  const log = options.log ?? (() => undefined);
  const jwks = createRemoteJWKSet(new URL(options.jwksUri ?? `${options.issuer}/jwks`), {
    timeoutDuration: 5000,
    // Short, so a restarted identity server's new key is picked up at once.
    cooldownDuration: 1000,
  });

  async function verify(req: IncomingMessage): Promise<Verdict> {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!match?.[1]) {
      return { ok: false, status: 401, error: 'invalid_token', description: 'Missing bearer access token' };
    }
    try {
      const { payload } = await jwtVerify(match[1], jwks, {
        issuer: options.issuer,
        audience: resource,
        algorithms,
        typ: 'at+jwt',
        requiredClaims: ['sub', 'exp'],
      });
      const scopes = typeof payload['scope'] === 'string' ? payload['scope'].split(' ') : [];
      if (!scopes.includes(requiredScope)) {
        return { ok: false, status: 403, error: 'insufficient_scope', description: `The access token lacks the ${requiredScope} scope` };
      }
      return { ok: true, payload };
    } catch (error) {
      return rejection(error);
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (handleCors(req, res, origins, { methods: 'GET', exposeHeaders: 'WWW-Authenticate' })) {
      return;
    }
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method === 'GET' && path === '/health') {
      sendJson(res, 200, { status: 'ok', resource });
      return;
    }
    if (req.method !== 'GET' || path !== '/bookshelf') {
      sendJson(res, 404, { error: 'not_found' });
      return;
    }
    const verdict = await verify(req);
    if (!verdict.ok) {
      log(`[api] ${verdict.status} ${verdict.error}: ${verdict.description}`);
      const challenge: Record<string, string> =
        verdict.status === 503
          ? {}
          : {
              'WWW-Authenticate': `Bearer realm="${resource}", error="${verdict.error}", error_description="${verdict.description.replaceAll('"', "'")}"${
                verdict.status === 403 ? `, scope="${requiredScope}"` : ''
              }`,
            };
      sendJson(res, verdict.status, { error: verdict.error, error_description: verdict.description }, challenge);
      return;
    }
    const owner = String(verdict.payload.sub);
    sendJson(res, 200, { owner, books: bookshelfFor(owner) });
  }

  const host = options.host ?? '127.0.0.1';
  const devHosts = devHostsFor(options.devHosts ?? config.devHosts, host);
  const server = createServer((req, res) => {
    res.setHeader('Connection', 'close'); // see factory.ts: restarts on the same port
    if (refuseMisdirected(req, res, devHosts, log)) {
      return;
    }
    handle(req, res).catch((error: unknown) => {
      log(`[api] ${req.method} ${req.url} failed: ${(error as Error).message}`);
      if (!res.headersSent) {
        sendJson(res, 500, { error: 'server_error' });
      }
    });
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? config.ports.api, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
  const url = `http://localhost:${port}`;
  const warning = exposureWarning('sample API', host, port);
  if (warning) {
    // Loud even when the caller keeps the API quiet (its log defaults to nothing).
    (options.log ?? console.warn)(warning);
  }
  log(`[api] listening on ${url} (resource ${resource}, issuer ${options.issuer})`);

  let stopped: Promise<void> | undefined;
  return {
    url,
    port,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}

function rejection(error: unknown): Verdict {
  const invalid = (description: string): Verdict => ({ ok: false, status: 401, error: 'invalid_token', description });
  if (error instanceof errors.JWTExpired) {
    return invalid('The access token expired');
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    return invalid(
      error.claim === 'aud'
        ? 'The access token is not for this API (wrong audience)'
        : error.claim === 'iss'
          ? 'The access token was issued by another server'
          : `The access token's ${error.claim} claim is not valid`,
    );
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return invalid('The access token signature does not verify');
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return invalid('The access token was not signed by a key of the identity server');
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return invalid('The access token uses a signing algorithm this API does not accept');
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) {
    return invalid('The access token is malformed');
  }
  // The key set could not be fetched: the identity server is down, not the token bad.
  return { ok: false, status: 503, error: 'temporarily_unavailable', description: 'Cannot reach the identity server to verify the token' };
}
