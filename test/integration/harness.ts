/**
 * The whole auth stack the app runs, for the full-stack integration suite:
 *
 *   XState machine (createAuthMachine) → Logto adapter (createLogtoAuth) → real @logto/capacitor
 *   SDK → real local identity server (dev-idp, oidc-provider) over HTTP
 *
 * with only the phone simulated: the native shell (test/native-shell) stands in for Capacitor's
 * Browser/App plugins, and "the person in the browser" is dev-idp's HttpBrowser walking the
 * identity server's pages (email → code from the dev mailbox → redirect).
 *
 * Every spec calls `useAuthStackSuite()` once. It installs, per test:
 * - the leak scan (leak-scan.ts): a console spy, an XState inspector, the flight recorder's
 *   report and the identity server's own log lines make the transcript; a ledger collects every
 *   secret value that existed (tokens, codes, verifiers, callback URLs, sign-in states) from the
 *   device storage writes, the token endpoint's requests and responses, and the deep links.
 *   After each test the transcript must contain none of the ledger's values.
 * - teardown: actors stopped, then no Capacitor listener may be left (the machine's stop must
 *   release them; the adapter is disposed only after that count), identity servers stopped.
 */
import { afterEach, beforeEach, expect, jest } from '@jest/globals';
import { createActor, type Actor, type InspectionEvent } from 'xstate';

import { startIdentityServer, type IdpOptions, type RunningIdp } from '../../dev-idp/factory.ts';
import { HttpBrowser, mailboxCodeReader } from '../../dev-idp/testing/http-browser.ts';
import {
  createAuthMachine,
  createFlightRecorder,
  isInState,
  stateToString,
  type AuthContext,
  type AuthEvent,
  type AuthMachine,
  type AuthTimers,
  type FlightRecorder,
  type SignInOptions,
} from '../../src/app/auth/core/index.ts';
import { createLogtoAuth, createMemoryStorage, type LogtoAuth, type LogtoAuthTimers } from '../../src/app/auth/logto/index.ts';
import { httpPerson } from '../native-shell/http-person.ts';
import { nativeShell, settle, type Person, type PersonOutcome, type ScenarioName, type ScenarioOptions } from '../native-shell/shell.ts';
import { SecretLedger, Transcript, type SecretKind } from './leak-scan.ts';

export { nativeShell };

export const SIGN_IN_URI = 'com.example.app://callback';
export const SIGN_OUT_URI = 'com.example.app://callback/sign-out';
export const BOOKS = 'https://api.bookstore.local';
export const RESOURCES = [BOOKS, 'https://api.reviews.local', 'https://api.billing.local'];

/**
 * Short machine timers so the suite runs in seconds. The grace and resume windows keep their
 * meaning (a late deep link inside them is success, outside them a recoverable cancel); the
 * waits that must not fire in a normal test stay long.
 */
export const SUITE_TIMERS = {
  browserClosedGrace: 200,
  resumeWindow: 200,
  redirectTimeout: 30_000,
  tokenRequestTimeout: 5_000,
  signOutTimeout: 5_000,
} as const satisfies Partial<AuthTimers>;

export const SUITE_ADAPTER_TIMERS: Partial<LogtoAuthTimers> = {
  tokenRequestTimeout: 5_000,
  revocationTimeout: 2_000,
  browserCloseTimeout: 500,
};

/** "Continue with email": Logto's identifier-first screen with the address prefilled. */
export const continueWithEmail = (email: string): SignInOptions => ({
  firstScreen: 'identifier:sign_in',
  identifiers: ['email'],
  loginHint: email,
});

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls until `probe` is truthy; the message says what was awaited. */
export async function until<T>(probe: () => T | Promise<T>, what: string, timeoutMs = 5_000): Promise<NonNullable<T>> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}

/** Across the whole spec file (each Jest file loads its own copy of this module). */
const fileLedger = new SecretLedger();
const fileTranscript = new Transcript();
let testTranscript = new Transcript();

/** What the app printed to the console during the current test. */
export function consoleLines(): readonly string[] {
  return testTranscript.consoleLines;
}

export interface SuiteLeakReport {
  readonly secretKinds: Set<SecretKind>;
  readonly secretCount: number;
  readonly consoleCalls: number;
  readonly inspectionEvents: number;
  /** Kinds of secrets found in anything logged or inspected during this file's tests. */
  readonly leaks: string[];
  /** Raw callback URLs or query strings of one, whatever their values. */
  readonly callbackShapes: boolean;
}

