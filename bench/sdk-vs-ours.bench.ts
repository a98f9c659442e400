/**
 * The bare Logto SDK as its README shows it (`new LogtoClient(config)`, `signIn`,
 * `getAccessToken`) against our adapter, side by side in one run, both through the simulated
 * native shell (test/native-shell) against the in-process identity server (refresh-token
 * rotation on, as Logto does for native apps). Requests are counted at the server (Node's
 * `http.server.request.start` diagnostics channel, filtered to the identity server's port).
 *
 * - cold start: a new process over the stored session; identity-server requests and time until
 *   the first access token is usable;
 * - refresh under load: 50 concurrent getAccessToken over the 3 resources after the access
 *   tokens expired: refresh grants, most in flight at once, failed calls, and whether the
 *   session survives (the next refresh after that still works);
 * - sign-in round trips: requests from the deep link to signed in (target: 1 token request and
 *   at most 1 JWKS fetch, no second discovery).
 */
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';

import LogtoClient from '@logto/capacitor';

import { startIdentityServer, type RunningIdp } from '../dev-idp/factory.ts';
import { HttpBrowser, mailboxCodeReader } from '../test/support/http-browser.ts';
import type { PlatformEvent } from '../src/app/auth/core/port';
import { createLogtoAuth, createMemoryStorage, type LogtoAuth, type TokenStorage } from '../src/app/auth/logto/index';
import { httpPerson } from '../test/native-shell/http-person.ts';
import { nativeShell, settle, type Person } from '../test/native-shell/shell.ts';
import { median, ms, ratio, writeRows, type BenchRow } from './support/results';

const RESOURCES = ['https://api.bookstore.local', 'https://api.reviews.local', 'https://api.billing.local'];
const SCOPES = ['email', 'read:books'];
const REDIRECT = 'com.example.app://callback';
const ACCESS_TOKEN_SECONDS = 2;

/** Paths of the requests the identity server received, in order, while `recording`. */
class ServerRequests {
  paths: string[] = [];
  recording = false;
  constructor(port: number) {
    subscribe('http.server.request.start', (message) => {
      const { request } = message as { request: IncomingMessage };
      if (this.recording && request.socket.localPort === port) this.paths.push(new URL(request.url ?? '/', 'http://x').pathname);
    });
  }
  start(): void {
    this.paths = [];
    this.recording = true;
  }
  stop(): string[] {
    this.recording = false;
    return this.paths;
  }
}

/** Counts the paths as "2 token, 1 jwks" (the protocol step, not the full path). */
function describePaths(paths: readonly string[]): string {
  const names = paths.map((p) =>
    p.endsWith('/token')
      ? 'token'
      : p.endsWith('/jwks')
        ? 'JWKS'
        : p.includes('openid-configuration')
          ? 'discovery'
          : p.split('/').pop() || p,
  );
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  return counts.size ? [...counts].map(([name, n]) => `${n} ${name}`).join(', ') : 'none';
}

/** The person walks the identity server's pages; `returned` marks when the redirect comes back to the app. */
function person(idp: RunningIdp, email: string, onReturn: () => void): Person {
  const walk = httpPerson(new HttpBrowser(), { email, readCode: mailboxCodeReader(idp.endpoint) });
  return async (url) => {
    const outcome = await walk(url);
    onReturn();
    return outcome;
  };
}

interface Contender {
  readonly name: 'bare SDK' | 'ours';
  /** Sign in through the browser; resolves when signed in. */
  signIn(email: string, onReturn: () => void): Promise<void>;
  /** A new process over the same device storage; resolves with its first usable access token. */
  coldStart(): Promise<string>;
  getAccessToken(resource: string): Promise<string>;
  dispose(): void;
}

