/**
 * One fuzz case: a seeded random sequence of what a person and a phone do to the session —
 * sign in, switch account, abandon the browser, token reads across resources (forced and after
 * expiry), resume, sign out with and without the end-session page, app kills, going offline,
 * identity-server faults — with the token reads fired concurrently with the other actions.
 * After every step the session's invariants are checked; a broken one ends the case with a
 * description that the seed replays.
 */
import { decodeJwt } from 'jose';
import { matchesState } from 'xstate';

import type { RunningIdp } from '../../dev-idp/factory.ts';
import { HttpBrowser, mailboxCodeReader } from '../support/http-browser.ts';
import { stateToString, type AuthContext } from '../../src/app/auth/core/index.ts';
import { httpPerson } from '../native-shell/http-person.ts';
import { nativeShell, type ScenarioName } from '../native-shell/shell.ts';
import { FuzzDevice, MACHINE_TIMERS, RESOURCES } from './fuzz-device.ts';
import { createRng, type Rng } from './fuzz-rng.ts';

export interface CaseStats {
  steps: number;
  signIns: number;
  signOuts: number;
  kills: number;
  tokenReads: number;
  /** Sessions ended honestly after an answer was lost (refresh_answer_lost). */
  lostAnswers: number;
  faults: number;
  /** Cases with several tabs over one storage, and the renewal grants of the whole run. */
  tabCases: number;
}

export class InvariantViolation extends Error {
  override readonly name = 'InvariantViolation';
}

const ACTIONS = {
  signIn: 3,
  switchAccount: 1,
  abandonSignIn: 1,
  tokens: 6,
  expire: 1,
  resume: 2,
  signOut: 3,
  kill: 2,
  offline: 1,
  fault: 2,
  recover: 2,
} as const;
type Action = keyof typeof ACTIONS;

const SCENARIOS: readonly ScenarioName[] = ['android-url-first', 'ios-success', 'android-finished-first'];
/**
 * A state counts as stuck when it outlasts the machine's longest timer that should end it (the
 * redirect timeout) by a margin: a slower moment of a busy machine is not a hang, and a real hang
 * is still caught.
 */
const SETTLE_LIMIT_MS = (MACHINE_TIMERS.redirectTimeout ?? 5_000) + 3_000;
/** Access tokens live this long at the fuzz identity server; `expire` jumps the device clock past it. */
export const FUZZ_ACCESS_TOKEN_TTL_S = 100;

