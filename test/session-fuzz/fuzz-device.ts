/**
 * One simulated phone for the session-layer fuzzer: the device's secure storage (with write
 * latency), its network (latency, going offline), and the app's processes — each a real Logto
 * adapter under a real auth machine — which the OS may kill at any moment. A killed process is
 * gone for real here: its requests are cut off mid-flight and its storage writes never land,
 * which is what makes "the app was killed during a refresh" a lost answer.
 */
import { createActor, type Actor } from 'xstate';

import type { RunningIdp } from '../../dev-idp/factory.ts';
import { createAuthMachine, stateToString, type AuthMachine, type AuthTimers } from '../../src/app/auth/core/index.ts';
import { createLogtoAuth, type LogtoAuth, type LogtoAuthTimers } from '../../src/app/auth/logto/index.ts';
import { SharedSessionBus } from '../../src/app/auth/logto/session-sharing.ts';
import { SESSION_TOKEN_KEYS, StorageKey } from '../../src/app/auth/logto/token-storage.ts';
import { nativeConfig } from '../adapter/harness.ts';
import { nativeShell } from '../native-shell/shell.ts';
import type { Rng } from './fuzz-rng.ts';
import { RESOURCES } from '../support/constants.ts';

export { RESOURCES };

/** FUZZ_TRACE: the adapter log also records each tab's storage writes and the events its machine hears. */
const TRACE = Boolean(process.env['FUZZ_TRACE']);

/** Short machine timers: millisecond waits keep hundreds of cases within the suite's budget. */
export const MACHINE_TIMERS: Partial<AuthTimers> = {
  restoreTimeout: 2_000,
  browserClosedGrace: 20,
  resumeWindow: 20,
  redirectTimeout: 5_000,
  codeExchangeTimeout: 2_000,
  signOutTimeout: 2_000,
};
const ADAPTER_TIMERS: Partial<LogtoAuthTimers> = {
  requestTimeout: 1_000,
  tokenWaitTimeout: 1_000,
  refreshRequestTimeout: 1_500,
  revocationTimeout: 500,
  browserCloseTimeout: 100,
};

/** The session keys a signed-out device must not hold. */
export const SESSION_KEYS = ['idToken', 'refreshToken', 'accessToken'] as const;

export interface AppProcess {
  readonly auth: LogtoAuth;
  readonly actor: Actor<AuthMachine>;
  /** SESSION_EXPIRED codes this process's adapter reported. */
  readonly expiries: string[];
  /** Tabs: the tag of this instance's shell listeners. */
  readonly owner: object;
  /** How many of `expiries` the invariants have looked at. */
  expiriesSeen: number;
  /** SIGNED_OUT_ELSEWHERE events this process's adapter reported (tabs only). */
  signedOutElsewhere: number;
  dead: boolean;
  readonly controllers: Set<AbortController>;
}

export class FuzzDevice {
  readonly data = new Map<string, string>();
  readonly network = { online: true };
  /** Virtual time ahead of the wall clock (access tokens "expire" without waiting). */
  clockOffset = 0;
  app: AppProcess;
  /** Refresh grants the live app has in flight right now, and the most ever. */
  refreshInFlight = 0;
  maxRefreshInFlight = 0;
  /**
   * Ground truth for "an answer was lost", kept apart from the adapter's own bookkeeping: every
   * refresh token the device sent whose answer never reached its storage (no answer, cut by a
   * kill, or answered to a process killed before it stored the new token).
   */
  readonly unansweredRefreshTokens = new Set<string>();
  /** The refresh token the server last refused with invalid_grant. */
  lastRefusedRefreshToken: string | null = null;
  readonly log: string[] = [];
  /** The live process's newest refresh-token answer: the token it sent and the one it got. */
  #lastAnswer: { sent: string; issued: string } | null = null;
  /** Refresh tokens of the live process's grants in flight. */
  readonly #inFlightTokens = new Set<string>();
  readonly #idp: RunningIdp;
  readonly #rng: Rng;
  /**
   * Tabs: several instances of the app over this one storage (the tabs of one browser profile),
   * each told of the others' writes as a browser tells its tabs, with one renewal lock. One
   * instance (a phone's app) when there is a single tab: no sharing at all, as on native.
   */
  readonly tabs: AppProcess[] = [];
  readonly #bus: SharedSessionBus | null;
  #current = 0;

