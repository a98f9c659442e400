/**
 * A token endpoint faked at the requester level (a `fetch` function), for the adapter's unit-level
 * tests: discovery, JWKS, authorization-code grant with PKCE, refresh grant with rotation (a reused
 * refresh token kills the grant, like oidc-provider), userinfo, revocation. ID tokens are real
 * ES384 JWTs so the adapter's verifier runs for real. Integration tests use the real identity
 * server instead (test/integration).
 */
import { createHash, randomBytes } from 'node:crypto';

import { SignJWT, exportJWK, generateKeyPair, type JWK } from 'jose';

import type { Person } from '../native-shell/shell.ts';

type Mode = 'online' | 'offline' | 'hang';

interface Grant {
  readonly sub: string;
  alive: boolean;
}

interface RefreshToken {
  readonly grant: Grant;
  used: boolean;
}

function zeroCounters() {
  return { tokenRequests: 0, codeGrants: 0, refreshGrants: 0, refreshInFlight: 0, maxConcurrentRefresh: 0, revocations: 0, userinfo: 0 };
}

export class FakeIdp {
  readonly endpoint = 'https://idp.example.test';
  readonly issuer = `${this.endpoint}/oidc`;
  readonly appId = 'bookstore-dev';
  /** Every token, code and verifier the fake saw or issued: nothing of these may leak. */
  readonly secrets = new Set<string>();
  readonly requests: string[] = [];
  counters = zeroCounters();
  /** Network state seen by the app. */
  mode: Mode = 'online';
  /** Token endpoint answers 500 while set. */
  tokenError500 = false;
  /** How long a refresh grant takes (lets overlapping grants be observed). */
  refreshDelayMs = 15;
  accessTokenTtl = 3600;
  /** Refresh grant requests: resource and organization of each (pass-through checks). */
  readonly refreshParams: Array<{ resource: string | null; organizationId: string | null }> = [];

  readonly #codes = new Map<string, { challenge: string; redirectUri: string; sub: string; email: string; grant: Grant }>();
  readonly #refreshTokens = new Map<string, RefreshToken>();
  readonly #accessTokens = new Map<string, Grant>();
  #key!: { privateKey: CryptoKey; jwk: JWK };

  static async start(): Promise<FakeIdp> {
    const idp = new FakeIdp();
    const { privateKey, publicKey } = await generateKeyPair('ES384');
    idp.#key = { privateKey, jwk: { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES384', use: 'sig' } };
    return idp;
  }

  resetCounters(): void {
    this.counters = zeroCounters();
    this.requests.length = 0;
    this.refreshParams.length = 0;
  }