function bareSdk(idp: RunningIdp): Contender {
  // As @logto/capacitor's README: the config, then signIn(redirectUri) and getAccessToken(resource).
  const config = { endpoint: idp.endpoint, appId: idp.appId, scopes: SCOPES, resources: RESOURCES };
  let client = new LogtoClient(config);
  return {
    name: 'bare SDK',
    async signIn(email, onReturn) {
      nativeShell.person = person(idp, email, onReturn);
      await client.signIn(REDIRECT);
    },
    async coldStart() {
      client = new LogtoClient(config);
      if (!(await client.isAuthenticated())) throw new Error('bare SDK: not authenticated after a restart');
      return client.getAccessToken(RESOURCES[0]);
    },
    getAccessToken: (resource) => client.getAccessToken(resource),
    dispose: () => undefined,
  };
}

function ours(idp: RunningIdp): Contender {
  const storage: TokenStorage = createMemoryStorage();
  const open = () => {
    const events: PlatformEvent[] = [];
    const auth = createLogtoAuth(
      {
        endpoint: idp.endpoint,
        appId: idp.appId,
        platform: 'native',
        redirectUri: REDIRECT,
        scopes: SCOPES,
        resources: RESOURCES,
        storageNamespace: 'com.example.app',
        // The 2 s access tokens of this bench are inside the default 60 s early-refresh margin.
        timers: { refreshMargin: 0 },
      },
      { storage, log: () => undefined },
    );
    auth.port.subscribe((event) => events.push(event));
    return { auth, events };
  };
  let app: { auth: LogtoAuth; events: PlatformEvent[] } = open();
  return {
    name: 'ours',
    async signIn(email, onReturn) {
      nativeShell.person = person(idp, email, onReturn);
      await app.auth.port.startSignIn({ firstScreen: 'identifier:sign_in', identifiers: ['email'], loginHint: email });
      const started = Date.now();
      let ref: string | undefined;
      while (!ref) {
        ref = app.events.flatMap((e) => (e.type === 'CALLBACK_RECEIVED' ? [e.callback] : []))[0];
        if (!ref && Date.now() - started > 15_000) throw new Error('ours: no callback within 15 s');
        if (!ref) await settle(1);
      }
      await app.auth.port.completeSignIn(ref);
    },
    async coldStart() {
      app.auth.dispose();
      nativeShell.reset();
      app = open();
      const restored = await app.auth.port.restore();
      if (!restored.claims) throw new Error('ours: not signed in after a restart');
      return app.auth.getAccessToken(RESOURCES[0]);
    },
    getAccessToken: (resource) => app.auth.getAccessToken(resource),
    dispose: () => app.auth.dispose(),
  };
}

interface Figures {
  signIn: string[];
  coldStartPaths: string[];
  coldStartMs: number[];
  load: { grants: number; maxInFlight: number; failed: number; survives: boolean }[];
}

async function measure(make: (idp: RunningIdp) => Contender, rounds: number): Promise<Figures> {
  const idp = await startIdentityServer({
    port: 0,
    log: () => undefined,
    ttl: { accessToken: ACCESS_TOKEN_SECONDS },
    codeLimits: { resendCooldownSeconds: 0, codesPerWindow: 1000 },
  });
  const requests = new ServerRequests(idp.port);
  const figures: Figures = { signIn: [], coldStartPaths: [], coldStartMs: [], load: [] };
  try {
    for (let round = 0; round < rounds; round++) {
      nativeShell.reset();
      nativeShell.preferences.clear();
      nativeShell.use('android-url-first');
      // A new process per round: discovery and JWKS caches start empty, as on a phone.
      const contender = make(idp);
      await contender.signIn(`sdk-bench-${round}@example.com`, () => requests.start());
      figures.signIn = requests.stop();
      for (const resource of RESOURCES) await contender.getAccessToken(resource);

      // Cold start with the stored session (access tokens still valid).
      requests.start();
      const started = performance.now();
      await contender.coldStart();
      figures.coldStartMs.push(performance.now() - started);
      figures.coldStartPaths = requests.stop();
      for (const resource of RESOURCES) await contender.getAccessToken(resource);

      // Refresh under load.
      await settle(ACCESS_TOKEN_SECONDS * 1000 + 600);
      idp.counters.reset();
      const calls = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => contender.getAccessToken(RESOURCES[i % 3])));
      const grants = idp.counters.refreshGrants;
      const maxInFlight = idp.counters.maxConcurrentRefreshGrants;
      // The session survives when a refresh after that still works.
      await settle(ACCESS_TOKEN_SECONDS * 1000 + 600);
      const survives = await contender.getAccessToken(RESOURCES[0]).then(
        () => true,
        () => false,
      );
      figures.load.push({ grants, maxInFlight, failed: calls.filter((c) => c.status === 'rejected').length, survives });
      contender.dispose();
    }
    return figures;
  } finally {
    await idp.stop();
  }
}