  readonly #tabCount: number;

  constructor(idp: RunningIdp, rng: Rng, tabCount = 1) {
    this.#idp = idp;
    this.#rng = rng;
    this.#tabCount = tabCount;
    this.#bus = tabCount > 1 ? new SharedSessionBus() : null;
    this.app = this.launch();
  }

  /** The other tabs, one after the other: each registers its shell listeners (asynchronously) as its own. */
  async openTabs(): Promise<void> {
    for (let i = 1; i < this.#tabCount; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      this.#current = i;
      this.launch();
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
    this.focus(0);
  }

  /** The tab the next actions happen in (and the one a browser it opens returns to). */
  focus(index: number): void {
    this.#current = index;
    this.app = this.tabs[index]!;
    // Listeners registered from now on (e.g. the browser's, when this tab opens it) are this tab's.
    if (this.#bus) nativeShell.app.target = nativeShell.browser.target = nativeShell.app.owner = nativeShell.browser.owner = this.app.owner;
  }

  /** A new process of the app on this device (boots: restore from storage), in the current tab's place. */
  launch(): AppProcess {
    const controllers = new Set<AbortController>();
    const expiries: string[] = [];
    const process: { dead: boolean } = { dead: false };
    const member = this.#bus?.member(Date.now() + this.clockOffset) ?? null;
    // The shell listeners this instance registers (on its first subscription, just below) are this tab's.
    const owner = {};
    if (this.#bus) nativeShell.app.owner = nativeShell.browser.owner = owner;
    const auth = createLogtoAuth(nativeConfig(this.#idp, { timers: ADAPTER_TIMERS }), {
      storage: this.#storageOf(process, member?.id ?? null, this.#current),
      fetch: this.#fetchOf(process, controllers, this.#current),
      legacyPreferences: null,
      now: () => Date.now() + this.clockOffset,
      log: (level, message) => this.log.push(`${level}: ${message}`),
      sessionSharing: member?.sharing ?? null,
    });
    const tabNo = this.#current;
    auth.port.subscribe((event) => {
      if (TRACE) this.log.push(`trace: tab ${tabNo} hears ${event.type}`);
      if (event.type === 'SESSION_EXPIRED') expiries.push(event.code ?? 'session_expired');
      if (event.type === 'SIGNED_OUT_ELSEWHERE') app.signedOutElsewhere += 1;
    });
    const actor = createActor(createAuthMachine(auth.port, { timers: MACHINE_TIMERS }));
    if (TRACE) {
      let last = '';
      actor.subscribe((snapshot) => {
        const state = stateToString(snapshot.value);
        if (state !== last) this.log.push(`trace: tab ${tabNo} is ${(last = state)}`);
      });
    }
    const app: AppProcess = {
      auth,
      actor,
      expiries,
      owner,
      expiriesSeen: 0,
      signedOutElsewhere: 0,
      controllers,
      get dead() {
        return process.dead;
      },
      set dead(value) {
        process.dead = value;
      },
    };
    this.app = app;
    this.tabs[this.#current] = app;
    actor.start();
    if (this.#bus) this.focus(this.#current);
    return app;
  }

  /** The OS kills the process: requests cut, listeners gone, no more writes; then a fresh start. */
  killAndRelaunch(): AppProcess {
    const app = this.app;
    app.dead = true;
    // Cut mid-request, or an answer that arrived but was not stored yet: either way the token
    // that was sent may be spent and its successor never reached the device's storage.
    for (const token of this.#inFlightTokens) this.unansweredRefreshTokens.add(token);
    this.#inFlightTokens.clear();
    const last = this.#lastAnswer;
    if (last && this.data.get('refreshToken') === last.sent) this.unansweredRefreshTokens.add(last.sent);
    this.#lastAnswer = null;
    for (const controller of app.controllers) controller.abort();
    this.refreshInFlight = 0;
    app.actor.stop();
    app.auth.dispose();
    // A tab's reload: the other tabs (and their listeners on the shell) live on.
    if (this.tabs.length === 1) {
      nativeShell.kill();
      nativeShell.relaunch();
    }
    return this.launch();
  }

  /** Stop everything this device started (end of a case). */
  shutdown(): void {
    for (const app of this.tabs) {
      app.dead = true;
      for (const controller of app.controllers) controller.abort();
      app.actor.stop();
      app.auth.dispose();
    }
  }

  hasSessionKeys(): string[] {
    return SESSION_KEYS.filter((key) => this.data.has(key));
  }

  #latency(max: number): Promise<void> {
    const ms = this.#rng.int(0, max);
    return ms === 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
  }

  /** Keychain-like storage: reads are quick, writes take a few ms; a dead process writes nothing. */
  #storageOf(process: { dead: boolean }, tab: number | null, tabNo: number) {
    const sessionKeys = new Set<string>(SESSION_TOKEN_KEYS);
    let burst: ReturnType<typeof setTimeout> | null = null;
    // The browser's `storage` event in every other tab: a removed refresh token at once, other writes after their burst.
    const news = (key: string, removed: boolean) => {
      const bus = this.#bus;
      if (!bus || tab === null || !sessionKeys.has(key)) return;
      const reason = () => this.data.get(StorageKey.sessionEnd) ?? null;
      if (removed && key === StorageKey.refreshToken) {
        bus.publish(tab, { signedOut: true, reason: reason() });
        return;
      }
      if (burst !== null) clearTimeout(burst);
      burst = setTimeout(() => {
        burst = null;
        const signedOut = !this.data.has(StorageKey.refreshToken);
        bus.publish(tab, { signedOut, reason: signedOut ? reason() : null });
      }, 5);
    };
    return {
      getItem: async (key: string) => {
        await this.#latency(1);
        return this.data.get(key) ?? null;
      },
      setItem: async (key: string, value: string) => {
        await this.#latency(4);
        if (process.dead) return;
        if (TRACE)
          this.log.push(
            `trace: tab ${tabNo} sets ${key}${key === StorageKey.refreshToken ? ` …${value.slice(-4)}` : key === StorageKey.sessionEnd ? ` ${value}` : ''}`,
          );
        this.data.set(key, value);
        news(key, false);
      },
      removeItem: async (key: string) => {
        await this.#latency(4);
        if (process.dead) return;
        if (TRACE && this.data.has(key)) this.log.push(`trace: tab ${tabNo} removes ${key}`);
        if (this.data.delete(key)) news(key, true);
      },
    };
  }

  /** The phone's network for one process: latency, offline, and cut-off requests when killed. */
  #fetchOf(process: { dead: boolean }, controllers: Set<AbortController>, tabNo: number): typeof fetch {
    return async (input, init) => {
      await this.#latency(3);
      if (process.dead) throw new TypeError('fetch failed (process killed)');
      if (!this.network.online) throw new TypeError('fetch failed');
      const body = typeof init?.body === 'string' || init?.body instanceof URLSearchParams ? new URLSearchParams(String(init.body)) : null;
      const sentToken = body?.get('grant_type') === 'refresh_token' ? body.get('refresh_token') : null;
      const controller = new AbortController();
      controllers.add(controller);
      const signal = init?.signal ? AbortSignal.any([init.signal, controller.signal]) : controller.signal;
      if (sentToken) {
        this.refreshInFlight += 1;
        this.maxRefreshInFlight = Math.max(this.maxRefreshInFlight, this.refreshInFlight);
        this.#inFlightTokens.add(sentToken);
      }
      let answered = false;
      try {
        const response = await fetch(input, { ...init, signal });
        answered = true;
        if (sentToken && !process.dead) {
          const answer = (await response
            .clone()
            .json()
            .catch(() => ({}))) as { refresh_token?: unknown; error?: unknown };
          if (TRACE)
            this.log.push(
              `trace: tab ${tabNo} sent …${sentToken.slice(-4)}, got ${typeof answer.refresh_token === 'string' ? `…${answer.refresh_token.slice(-4)}` : String(answer.error)}`,
            );
          if (typeof answer.refresh_token === 'string') this.#lastAnswer = { sent: sentToken, issued: answer.refresh_token };
          if (answer.error === 'invalid_grant') this.lastRefusedRefreshToken = sentToken;
        }
        return response;
      } finally {
        controllers.delete(controller);
        if (sentToken && !process.dead) {
          this.refreshInFlight -= 1;
          this.#inFlightTokens.delete(sentToken);
          // Sent, and no answer: the server may have rotated the token.
          if (!answered) this.unansweredRefreshTokens.add(sentToken);
        }
      }
    };
  }
}
