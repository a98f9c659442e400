/**
 * One list of scenarios, run against the local identity server and against the real Logto
 * server (test/logto-oss/differential.spec.ts), and against the local server alone in `npm test`
 * with Logto's answers as recorded (recorded-logto.ts). Each scenario answers what a client sees,
 * normalized to plain data: status codes, OAuth error codes, token claim names and `scope`, the
 * email template, what the pages asked. Two servers agree when their outcomes are equal, apart
 * from the differences listed in `knownDifferences` (each with its reason; docs/logto-differences.md).
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';

import { bookstore, freshEmail, type IdentityDriver, type InteractionEvent, type Mail, type TokenCall } from './driver.ts';

export type Outcome = Record<string, unknown>;

export interface Scenario {
  readonly name: string;
  run(driver: IdentityDriver): Promise<Outcome>;
}

/** A field of one scenario's outcome where the two servers differ on purpose, and why. */
export interface KnownDifference {
  readonly scenario: string;
  readonly field: string;
  readonly local: unknown;
  readonly logto: unknown;
  readonly why: string;
}

/** Logto's refresh-token reuse leeway (3 s) plus a margin for a loaded machine. */
const pastLeewayMs = 3_500;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function mailsSince(driver: IdentityDriver, email: string, before: number): Promise<readonly Mail[]> {
  return (await driver.mails(email)).slice(before);
}

/** One sign-in from the first page to the app, and what the person met on the way. */
async function walk(driver: IdentityDriver, event: InteractionEvent, email: string): Promise<Outcome & { tokens?: TokenCall }> {
  const before = (await driver.mails(email)).length;
  const attempt = await driver.begin(event);
  const send = await attempt.sendCode(email);
  const mails = await mailsSince(driver, email, before);
  const code = mails.at(-1) ? await attempt.submitCode(mails.at(-1)!.code) : 'no-mail';
  const finish = code === 'accepted' ? await attempt.finish() : { steps: [], callback: null };
  const tokens = finish.callback ? await attempt.exchange(finish.callback) : undefined;
  return {
    send,
    templates: mails.map((mail) => mail.usageType),
    code,
    steps: finish.steps,
    signedIn: tokens?.status === 200,
    ...(tokens ? { tokens } : {}),
  };
}

function withoutTokens({ tokens: _tokens, ...rest }: Outcome & { tokens?: TokenCall }): Outcome {
  return rest;
}

/** A signed-in reader and their tokens (code exchange answer). */
async function signedInReader(driver: IdentityDriver, label: string): Promise<{ email: string; tokens: TokenCall }> {
  const email = freshEmail(label);
  await driver.createAccount(email);
  const { tokens } = await walk(driver, 'SignIn', email);
  if (!tokens || tokens.status !== 200) throw new Error(`${driver.name}: ${label} did not sign in`);
  return { email, tokens };
}

const refreshOf = (tokens: TokenCall) => String(tokens.body['refresh_token']);

function refresh(driver: IdentityDriver, refreshToken: string, resource?: string): Promise<TokenCall> {
  return driver.token({
    grant_type: 'refresh_token',
    client_id: driver.clientId,
    refresh_token: refreshToken,
    ...(resource ? { resource } : {}),
  });
}

/** A token endpoint answer as a client reads it: status, the fields present, the OAuth error. */
function answer(call: TokenCall): Outcome {
  if (call.status !== 200) return { status: call.status, error: call.body['error'] };
  return { status: call.status, fields: Object.keys(call.body).sort() };
}

const claimNames = (jwt: string) => Object.keys(decodeJwt(jwt)).sort();

/** One page's whole walk with a new or an existing account's address; the tokens left out. */
function pageWalk(name: string, event: InteractionEvent, address: 'new' | 'known', tag: string): Scenario {
  return {
    name,
    async run(driver) {
      const email = freshEmail(tag);
      if (address === 'known') await driver.createAccount(email);
      return withoutTokens(await walk(driver, event, email));
    },
  };
}