export async function runSdkVsOurs(options: { rounds: number }): Promise<BenchRow[]> {
  const sdk = await measure(bareSdk, options.rounds);
  const our = await measure(ours, options.rounds);
  const loadSummary = (f: Figures) => {
    const last = f.load.at(-1)!;
    return `${last.grants} grants, ≤ ${Math.max(...f.load.map((l) => l.maxInFlight))} in flight, ${Math.max(...f.load.map((l) => l.failed))}/50 failed, session ${f.load.every((l) => l.survives) ? 'survives' : `lost in ${f.load.filter((l) => !l.survives).length}/${f.load.length} rounds`}`;
  };
  const tokenRequests = (paths: readonly string[]) => paths.filter((p) => p.endsWith('/token')).length;
  const jwks = (paths: readonly string[]) => paths.filter((p) => p.endsWith('/jwks')).length;
  const discovery = (paths: readonly string[]) => paths.filter((p) => p.includes('openid-configuration')).length;
  const signInOk = tokenRequests(our.signIn) === 1 && jwks(our.signIn) <= 1 && discovery(our.signIn) === 0;
  const oursLoad = our.load;
  const loadOk = oursLoad.every((l) => l.maxInFlight <= 1 && l.failed === 0 && l.survives);
  return [
    {
      figure: 'cold start: identity-server requests before the first usable token',
      ours: `${our.coldStartPaths.length} (${describePaths(our.coldStartPaths)})`,
      baseline: `${sdk.coldStartPaths.length} (${describePaths(sdk.coldStartPaths)}) (bare SDK)`,
      ratio: '',
      target: `0: ${our.coldStartPaths.length === 0 ? 'met' : 'not met'}`,
    },
    {
      figure: `cold start: time to the first usable access token (median of ${options.rounds})`,
      ours: ms(median(our.coldStartMs)),
      baseline: `${ms(median(sdk.coldStartMs))} (bare SDK)`,
      ratio: ratio(median(our.coldStartMs), median(sdk.coldStartMs)),
      target: '',
    },
    {
      figure: `50 concurrent getAccessToken over 3 resources after expiry (${options.rounds} rounds)`,
      ours: loadSummary(our),
      baseline: `${loadSummary(sdk)} (bare SDK)`,
      ratio: '',
      target: `never 2 in flight, none failed, session survives: ${loadOk ? 'met' : 'not met'}`,
    },
    {
      figure: 'sign-in: requests from the deep link to signed in',
      ours: `${our.signIn.length} (${describePaths(our.signIn)})`,
      baseline: `${sdk.signIn.length} (${describePaths(sdk.signIn)}) (bare SDK)`,
      ratio: '',
      target: `1 token + ≤ 1 JWKS, no discovery: ${signInOk ? 'met' : 'not met'}`,
    },
  ];
}

if (process.argv[1]?.includes('sdk-vs-ours')) {
  const rows = await runSdkVsOurs({ rounds: Number(process.env['BENCH_ROUNDS'] ?? 5) });
  writeRows('sdk-vs-ours', rows);
  for (const row of rows) console.log(`${row.figure}: ours ${row.ours}; ${row.baseline}; ${row.target}`);
}