export function suiteLeakReport(): SuiteLeakReport {
  const text = fileTranscript.text();
  return {
    secretKinds: fileLedger.kinds(),
    secretCount: fileLedger.size,
    consoleCalls: fileTranscript.consoleCalls,
    inspectionEvents: fileTranscript.inspectionEvents,
    leaks: fileLedger.leaksIn(text),
    callbackShapes: /com\.example\.app:\/\/callback\?|[?&](code|code_verifier|refresh_token)=/.test(text),
  };
}

// ---- the app process ---------------------------------------------------------------------------

export interface StateVisit {
  readonly state: string;
  /** performance.now() when the machine entered it. */
  readonly at: number;
}

/**
 * One process of the app: a fresh adapter and a fresh machine over the device's storage. A
 * relaunch after a kill is a new AppProcess on the same storage and the same native shell.
 */
export class AppProcess {
  readonly auth: LogtoAuth;
  readonly actor: Actor<AuthMachine>;
  readonly recorder: FlightRecorder;
  readonly history: StateVisit[] = [];
  /** Event types the machine received (from the inspector): what the port forwarded and what the UI sent. */
  readonly received: string[] = [];
  #stopped = false;
  #disposed = false;
  readonly #describeProblems: () => string;

  constructor(auth: LogtoAuth, timers: Partial<AuthTimers>, describeProblems: () => string) {
    this.auth = auth;
    this.#describeProblems = describeProblems;
    this.recorder = createFlightRecorder();
    const machine = createAuthMachine(auth.port, { timers });
    const actor: Actor<AuthMachine> = createActor(machine, {
      inspect: (event: InspectionEvent) => {
        testTranscript.addInspection(event);
        fileTranscript.addInspection(event);
        this.recorder.inspect(event);
        if (event.type === '@xstate.event' && event.actorRef === actor) this.received.push(event.event.type);
      },
    });
    this.actor = actor;
    actor.subscribe((snapshot) => {
      const state = stateToString(snapshot.value);
      if (this.history.at(-1)?.state !== state) this.history.push({ state, at: performance.now() });
    });
    actor.start();
  }

  get state(): string {
    return stateToString(this.actor.getSnapshot().value);
  }

  get context(): AuthContext {
    return this.actor.getSnapshot().context;
  }

  send(event: AuthEvent): void {
    this.actor.send(event);
  }

  /** Resolves when the machine is in `target` (a dotted state or any sub-state of it). */
  waitFor(target: string, timeoutMs = 5_000): Promise<void> {
    if (isInState(this.state, target)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        subscription.unsubscribe();
        reject(new Error(`Expected the machine in "${target}" within ${timeoutMs} ms. ${this.describe()}${this.#describeProblems()}`));
      }, timeoutMs);
      const subscription = this.actor.subscribe((snapshot) => {
        if (!isInState(stateToString(snapshot.value), target)) return;
        clearTimeout(timer);
        subscription.unsubscribe();
        resolve();
      });
    });
  }

  /** The states visited since `from` (an index into history), in order. */
  statesSince(from = 0): string[] {
    return this.history.slice(from).map((visit) => visit.state);
  }

  /** When the machine first entered `target` at or after history index `from`. */
  enteredAt(target: string, from = 0): number {
    const visit = this.history.slice(from).find((candidate) => isInState(candidate.state, target));
    if (!visit) throw new Error(`The machine never entered "${target}". ${this.describe()}`);
    return visit.at;
  }

  describe(): string {
    const start = this.history[0]?.at ?? 0;
    const path = this.history.map((visit) => `${visit.state}@${Math.round(visit.at - start)}ms`).join(' → ');
    const error = this.context.error;
    return `States: ${path}.${error ? ` Error: ${error.kind}/${error.code}.` : ''}`;
  }

  /** Stop the machine (the app's shutdown, or the OS killing the process). */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.actor.stop();
  }

  dispose(): void {
    this.stop();
    if (this.#disposed) return;
    this.#disposed = true;
    this.auth.dispose();
  }
}

// ---- the stack ---------------------------------------------------------------------------------

export interface StackOptions {
  /** Identity server options (lifetimes, cool-down); port and log are the suite's. */
  readonly idp?: Omit<IdpOptions, 'port' | 'log'>;
  readonly timers?: Partial<AuthTimers>;
  readonly adapterTimers?: Partial<LogtoAuthTimers>;
  /** Runs before each write to the device storage (after the ledger noted it): latency, or an interleaving. */
  readonly beforeStorageWrite?: (key: string, value: string) => Promise<void> | void;
}