  /** Server-side revocation of every grant (an admin ended the sessions). */
  revokeAll(): void {
    for (const rt of this.#refreshTokens.values()) rt.grant.alive = false;
  }

  /** Issue a complete session as if a sign-in had happened (for token-layer tests). */
  async issueSession(sub = 'user-1', email = 'jane@example.com', resources: Record<string, number> = {}) {
    const grant: Grant = { sub, alive: true };
    const refreshToken = this.#secret('rt');
    this.#refreshTokens.set(refreshToken, { grant, used: false });
    const idToken = await this.#idToken(sub, email);
    const now = Math.round(Date.now() / 1000);
    const map: Record<string, { token: string; scope: string; expiresAt: number }> = {};
    for (const [resource, expiresIn] of Object.entries(resources)) {
      const token = this.#secret('at');
      this.#accessTokens.set(token, grant);
      map[`@${resource}`] = { token, scope: 'read:books', expiresAt: now + expiresIn };
    }
    return { idToken, refreshToken, accessTokenMap: map };
  }

  /** A person who signs in at once (or is refused), answering with the redirect the server would send. */
  person(options: { sub?: string; email?: string; deny?: boolean } = {}): Person {
    return (url: string) => {
      const auth = new URL(url);
      const state = auth.searchParams.get('state') ?? '';
      const redirectUri = auth.searchParams.get('redirect_uri') ?? '';
      if (options.deny) {
        const query = new URLSearchParams({ error: 'access_denied', error_description: 'The person declined the request.', state });
        return { kind: 'redirect', url: `${redirectUri}?${query.toString()}` };
      }
      return { kind: 'redirect', url: this.authorize(auth, options.sub ?? 'user-1', options.email ?? 'jane@example.com') };
    };
  }

  /** What the authorization endpoint would redirect to for this request. */
  authorize(auth: URL, sub: string, email: string): string {
    const code = this.#secret('code');
    const redirectUri = auth.searchParams.get('redirect_uri') ?? '';
    this.#codes.set(code, {
      challenge: auth.searchParams.get('code_challenge') ?? '',
      redirectUri,
      sub,
      email,
      grant: { sub, alive: true },
    });
    const query = new URLSearchParams({ code, state: auth.searchParams.get('state') ?? '', iss: this.issuer });
    return `${redirectUri}?${query.toString()}`;
  }

  readonly fetch = async (input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    this.requests.push(url.pathname);
    if (this.mode === 'offline') throw new TypeError('fetch failed');
    if (this.mode === 'hang') {
      return new Promise<Response>((_, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new DOMException('The operation was aborted.', 'AbortError')));
      });
    }
    switch (url.pathname) {
      case '/oidc/.well-known/openid-configuration':
        return json({
          issuer: this.issuer,
          authorization_endpoint: `${this.issuer}/auth`,
          token_endpoint: `${this.issuer}/token`,
          userinfo_endpoint: `${this.issuer}/me`,
          jwks_uri: `${this.issuer}/jwks`,
          end_session_endpoint: `${this.issuer}/session/end`,
          revocation_endpoint: `${this.issuer}/token/revocation`,
        });
      case '/oidc/jwks':
        return json({ keys: [this.#key.jwk] });
      case '/oidc/token':
        return this.#token(new URLSearchParams(String(init?.body ?? '')));
      case '/oidc/me':
        return this.#userinfo(new Headers(init?.headers).get('authorization') ?? '');
      case '/oidc/token/revocation': {
        this.counters.revocations += 1;
        const token = new URLSearchParams(String(init?.body ?? '')).get('token') ?? '';
        const rt = this.#refreshTokens.get(token);
        if (rt) rt.grant.alive = false;
        return new Response('', { status: 200 });
      }
      default:
        return json({ error: 'not_found' }, 404);
    }
  };

  async #token(body: URLSearchParams): Promise<Response> {
    this.counters.tokenRequests += 1;
    for (const key of ['code', 'code_verifier', 'refresh_token']) {
      const value = body.get(key);
      if (value) this.secrets.add(value);
    }
    if (this.tokenError500) return new Response('Internal Server Error', { status: 500 });
    if (body.get('client_id') !== this.appId) return json({ error: 'invalid_client' }, 401);
    if (body.get('grant_type') === 'authorization_code') {
      this.counters.codeGrants += 1;
      const code = this.#codes.get(body.get('code') ?? '');
      this.#codes.delete(body.get('code') ?? '');
      const verifier = body.get('code_verifier') ?? '';
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      if (!code || code.redirectUri !== body.get('redirect_uri') || code.challenge !== challenge) {
        return json({ error: 'invalid_grant', error_description: 'grant request is invalid' }, 400);
      }
      return this.#issue(code.grant, code.sub, code.email, null);
    }
    if (body.get('grant_type') === 'refresh_token') {
      this.counters.refreshGrants += 1;
      this.refreshParams.push({ resource: body.get('resource'), organizationId: body.get('organization_id') });
      this.counters.refreshInFlight += 1;
      this.counters.maxConcurrentRefresh = Math.max(this.counters.maxConcurrentRefresh, this.counters.refreshInFlight);
      try {
        await new Promise((resolve) => setTimeout(resolve, this.refreshDelayMs));
        const rt = this.#refreshTokens.get(body.get('refresh_token') ?? '');
        if (!rt || !rt.grant.alive) return json({ error: 'invalid_grant', error_description: 'grant request is invalid' }, 400);
        if (rt.used) {
          // Reuse of a rotated refresh token: oidc-provider revokes the whole grant.
          rt.grant.alive = false;
          return json({ error: 'invalid_grant', error_description: 'grant request is invalid' }, 400);
        }
        rt.used = true;
        return this.#issue(rt.grant, rt.grant.sub, 'jane@example.com', body.get('resource'));
      } finally {
        this.counters.refreshInFlight -= 1;
      }
    }
    return json({ error: 'unsupported_grant_type' }, 400);
  }

  async #issue(grant: Grant, sub: string, email: string, resource: string | null): Promise<Response> {
    const refreshToken = this.#secret('rt');
    this.#refreshTokens.set(refreshToken, { grant, used: false });
    const accessToken = this.#secret(resource ? `at-${new URL(resource).hostname}` : 'at');
    this.#accessTokens.set(accessToken, grant);
    return json({
      access_token: accessToken,
      refresh_token: refreshToken,
      id_token: await this.#idToken(sub, email),
      token_type: 'Bearer',
      expires_in: this.accessTokenTtl,
      scope: 'openid offline_access profile email read:books',
    });
  }

  #userinfo(authorization: string): Response {
    this.counters.userinfo += 1;
    const grant = this.#accessTokens.get(authorization.replace(/^Bearer /, ''));
    if (!grant || !grant.alive) return json({ error: 'invalid_token', error_description: 'invalid token provided' }, 401);
    return json({ sub: grant.sub, email: 'jane@example.com' });
  }

  async #idToken(sub: string, email: string): Promise<string> {
    const token = await new SignJWT({ email, email_verified: true, name: 'Jane' })
      .setProtectedHeader({ alg: 'ES384', kid: 'k1' })
      .setIssuer(this.issuer)
      .setAudience(this.appId)
      .setSubject(sub)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(this.#key.privateKey);
    this.secrets.add(token);
    return token;
  }

  #secret(prefix: string): string {
    const value = `${prefix}_${randomBytes(18).toString('base64url')}`;
    this.secrets.add(value);
    return value;
  }
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}