export const scenarios: readonly Scenario[] = [
  pageWalk('a new address through the sign-in page', 'SignIn', 'new', 'new-sign-in'),
  pageWalk('a known address through the sign-in page', 'SignIn', 'known', 'known-sign-in'),
  pageWalk('a new address through the registration page', 'Register', 'new', 'new-register'),
  pageWalk('a known address through the registration page', 'Register', 'known', 'known-register'),
  pageWalk('forgot password with a known address', 'ForgotPassword', 'known', 'known-forgot'),
  {
    name: 'forgot password with an unknown address',
    async run(driver) {
      const email = freshEmail('unknown-forgot');
      const attempt = await driver.begin('ForgotPassword');
      const send = await attempt.sendCode(email);
      // No mail came; a guess is what the person can type.
      const guess = await attempt.submitCode('123456');
      const resend = await attempt.resendCode();
      return { send, guess, resend, templates: (await driver.mails(email)).map((mail) => mail.usageType) };
    },
  },
  {
    name: 'a second code for the same address in a new sign-in within 60 s',
    async run(driver) {
      const email = freshEmail('second-sign-in');
      const first = await driver.begin('SignIn');
      const firstSend = await first.sendCode(email);
      const firstCode = (await driver.mails(email)).at(-1)?.code ?? '';
      const second = await driver.begin('SignIn');
      const secondSend = await second.sendCode(email);
      const mails = await driver.mails(email);
      return {
        firstSend,
        secondSend,
        templates: mails.map((mail) => mail.usageType),
        // Each sign-in keeps its own code.
        secondCodeInSecond: mails.length > 1 ? await second.submitCode(mails.at(-1)!.code) : 'no-mail',
        firstCodeInFirst: await first.submitCode(firstCode),
      };
    },
  },
  {
    name: '"Send a new code": the earlier code no longer works, the new one does',
    async run(driver) {
      const email = freshEmail('resend');
      const attempt = await driver.begin('SignIn');
      const send = await attempt.sendCode(email);
      const earlier = (await driver.mails(email)).at(-1)?.code ?? '';
      const resend = await attempt.resendCode();
      const mails = await driver.mails(email);
      const later = mails.at(-1)?.code ?? '';
      return {
        send,
        resend,
        templates: mails.map((mail) => mail.usageType),
        // A resend may by chance draw the same six digits: then there is nothing to compare.
        earlierCode: earlier === later ? 'wrong' : await attempt.submitCode(earlier),
        newCode: await attempt.submitCode(later),
      };
    },
  },
  {
    name: 'tokens: code exchange, ID token, a resource token by refresh',
    async run(driver) {
      const { tokens } = await signedInReader(driver, 'tokens');
      const idToken = String(tokens.body['id_token']);
      const resourceToken = await refresh(driver, refreshOf(tokens), bookstore);
      const accessToken = String(resourceToken.body['access_token']);
      return {
        exchange: answer(tokens),
        tokenType: tokens.body['token_type'],
        scope: tokens.body['scope'],
        idTokenAlg: decodeProtectedHeader(idToken).alg,
        idTokenClaims: claimNames(idToken),
        refresh: answer(resourceToken),
        resourceScope: resourceToken.body['scope'],
        accessTokenClaims: claimNames(accessToken),
        accessTokenAudience: decodeJwt(accessToken).aud,
        accessTokenScope: decodeJwt(accessToken)['scope'],
        refreshRotated: resourceToken.body['refresh_token'] !== refreshOf(tokens),
      };
    },
  },
  {
    name: 'refresh-token rotation and reuse: within 3 s answered again, later the grant is revoked',
    async run(driver) {
      const { tokens } = await signedInReader(driver, 'reuse');
      const original = refreshOf(tokens);
      const first = await refresh(driver, original);
      const reused = await refresh(driver, original);
      await pause(pastLeewayMs);
      const late = await refresh(driver, original);
      const newest = await refresh(driver, String(reused.body['refresh_token'] ?? first.body['refresh_token']));
      return {
        first: answer(first),
        reusedWithinLeeway: answer(reused),
        reuseGaveAnotherToken: reused.status === 200 && reused.body['refresh_token'] !== first.body['refresh_token'],
        reusedAfterLeeway: answer(late),
        newestAfterRevocation: answer(newest),
      };
    },
  },
  {
    name: 'revocation of the refresh token',
    async run(driver) {
      const { tokens } = await signedInReader(driver, 'revoke');
      const revoked = await driver.revoke(refreshOf(tokens));
      return { revocation: { status: revoked.status, body: revoked.body }, refreshAfter: answer(await refresh(driver, refreshOf(tokens))) };
    },
  },
  {
    name: 'end session: back to the app, the offline refresh token lives on',
    async run(driver) {
      const { tokens } = await signedInReader(driver, 'end-session');
      const ended = await driver.endSession(String(tokens.body['id_token']));
      const back = ended.redirectedTo ? new URL(ended.redirectedTo) : null;
      return {
        backToApp: back ? `${back.protocol}//${back.host}${back.pathname}` === driver.postLogoutRedirectUri : false,
        refreshAfter: answer(await refresh(driver, refreshOf(tokens))),
      };
    },
  },
  {
    name: 'protocol refusals at the token endpoint',
    async run(driver) {
      const { tokens } = await signedInReader(driver, 'refusals');
      const unknownClient = await driver.token({
        grant_type: 'refresh_token',
        client_id: 'not-registered',
        refresh_token: refreshOf(tokens),
      });
      const unknownResource = await refresh(driver, refreshOf(tokens), 'https://unknown.example');
      const unknownRefreshToken = await refresh(driver, 'not-a-refresh-token');
      const badCode = await driver.token({
        grant_type: 'authorization_code',
        client_id: driver.clientId,
        code: 'not-a-code',
        code_verifier: 'x'.repeat(43),
        redirect_uri: driver.redirectUri,
      });
      return {
        unknownClient: answer(unknownClient),
        unknownResource: answer(unknownResource),
        unknownRefreshToken: answer(unknownRefreshToken),
        badCode: answer(badCode),
      };
    },
  },
];

