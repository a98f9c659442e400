/**
 * The protocol against the real open-source Logto server, through the app's own stack (XState
 * machine → Logto adapter → real @logto/capacitor SDK) with the simulated native shell:
 * sign-in with an email code (mailed by Logto's real Aliyun DM connector to the fake DirectMail)
 * and PKCE, per-resource refresh carrying read:books, refresh-token rotation with Logto's
 * 3-second reuse leeway, a lost refresh answer, and sign-out (revocation + end session).
 *
 * Runs in `npm run test:logto` (which starts Logto); skipped with a note otherwise.
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect, jest } from '@jest/globals';
import { decodeJwt } from 'jose';

import type { FakeAliyunDm } from '../../dev-idp/fake-aliyun/server.ts';
import { sleep } from '../integration/auth-stack.ts';
import { LeakScan } from '../integration/leak-scan.ts';
import { nativeShell, settle } from '../native-shell/shell.ts';
import { describeWithRealLogto, repoSender, startLaneFakeAliyun, type RealLogto } from './support/real-logto.ts';
import { RealStack } from './support/real-stack.ts';
import { createReader, ensureBooksReaderRole, freshEmail, runLogtoSetup } from './support/tenant.ts';
import { BOOKS, RESOURCES } from '../support/constants.ts';

jest.setTimeout(120_000);

/** Logto's refresh-token reuse interval (packages/core/src/queries/oidc-model-instance.ts). */
const REUSE_LEEWAY_MS = 3_000;
const REVIEWS = RESOURCES[1]!;
const BILLING = RESOURCES[2]!;

