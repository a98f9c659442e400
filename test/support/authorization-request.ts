import { createHash, randomBytes } from 'node:crypto';

export interface Pkce {
  readonly verifier: string;
  readonly challenge: string;
}

export function createPkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/**
 * A hand-built authorization URL, for tests that need a request the SDK would never send.
 * Defaults are what the Logto SDK sends; `undefined` drops a parameter.
 */
export function authorizationUrl(
  issuer: string,
  overrides: Record<string, string | readonly string[] | undefined> & { client_id: string },
  pkce: Pkce = createPkce(),
): string {
  const params: Record<string, string | readonly string[] | undefined> = {
    redirect_uri: 'com.example.app://callback',
    response_type: 'code',
    scope: 'openid offline_access profile email read:books',
    prompt: 'consent',
    state: randomBytes(16).toString('base64url'),
    code_challenge: pkce.challenge,
    code_challenge_method: 'S256',
    resource: ['https://api.bookstore.local'],
    ...overrides,
  };
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const item of typeof value === 'string' ? [value] : (value ?? [])) {
      search.append(key, item);
    }
  }
  return `${issuer}/auth?${search}`;
}

/** The code exchange, as the SDK posts it (public client: client_id, no secret). */
export function exchangeCode(
  issuer: string,
  params: { clientId: string; code: string; verifier: string; redirectUri?: string },
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${issuer}/token`, {
    method: 'POST',
    headers,
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: params.clientId,
      code: params.code,
      code_verifier: params.verifier,
      redirect_uri: params.redirectUri ?? 'com.example.app://callback',
    }),
  });
}
