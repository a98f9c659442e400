/**
 * What a client of an identity server can do and see, the same for the local identity server
 * (driven through its HTML pages) and the real Logto server (driven through its Experience API,
 * the calls Logto's own sign-in pages make). The scenarios (scenarios.ts) are written once
 * against this interface.
 */
import { randomBytes } from 'node:crypto';

import { authorizationUrl, type Pkce } from '../support/authorization-request.ts';

/** The interaction's event, which picks the email template in Logto. */
export type InteractionEvent = 'SignIn' | 'Register' | 'ForgotPassword';

export type SendAnswer = { readonly sent: true } | { readonly sent: false; readonly refusal: string };

/**
 * What a person learns from entering a code: it was taken, it was not right (the person may try
 * again), or the step is gone (Logto: the verification no longer exists).
 */
export type CodeAnswer = 'accepted' | 'wrong' | 'verification-gone';

export interface Finish {
  /**
   * Questions the sign-in pages asked after the code, named the same for both servers, e.g.
   * `confirm-create-account` (Logto: "No account found for …. Create a new one?"),
   * `confirm-sign-in-instead`, `asks-new-password`, `no-account`.
   */
  readonly steps: readonly string[];
  /** The app's callback URL the browser was sent to, or null when the pages stopped before it. */
  readonly callback: string | null;
}

export interface SignInAttempt {
  /** Types the address on the first page and asks for a code. */
  sendCode(email: string): Promise<SendAnswer>;
  /** "Send a new code" on the code page. */
  resendCode(): Promise<SendAnswer>;
  submitCode(code: string): Promise<CodeAnswer>;
  /** After an accepted code: answers what the pages ask the way a person going on would. */
  finish(): Promise<Finish>;
  /** The app's code exchange for `callback` (PKCE verifier of this attempt). */
  exchange(callback: string): Promise<TokenCall>;
}

export interface TokenCall {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

export interface Mail {
  /** The template's usage type: Register, SignIn, ForgotPassword, Generic. */
  readonly usageType: string;
  readonly code: string;
}

export interface IdentityDriver {
  readonly name: string;
  /** `${endpoint}/oidc` */
  readonly issuer: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly postLogoutRedirectUri: string;
  /** An account for `email`, as an earlier sign-up (or an administrator) would have made it. */
  createAccount(email: string): Promise<void>;
  /** A new browser, a new authorization request, on the first page for `event`. */
  begin(event: InteractionEvent): Promise<SignInAttempt>;
  /** Every code mailed to `email`, oldest first. */
  mails(email: string): Promise<readonly Mail[]>;
  /** A request to the token endpoint as the public client (client_id in the body). */
  token(params: Record<string, string>): Promise<TokenCall>;
  revoke(token: string): Promise<{ readonly status: number; readonly body: string }>;
  /** RP-initiated logout in the browser that signed in last; where it ended. */
  endSession(idToken: string): Promise<{ readonly redirectedTo: string | null }>;
}

/** What the app asks for (identity.config.json's scopes, one API resource). */
export const appScope = 'openid offline_access profile email read:books';
export const bookstore = 'https://api.bookstore.local';

export { createPkce, type Pkce } from '../support/authorization-request.ts';

/** The authorization request the Logto SDK sends (prompt=consent, so a refresh token comes). */
export function authorizationRequest(
  driver: Pick<IdentityDriver, 'issuer' | 'clientId' | 'redirectUri'>,
  pkce: Pkce,
  extra: Record<string, string> = {},
): string {
  return authorizationUrl(
    driver.issuer,
    { client_id: driver.clientId, redirect_uri: driver.redirectUri, scope: appScope, resource: bookstore, ...extra },
    pkce,
  );
}

export async function postToken(issuer: string, params: Record<string, string>): Promise<TokenCall> {
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params),
  });
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    body = { unparsed: true };
  }
  return { status: response.status, body };
}

export async function postRevocation(issuer: string, clientId: string, token: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`${issuer}/token/revocation`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: clientId, token, token_type_hint: 'refresh_token' }),
  });
  return { status: response.status, body: await response.text() };
}

export function freshEmail(label: string): string {
  return `diff-${label}-${randomBytes(4).toString('hex')}@example.com`;
}
