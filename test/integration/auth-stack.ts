/**
 * The whole auth stack the app runs, for the full-stack integration suite:
 *
 *   XState machine (createAuthMachine) → Logto adapter (createLogtoAuth) → real @logto/capacitor
 *   SDK → real local identity server (dev-idp, oidc-provider) over HTTP
 *
 * with only the phone simulated: the native shell (test/native-shell) stands in for Capacitor's
 * Browser/App plugins, and "the person in the browser" is test/support's HttpBrowser walking the
 * identity server's pages (email → code from the dev mailbox → redirect).
 */
import { startIdentityServer, type IdpOptions, type RunningIdp } from '../../dev-idp/factory.ts';
import { HttpBrowser, mailboxCodeReader } from '../support/http-browser.ts';
import type { AuthContext, AuthTimers, SignInOptions } from '../../src/app/auth/core/index.ts';
import { createLogtoAuth, createMemoryStorage, type LogtoAuthTimers } from '../../src/app/auth/logto/index.ts';
import { httpPerson } from '../native-shell/http-person.ts';
import { RESOURCES, SIGN_IN_URI, SIGN_OUT_URI } from '../support/constants.ts';
import { nativeShell, type Person, type PersonOutcome, type ScenarioName, type ScenarioOptions } from '../native-shell/shell.ts';
import { AppProcess } from './app-process.ts';
import type { LeakScan } from './leak-scan.ts';

export { nativeShell };

/**
 * Short machine timers so the suite runs in seconds. The grace and resume windows keep their
 * meaning (a late deep link inside them is success, outside them a recoverable cancel); the
 * waits that must not fire in a normal test stay long.
 */
export const SUITE_TIMERS = {
  browserClosedGrace: 200,
  resumeWindow: 200,
  redirectTimeout: 30_000,
  codeExchangeTimeout: 5_000,
  signOutTimeout: 5_000,
} as const satisfies Partial<AuthTimers>;