describeWithRealLogto('the protocol against the real Logto server', (logto: RealLogto) => {
  const scan = new LeakScan();
  let mail: FakeAliyunDm;
  let appId: string;
  let roleId: string;
  const stacks: RealStack[] = [];
  let spies: { mockRestore(): void }[] = [];

  beforeAll(async () => {
    mail = await startLaneFakeAliyun(logto);
    appId = await runLogtoSetup(logto);
    roleId = await ensureBooksReaderRole(logto);
  });

  afterAll(async () => {
    await mail?.stop();
  });

  beforeEach(() => {
    nativeShell.reset();
    scan.startTest();
    spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
      jest.spyOn(console, method).mockImplementation((...args: unknown[]) => scan.addConsole(method, args)),
    );
  });

  afterEach(async () => {
    for (const stack of stacks.splice(0)) stack.stop();
    await settle(10);
    spies.forEach((spy) => spy.mockRestore());
    // Nothing the app logged or its machine emitted holds a token, code or callback URL.
    expect(scan.testProblems()).toEqual([]);
  });

  async function signedIn(label: string): Promise<{ stack: RealStack; email: string; userId: string }> {
    const email = freshEmail(label);
    const userId = await createReader(logto, email, roleId);
    const stack = new RealStack(logto, appId, mail, scan);
    stacks.push(stack);
    await stack.app.waitFor('idle', 20_000);
    await stack.signIn(email);
    return { stack, email, userId };
  }

  /** The refresh grant at Logto's token endpoint, straight (as a second device holding the token would). */
  async function refreshGrant(
    refreshToken: string | null,
    resource?: string,
  ): Promise<{ status: number; error?: string; refreshToken?: string }> {
    const response = await fetch(`${logto.endpoint}/oidc/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: appId,
        refresh_token: refreshToken ?? '',
        ...(resource ? { resource } : {}),
      }),
    });
    const body = (await response.json().catch(() => ({}))) as { error?: string; refresh_token?: string };
    return {
      status: response.status,
      ...(body.error ? { error: body.error } : {}),
      ...(body.refresh_token ? { refreshToken: body.refresh_token } : {}),
    };
  }

  it('signs in with an email code mailed by the real Aliyun DM connector, with PKCE (S256), and the machine is authenticated', async () => {
    const before = mail.messages.length;
    const { stack, email, userId } = await signedIn('code');

    expect(stack.app.state).toBe('authenticated');
    expect(stack.app.context.claims).toMatchObject({ sub: userId, email });
    // The authorization request the SDK opened carries a PKCE challenge; the code exchange its verifier.
    const authUrl = new URL(nativeShell.visits[0]?.url ?? '');
    expect(authUrl.origin + authUrl.pathname).toBe(`${logto.endpoint}/oidc/auth`);
    expect(authUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authUrl.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(stack.tokenRequests.find((r) => r.grantType === 'authorization_code')).toMatchObject({ status: 200 });
    expect([...scan.ledger.kinds()]).toEqual(expect.arrayContaining(['code verifier', 'authorization code', 'refresh token', 'ID token']));
    // The code came through Logto's own connector: one signed SingleSendMail for dm.aliyuncs.com,
    // from the repo's sender, with the sign-in template.
    const sent = mail.messages.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      to: email,
      accountName: repoSender(),
      subject: 'Your Bookstore sign-in code · 你的 Bookstore 登录验证码',
    });
    expect(mail.requests.at(-1)).toMatchObject({ status: 200, originalHost: 'dm.aliyuncs.com' });
  });

  it('gets an access token per API resource by refresh; the Bookstore API token carries read:books from the role', async () => {
    const { stack, userId } = await signedIn('resource');

    const books = decodeJwt(await stack.app.auth.getAccessToken(BOOKS));
    const reviews = decodeJwt(await stack.app.auth.getAccessToken(REVIEWS));

    expect(books).toMatchObject({ iss: `${logto.endpoint}/oidc`, aud: BOOKS, sub: userId, client_id: appId });
    expect(String(books['scope']).split(' ')).toContain('read:books');
    expect(reviews).toMatchObject({ aud: REVIEWS, sub: userId });
    // What the Reviews API token carries depends on which roles the tenant gives (logto:setup's
    // default role grants read:books on every resource of identity.config.json): not asserted here.
    expect(stack.tokenRequests.filter((r) => r.grantType === 'refresh_token')).toEqual([
      expect.objectContaining({ status: 200 }),
      expect.objectContaining({ status: 200 }),
    ]);
    // Cached: asking again does not go to Logto.
    await stack.app.auth.getAccessToken(BOOKS);
    expect(stack.tokenRequests.filter((r) => r.grantType === 'refresh_token')).toHaveLength(2);
  });

  it('rotates the refresh token; a just-rotated token works again within 3 s, after that it is invalid_grant and the whole grant is revoked', async () => {
    const { stack } = await signedIn('rotation');
    const first = await stack.storage.getItem('refreshToken');

    await stack.app.auth.getAccessToken(BOOKS);
    const second = await stack.storage.getItem('refreshToken');
    expect(second).not.toBe(first);

    // Inside the leeway: the rotated token is accepted once more (and yields yet another token).
    const reused = await refreshGrant(first);
    expect(reused).toMatchObject({ status: 200 });
    expect(reused.refreshToken).not.toBe(second);

    // After it: refused, and Logto revokes the grant — the app's newest token with it.
    await sleep(REUSE_LEEWAY_MS + 500);
    expect(await refreshGrant(first)).toMatchObject({ status: 400, error: 'invalid_grant' });
    expect(await refreshGrant(second)).toMatchObject({ status: 400, error: 'invalid_grant' });

    await expect(stack.app.auth.getAccessToken(REVIEWS)).rejects.toMatchObject({ kind: 'session_expired' });
    await stack.app.waitFor('error');
    expect(stack.app.context.error).toMatchObject({ kind: 'session_expired', step: 'session' });
    for (const key of ['idToken', 'refreshToken', 'accessToken']) expect(await stack.storage.getItem(key)).toBeNull();
  });

  it('a lost refresh answer: retried within the leeway the session carries on', async () => {
    const { stack } = await signedIn('lost-quick');
    loseNextRefreshAnswer(stack);

    // Logto did rotate the token; the app resends the old one at once — inside Logto's leeway —
    // and the caller gets its token without noticing.
    const token = decodeJwt(await stack.app.auth.getAccessToken(BOOKS));
    expect(token).toMatchObject({ aud: BOOKS });
    expect(await stack.storage.getItem('refreshUnanswered')).toBeNull();
    expect(stack.app.state).toBe('authenticated');
    expect(stack.tokenRequests.filter((r) => r.grantType === 'refresh_token').map((r) => r.status)).toEqual([200, 200]);
  });

  it('a lost refresh answer: retried after the leeway Logto refuses it and the app says the answer was lost', async () => {
    const { stack } = await signedIn('lost-late');
    // The answer and the immediate retry's answer both lost.
    loseNextRefreshAnswer(stack, 2);

    await expect(stack.app.auth.getAccessToken(BILLING)).rejects.toMatchObject({ kind: 'network' });
    await sleep(REUSE_LEEWAY_MS + 500);

    await expect(stack.app.auth.getAccessToken(BILLING)).rejects.toMatchObject({ kind: 'session_expired', code: 'refresh_answer_lost' });
    await stack.app.waitFor('error');
    expect(stack.app.context.claims).toBeNull();
    expect(await stack.storage.getItem('refreshToken')).toBeNull();
    expect(stack.tokenRequests.filter((r) => r.grantType === 'refresh_token').map((r) => r.status)).toEqual([200, 200, 400]);
  });

  it('sign-out revokes the refresh token at Logto and ends the Logto session: the next sign-in needs a new code', async () => {
    const { stack, email } = await signedIn('leaving');
    const refreshToken = await stack.storage.getItem('refreshToken');

    stack.app.send({ type: 'SIGN_OUT' });
    await stack.app.waitFor('idle', 30_000);

    expect(stack.tokenRequests.find((r) => r.path === '/oidc/token/revocation')).toMatchObject({ status: 200 });
    expect(await refreshGrant(refreshToken)).toMatchObject({ status: 400, error: 'invalid_grant' });
    expect(new URL(nativeShell.visits.at(-1)?.url ?? '').pathname).toBe('/oidc/session/end');
    expect(stack.app.received).toContain('SIGN_OUT_CALLBACK_RECEIVED');
    expect(stack.app.context.error).toBeNull();
    for (const key of ['idToken', 'refreshToken', 'accessToken']) expect(await stack.storage.getItem(key)).toBeNull();

    // Same browser, same person: Logto asks for a code again (its session is gone).
    const before = mail.messages.length;
    await stack.signIn(email);
    expect(mail.messages.length).toBe(before + 1);
    expect(stack.app.state).toBe('authenticated');
  });
});

/** The next `times` refresh grants reach Logto and are processed, but their answers never reach the app. */
function loseNextRefreshAnswer(stack: RealStack, times = 1): void {
  let left = times;
  stack.onTokenResponse = async (url, response) => {
    if (url.pathname !== '/oidc/token') return response;
    left -= 1;
    if (left === 0) stack.onTokenResponse = undefined;
    await response.body?.cancel();
    throw new TypeError('fetch failed');
  };
}