export interface PersonOptions {
  /** Abandon the sign-in on this page and close the browser (or leave it open with afterStop 'stay'). */
  readonly stopAt?: 'email' | 'code';
  readonly afterStop?: 'dismiss' | 'stay';
  /**
   * 'deliver' (default): the shell delivers the redirect in the active scenario's order.
   * 'hold': the person finishes, but the redirect is kept in `stack.heldCallbacks` for the
   * test to deliver in an order of its own (the browser stays open).
   */
  readonly redirect?: 'deliver' | 'hold';
  /** The person's browser (cookies): by default one per stack, like a phone's one browser. */
  readonly browser?: HttpBrowser;
}

export class AuthStack {
  readonly idp: RunningIdp;
  /** The device's secure storage: survives app kills (like the Keychain / Keystore). */
  readonly storage: ReturnType<typeof createMemoryStorage>;
  /** The phone's network, as the app sees it. */
  readonly network = { online: true };
  readonly browser = new HttpBrowser();
  readonly heldCallbacks: string[] = [];
  readonly personErrors: string[] = [];
  readonly processes: AppProcess[] = [];
  readonly #options: StackOptions;
  app: AppProcess;

  static async start(options: StackOptions = {}): Promise<AuthStack> {
    const idp = await startIdentityServer({
      port: 0,
      // The scenarios sign the same person in again within seconds (sign out and back, Retry);
      // the per-address code limits have their own proof (dev-idp/sign-in/code-limits.spec.ts).
      codeLimits: { resendCooldownSeconds: 0, codesPerHour: 100 },
      log: (line) => {
        testTranscript.addText('idp', line);
        fileTranscript.addText('idp', line);
      },
      ...options.idp,
    });
    return new AuthStack(idp, options);
  }

  private constructor(idp: RunningIdp, options: StackOptions) {
    this.idp = idp;
    this.#options = options;
    const memory = createMemoryStorage();
    const beforeWrite = options.beforeStorageWrite;
    this.storage = {
      ...memory,
      async setItem(key: string, value: string) {
        fileLedger.noteStored(key, value);
        await beforeWrite?.(key, value);
        await memory.setItem(key, value);
      },
    };
    this.app = this.launch();
  }