const noConfirmationPage =
  'The local pages do not ask: the code proves the address and the person goes on to the app. Logto asks, and a person ' +
  'going on answers yes, which ends in the same account, template and tokens (Logto reuses the verification). Every ' +
  'local flow (end-to-end, integration, session fuzzer) signs new addresses up through the sign-in page.';

export const knownDifferences: readonly KnownDifference[] = [
  {
    scenario: 'a new address through the sign-in page',
    field: 'steps',
    local: [],
    logto: ['confirm-create-account'],
    why: `Logto's page asks "No account found for …. Create a new one?". ${noConfirmationPage}`,
  },
  {
    scenario: 'a known address through the registration page',
    field: 'steps',
    local: [],
    logto: ['confirm-sign-in-instead'],
    why: `Logto's page says "An account with … already exists. Continue to sign in.". ${noConfirmationPage}`,
  },
];

/**
 * Compares two outcomes of one scenario: the known differences must be exactly as listed (so a
 * difference that went away, or changed, is noticed), everything else equal. Answers the two
 * outcomes without those fields, for `expect(...).toEqual(...)`.
 */
export function comparable(
  scenario: string,
  local: Outcome,
  logto: Outcome,
): { local: Outcome; logto: Outcome; differences: KnownDifference[] } {
  const differences = knownDifferences.filter((difference) => difference.scenario === scenario);
  const strip = (outcome: Outcome) =>
    Object.fromEntries(Object.entries(outcome).filter(([key]) => !differences.some((d) => d.field === key)));
  return { local: strip(local), logto: strip(logto), differences };
}