/** The share of cases run as 2–3 tabs over one storage (FUZZ_TAB_SHARE, default 0.3; 0 = none, 1 = all). */
const TAB_SHARE = Number(process.env['FUZZ_TAB_SHARE'] ?? 0.3);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function runCase(idp: RunningIdp, seed: number, stats: CaseStats): Promise<void> {
  const rng = createRng(seed);
  nativeShell.reset();
  idp.faults.clear();
  // A share of the cases are a browser with 2–3 tabs over one storage (web); the rest one app (native).
  const tabCount = rng.chance(TAB_SHARE) ? rng.int(2, 3) : 1;
  if (tabCount > 1) stats.tabCases += 1;
  const device = new FuzzDevice(idp, rng, tabCount);
  await device.openTabs();
  const browser = new HttpBrowser();
  const people = [`a${seed}@fuzz.test`, `b${seed}@fuzz.test`];
  const readCode = mailboxCodeReader(idp.endpoint);
  const inFlight: Promise<unknown>[] = [];
  const trail: string[] = [];
  let expiryJumps = 0;

  const fail = (message: string): never => {
    throw new InvariantViolation(
      `${process.env['FUZZ_TRACE'] ? `shell: ${nativeShell.trace.join(', ')}\n` : ''}seed ${seed}${tabCount > 1 ? ` (${tabCount} tabs, in tab ${device.tabs.indexOf(device.app)})` : ''}: ${message}\n  steps: ${trail.join(' → ')}\n  adapter log (last ${process.env['FUZZ_TRACE'] ? 'all' : 8}): ${device.log.slice(process.env['FUZZ_TRACE'] ? 0 : -8).join(' | ')}`,
    );
  };
  const state = () => stateToString(device.app.actor.getSnapshot().value);
  const context = (): AuthContext => device.app.actor.getSnapshot().context;
  const usePerson = (email: string, opts: { stopAt?: 'email' } = {}) => {
    nativeShell.use(rng.pick(SCENARIOS), { gapMs: rng.int(1, 10) });
    nativeShell.person = httpPerson(browser, { email, readCode, ...opts });
  };

  const settle = async () => {
    const started = Date.now();
    for (;;) {
      const s = state();
      if (!matchesState('booting', s) && !matchesState('signingIn', s) && !matchesState('signingOut', s)) break;
      if (Date.now() - started > SETTLE_LIMIT_MS) fail(`stuck in ${s} for ${SETTLE_LIMIT_MS} ms`);
      await sleep(2);
    }
    await Promise.allSettled(inFlight.splice(0));
    await sleep(10); // queued storage writes (≤ 4 ms each) land
  };

  const fireTokenReads = () => {
    const count = rng.int(1, 4);
    for (let i = 0; i < count; i += 1) {
      const resource = rng.pick([undefined, ...RESOURCES]);
      const forced = rng.chance(0.2);
      const auth = device.app.auth;
      inFlight.push((forced ? auth.refreshAccessToken(resource) : auth.getAccessToken(resource)).catch(() => undefined));
      stats.tokenReads += 1;
    }
  };

  /** Every tab, one after the other (one app: just it). */
  const check = async (after: Action) => {
    const acting = device.tabs.indexOf(device.app);
    for (let tab = 0; tab < device.tabs.length; tab += 1) {
      device.focus(tab);
      await checkTab(after, tab === acting);
    }
    device.focus(acting);
  };

  const checkTab = async (after: Action, acting: boolean) => {
    if (device.maxRefreshInFlight > 1) fail(`${device.maxRefreshInFlight} refresh grants in flight at once`);
    // Only a sign-out in another tab may tell this one "you signed out in another tab".
    if (device.app.signedOutElsewhere > 0 && (acting || after !== 'signOut')) {
      fail(`told "signed out in another tab" after ${after}${acting ? ' in this tab' : ''}`);
    }
    device.app.signedOutElsewhere = 0;
    const expiries = device.app.expiries.slice(device.app.expiriesSeen);
    device.app.expiriesSeen = device.app.expiries.length;
    for (const code of expiries) {
      if (code !== 'refresh_answer_lost') fail(`the session ended with "${code}" although no answer was lost and nothing revoked it`);
      const refused = device.lastRefusedRefreshToken;
      if (!refused || !device.unansweredRefreshTokens.has(refused)) {
        fail('refresh_answer_lost reported, but the refused refresh token never went unanswered');
      }
      stats.lostAnswers += 1;
    }
    const isSignedOut = (now: string) => now === 'idle' || (now === 'error' && context().error?.kind === 'session_expired');
    // Storage removals may still be queued behind earlier writes (each a few ms): give them time.
    // Tabs: the stored session may instead be another tab's sign-in that just landed (e.g. one
    // whose callback came after its tab's machine gave up), which this tab adopts once the news is
    // in: the state is read again each time, never judged on a read from before the wait.
    let keys = device.hasSessionKeys();
    for (let waited = 0; keys.length && isSignedOut(state()) && waited < 300; waited += 10) {
      await sleep(10);
      keys = device.hasSessionKeys();
    }
    if (isSignedOut(state())) {
      if (keys.length) fail(`${state()} after ${after}, but the device still stores ${keys.join(', ')}`);
      const served = await device.app.auth.getAccessToken(rng.pick([undefined, ...RESOURCES])).then(
        () => true,
        () => false,
      );
      if (served) fail(`${state()} after ${after}, but a token was served`);
    }
    const mismatch = (): string | null => {
      if (state() !== 'authenticated') return null;
      if (!device.data.has('refreshToken') || !device.data.has('idToken')) return `authenticated after ${after} with no stored session`;
      const stored = decodeJwt(device.data.get('idToken') ?? '');
      const shown = context().claims?.sub;
      return stored.sub === shown ? null : `authenticated as ${shown} but the stored session is ${stored.sub}`;
    };
    let problem = mismatch();
    // Tabs: what another tab wrote a moment ago (e.g. a sign-in that finished after its tab's
    // machine gave up waiting) reaches this tab as news once the burst of writes is over, well
    // within the second the tabs are allowed; only a tab that never catches up is wrong.
    for (let waited = 0; problem && device.tabs.length > 1 && waited < 500; waited += 10) {
      await sleep(10);
      problem = mismatch();
    }
    if (problem) fail(problem);
  };

  const steps = rng.int(4, 8);
  try {
    await settle();
    // Most of what is worth fuzzing needs a session: start signed in, most of the time.
    if (rng.chance(0.8)) {
      usePerson(people[0]!);
      device.app.actor.send({ type: 'SIGN_IN', options: { loginHint: people[0]! } });
      await settle();
      if (state() === 'authenticated') stats.signIns += 1;
    }
    for (let step = 0; step < steps; step += 1) {
      const action = rng.weighted(ACTIONS);
      if (tabCount > 1) device.focus(rng.int(0, tabCount - 1));
      trail.push(tabCount > 1 ? `${action}@${device.tabs.indexOf(device.app)}` : action);
      stats.steps += 1;
      // Token reads run concurrently with whatever comes next: the interleavings under test.
      if (rng.chance(0.5)) fireTokenReads();
      const s = state();
      switch (action) {
        case 'signIn':
        case 'switchAccount': {
          if (!(s === 'idle' || s === 'authenticated' || s === 'error')) break;
          const switching = action === 'switchAccount' && s === 'authenticated';
          const email = switching ? people[1]! : rng.pick(people);
          usePerson(email);
          device.app.actor.send({
            type: 'SIGN_IN',
            options: {
              firstScreen: 'identifier:sign_in',
              identifiers: ['email'],
              loginHint: email,
              ...(switching ? { prompt: 'login' } : {}),
            },
          });
          await settle();
          if (state() === 'authenticated') stats.signIns += 1;
          break;
        }
        case 'abandonSignIn':
          if (s !== 'idle' && s !== 'authenticated') break;
          usePerson(rng.pick(people), { stopAt: 'email' });
          device.app.actor.send({ type: 'SIGN_IN', options: {} });
          await settle();
          break;
        case 'tokens':
          fireTokenReads();
          break;
        case 'expire':
          if (expiryJumps < 2) {
            expiryJumps += 1;
            device.clockOffset += (FUZZ_ACCESS_TOKEN_TTL_S + 1) * 1000;
          }
          fireTokenReads();
          break;
        case 'resume':
          nativeShell.resume();
          break;
        case 'signOut':
          if (s !== 'authenticated') break;
          device.app.actor.send({ type: 'SIGN_OUT', options: { endSession: rng.chance(0.5) } });
          stats.signOuts += 1;
          await settle();
          break;
        case 'kill':
          device.killAndRelaunch();
          stats.kills += 1;
          break;
        case 'offline':
          device.network.online = false;
          fireTokenReads();
          await settle();
          device.network.online = true;
          break;
        case 'fault':
          idp.faults.set('token', rng.pick(['error500', 'lose-answer', 'slow'] as const), rng.int(1, 20));
          stats.faults += 1;
          fireTokenReads();
          await settle();
          idp.faults.clear();
          break;
        case 'recover':
          if (s === 'error') device.app.actor.send({ type: rng.chance(0.5) ? 'RETRY' : 'DISMISS' });
          if (state() !== 'error') usePerson(rng.pick(people));
          break;
      }
      await settle();
      await check(action);
    }
  } finally {
    idp.faults.clear();
    await Promise.allSettled(inFlight.splice(0));
    device.shutdown();
  }
}

export function newStats(): CaseStats {
  return { steps: 0, signIns: 0, signOuts: 0, kills: 0, tokenReads: 0, lostAnswers: 0, faults: 0, tabCases: 0 };
}

export type { Rng };