export const SUITE_ADAPTER_TIMERS: Partial<LogtoAuthTimers> = {
  requestTimeout: 5_000,
  tokenWaitTimeout: 5_000,
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

/**
 * The device's secure storage (survives app kills, like the Keychain / Keystore): every write is
 * noted in the leak scan's ledger, then `beforeWrite` runs (latency, or an interleaving).
 */
export function deviceStorage(
  scan: LeakScan,
  beforeWrite?: (key: string, value: string) => Promise<void> | void,
): ReturnType<typeof createMemoryStorage> {
  const ledger = scan.ledger;
  const memory = createMemoryStorage();
  return {
    ...memory,
    async setItem(key: string, value: string) {
      ledger.noteStored(key, value);
      await beforeWrite?.(key, value);
      await memory.setItem(key, value);
    },
  };
}

/**
 * The app's Logto adapter as the phone runs it: the app's native settings (redirect URIs, scopes,
 * resources, storage namespace) against `server`, the suite's short adapter timers with `timers`
 * on top, and the device's storage and network.
 */
export function createDeviceAuth(
  server: { readonly endpoint: string; readonly appId: string },
  timers: Partial<LogtoAuthTimers> | undefined,
  device: { readonly storage: ReturnType<typeof createMemoryStorage>; readonly fetch: typeof fetch },
): ReturnType<typeof createLogtoAuth> {
  return createLogtoAuth(
    {
      endpoint: server.endpoint,
      appId: server.appId,
      platform: 'native',
      redirectUri: SIGN_IN_URI,
      postSignOutRedirectUri: SIGN_OUT_URI,
      scopes: ['email', 'profile', 'read:books'],
      resources: RESOURCES,
      storageNamespace: 'com.example.app',
      timers: { ...SUITE_ADAPTER_TIMERS, ...timers },
    },
    // The adapter's logger at every level, into the console: the spy sees all it would ever say.
    { storage: device.storage, fetch: device.fetch, log: (level, message) => console[level](`[auth/logto] ${message}`) },
  );
}

/**
 * The phone's fetch: fails like an offline device while `network.online` is false; notes token
 * traffic (the requests' codes, verifiers and refresh tokens, the answers' tokens) in the leak
 * scan's ledger. `afterTokenResponse` sees each token-endpoint answer (and may replace it).
 */
export function deviceFetch(
  network: { readonly online: boolean },
  scan: () => LeakScan,
  afterTokenResponse?: (url: URL, requestBody: string, response: Response) => Promise<Response> | Response,
): typeof fetch {
  return async (input, init) => {
    if (!network.online) throw new TypeError('fetch failed');
    const url = new URL(input instanceof Request ? input.url : String(input));
    const isTokenEndpoint = /\/oidc\/token(\/revocation)?$/.test(url.pathname);
    const body = init?.body === undefined || init.body === null ? undefined : String(init.body);
    if (isTokenEndpoint && body !== undefined) scan().ledger.noteTokenRequest(body);
    const response = await fetch(input, init);
    if (!isTokenEndpoint) return response;
    if (response.ok)
      scan().ledger.noteTokenResponse(
        await response
          .clone()
          .json()
          .catch(() => null),
      );
    return afterTokenResponse ? afterTokenResponse(url, body ?? '', response) : response;
  };
}

/** Across the whole spec file (each Jest file loads its own copy of this module). */

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

/**
 * One phone running the app: the processes that ran on it, the newest current. A process ends
 * (closed, or killed by the OS: then the shell has already dropped its listeners and retained
 * events) and the next starts on the same device, with the same storage and shell, booting.
 */
export abstract class AppDevice {
  readonly processes: AppProcess[] = [];
  app!: AppProcess;

  /** A new app process: a fresh adapter and machine over this device's storage. */
  protected abstract startProcess(): AppProcess;

  launch(): AppProcess {
    const app = this.startProcess();
    this.processes.push(app);
    this.app = app;
    return app;
  }

  relaunch(): AppProcess {
    this.app.dispose();
    return this.launch();
  }

  protected disposeProcesses(): void {
    for (const app of this.processes) app.dispose();
  }
}

export class AuthStack extends AppDevice {
  readonly idp: RunningIdp;
  /** The device's secure storage: survives app kills (like the Keychain / Keystore). */
  readonly storage: ReturnType<typeof createMemoryStorage>;
  /** The phone's network, as the app sees it. */
  readonly network = { online: true };
  readonly browser = new HttpBrowser();
  readonly heldCallbacks: string[] = [];
  readonly personErrors: string[] = [];
  readonly #options: StackOptions;
  readonly #scan: LeakScan;

  /** `scan` is the spec file's leak scan (harness.ts): every secret the stack makes is noted there. */
  static async start(scan: LeakScan, options: StackOptions = {}): Promise<AuthStack> {
    const idp = await startIdentityServer({
      port: 0,
      // The scenarios sign the same person in again within seconds (sign out and back, Retry);
      // the per-address code limits have their own proof (dev-idp/sign-in/code-limits.spec.ts).
      codeLimits: { resendCooldownSeconds: 0, codesPerWindow: 100 },
      log: (line) => scan.addText('idp', line),
      ...options.idp,
    });
    return new AuthStack(idp, scan, options);
  }

  private constructor(idp: RunningIdp, scan: LeakScan, options: StackOptions) {
    super();
    this.idp = idp;
    this.#scan = scan;
    this.#options = options;
    this.storage = deviceStorage(scan, options.beforeStorageWrite);
    this.launch();
  }

  get timers(): Partial<AuthTimers> {
    return { ...SUITE_TIMERS, ...this.#options.timers };
  }

  protected startProcess(): AppProcess {
    const auth = createDeviceAuth(this.idp, this.#options.adapterTimers, { storage: this.storage, fetch: this.#deviceFetch });
    return new AppProcess(auth, this.timers, this.#scan, () => this.#problems());
  }

  /** A deep link to the app, as the OS would deliver it (recorded as a secret when it is a callback). */
  deepLink(url: string): void {
    this.#scan.ledger.noteCallbackUrl(url);
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
        this.#scan.ledger.noteCallbackUrl(outcome.url);
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
        if (outcome.kind === 'redirect') this.#scan.ledger.noteCallbackUrl(outcome.url);
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
    this.disposeProcesses();
    await this.idp.stop();
  }

  #problems(): string {
    return this.personErrors.length ? ` Person errors: ${this.personErrors.join('; ')}.` : '';
  }

  /** The phone's fetch: fails like an offline device while `network.online` is false; notes token traffic. */
  readonly #deviceFetch: typeof fetch = deviceFetch(this.network, () => this.#scan);
}