  get timers(): Partial<AuthTimers> {
    return { ...SUITE_TIMERS, ...this.#options.timers };
  }

  /** A new app process on this device: fresh adapter and machine, same storage and shell. */
  launch(): AppProcess {
    const auth = createLogtoAuth(
      {
        endpoint: this.idp.endpoint,
        appId: this.idp.appId,
        platform: 'native',
        redirectUri: SIGN_IN_URI,
        postSignOutRedirectUri: SIGN_OUT_URI,
        scopes: ['email', 'profile', 'read:books'],
        resources: RESOURCES,
        storageNamespace: 'com.example.app',
        timers: { ...SUITE_ADAPTER_TIMERS, ...this.#options.adapterTimers },
      },
      // The adapter's logger at every level, into the console: the spy sees all it would ever say.
      { storage: this.storage, fetch: this.#deviceFetch, log: (level, message) => console[level](`[auth/logto] ${message}`) },
    );
    const app = new AppProcess(auth, this.timers, () => this.#problems());
    this.processes.push(app);
    this.app = app;
    return app;
  }

  /**
   * The current process ends (closed, or killed by the OS: then the shell has already dropped
   * its listeners and retained events) and a new one starts on the same device, booting.
   */
  relaunch(): AppProcess {
    this.app.dispose();
    return this.launch();
  }

  /** A deep link to the app, as the OS would deliver it (recorded as a secret when it is a callback). */
  deepLink(url: string): void {
    fileLedger.noteCallbackUrl(url);
    nativeShell.deepLink(url);
  }

  /** The person signs in with an email code on the identity server's pages. */
  person(email: string, options: PersonOptions = {}): Person {
    const walk = httpPerson(options.browser ?? this.browser, {
      email,
      readCode: mailboxCodeReader(this.idp.endpoint),
      ...(options.stopAt ? { stopAt: options.stopAt } : {}),
      ...(options.afterStop ? { afterStop: options.afterStop } : {}),
    });
    return async (url) => {
      const outcome = await walk(url);
      if (outcome.kind === 'redirect' && options.redirect === 'hold' && !new URL(url).pathname.endsWith('/session/end')) {
        fileLedger.noteCallbackUrl(outcome.url);
        this.heldCallbacks.push(outcome.url);
        return { kind: 'stay' };
      }
      return outcome;
    };
  }

  /** Hand the browser to `person`; its redirects are recorded as secrets and its failures reported. */
  usePerson(person: Person, scenario?: ScenarioName, scenarioOptions: ScenarioOptions = {}): void {
    if (scenario) nativeShell.use(scenario, scenarioOptions);
    nativeShell.person = async (url): Promise<PersonOutcome> => {
      try {
        const outcome = await person(url);
        if (outcome.kind === 'redirect') fileLedger.noteCallbackUrl(outcome.url);
        return outcome;
      } catch (error) {
        // A browser that cannot load the page shows an error page; the person closes it.
        this.personErrors.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
        return { kind: 'dismiss' };
      }
    };
  }

  /** Sign in through the machine ("Continue with email"), in the given platform order. */
  async signIn(email: string, scenario: ScenarioName = 'android-url-first'): Promise<AuthContext['claims']> {
    this.usePerson(this.person(email), scenario);
    this.app.send({ type: 'SIGN_IN', options: continueWithEmail(email) });
    await this.app.waitFor('authenticated');
    return this.app.context.claims;
  }

  async stop(): Promise<void> {
    for (const app of this.processes) app.dispose();
    await this.idp.stop();
  }

  #problems(): string {
    return this.personErrors.length ? ` Person errors: ${this.personErrors.join('; ')}.` : '';
  }

  /** The phone's fetch: fails like an offline device while `network.online` is false; notes token traffic. */
  readonly #deviceFetch: typeof fetch = async (input, init) => {
    if (!this.network.online) throw new TypeError('fetch failed');
    const url = new URL(input instanceof Request ? input.url : String(input));
    const isTokenEndpoint = /\/oidc\/token(\/revocation)?$/.test(url.pathname);
    if (isTokenEndpoint && init?.body !== undefined && init.body !== null) fileLedger.noteTokenRequest(String(init.body));
    const response = await fetch(input, init);
    if (isTokenEndpoint && response.ok)
      fileLedger.noteTokenResponse(
        await response
          .clone()
          .json()
          .catch(() => null),
      );
    return response;
  };
}

// ---- per-test wiring ---------------------------------------------------------------------------

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

/**
 * Registers the suite's hooks in the calling spec file and returns `start()`, which brings up
 * an identity server and the app's first process (booting). Everything started is torn down
 * and checked after each test.
 */
export function useAuthStackSuite(): { start(options?: StackOptions): Promise<AuthStack> } {
  const stacks: AuthStack[] = [];
  let spies: { mockRestore(): void }[] = [];

  beforeEach(() => {
    nativeShell.reset();
    testTranscript = new Transcript();
    spies = CONSOLE_METHODS.map((method) =>
      jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        testTranscript.addConsole(method, args);
        fileTranscript.addConsole(method, args);
      }),
    );
  });

  afterEach(async () => {
    const problems: string[] = [];
    try {
      // 1. The machines stop (app shutdown): their platform subscription must release every listener.
      //    Their flight-recorder reports ("copy report" in the debug page) join the transcript.
      for (const stack of stacks) {
        for (const app of stack.processes) {
          const report = JSON.stringify(app.recorder.report());
          testTranscript.addText('flight recorder', report);
          fileTranscript.addText('flight recorder', report);
          app.stop();
        }
      }
      await settle(10);
      const left = nativeShell.listenerCount();
      if (left !== 0) problems.push(`${left} Capacitor listener(s) left after the machines stopped`);
    } finally {
      // 2. Adapters disposed, servers stopped, whatever happened above.
      for (const stack of stacks.splice(0)) await stack.stop();
      spies.forEach((spy) => spy.mockRestore());
    }
    // 3. Nothing this test logged or inspected holds a secret (any secret seen so far in this file).
    const text = testTranscript.text();
    const leaks = fileLedger.leaksIn(text);
    if (leaks.length) problems.push(`secrets in logs or inspector events: ${leaks.join(', ')}`);
    if (/com\.example\.app:\/\/callback\?/.test(text)) problems.push('a callback URL with a query in logs or inspector events');
    expect(problems).toEqual([]);
  });

  return {
    async start(options) {
      const stack = await AuthStack.start(options);
      stacks.push(stack);
      return stack;
    },
  };
}
