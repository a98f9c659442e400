/**
 * Cold start on a phone, side by side with the Ionic blank starter and with the same starter
 * signed in through the bare Logto SDK:
 *
 * - four production builds: ours (`npm run build`); the starter (bench/baseline-starter/); the
 *   starter plus `@logto/capacitor` wired as Logto's Capacitor guide does it, the SDK lazy with
 *   home ("SDK (lazy)") and imported from main.ts ("SDK (eager)"), both built from the starter's
 *   source with bench/baseline-sdk/ swapped in (angular.json configurations `sdk-lazy`,
 *   `sdk-eager`); all with the same Angular CLI, served from disk by the e2e suite's static server;
 * - headless Debian Chromium, phone viewport, 4× CPU throttling over CDP (checked after every
 *   navigation: a busy loop must run ≥ 2× slower throttled than unthrottled on that same page);
 * - every sample is a fresh browser context (no HTTP or code cache); ours and the SDK apps start
 *   with a stored session in localStorage, each its own and a real one: a sign-in against the
 *   local identity server through our adapter, and one through the bare SDK (what its web
 *   storage, Capacitor Preferences, keeps under `CapacitorStorage.<key>`);
 * - the apps take turns in rounds (the order rotates each round), a warm-up round is discarded;
 *   each round gives one ratio per pair of apps, and the median of those ratios is reported with
 *   a 95 % interval (distribution-free, from the order statistics of the ratios).
 *
 * "First screen": the starter's home text is laid out and visible; ours and the SDK apps: home
 * shows the signed-in email. The time is the start of the first animation
 * frame that finds it so, from navigation start; a second set of rows reads the same moment at the
 * paint of that text (Element Timing's renderTime), which counts an app whose page was shown
 * before the email and one that shows both at once alike. Also counted per app: the JavaScript and CSS the page requested
 * before its first screen (modulepreloads, dynamic imports, lazy routes: what the page really
 * loaded), and requests to the identity server (the target is 0).
 *
 * With BENCH_BEFORE=<git revision>, our app built from that revision (bench/support/before-build.mjs,
 * run by bench/run.mjs) takes its turn in every round too: ours / before is reported like the
 * others, with the initial files and the JS+CSS loaded before the first screen of both.
 *
 * Env: BENCH_PAIRS (rounds, default 11), BENCH_SKIP_BUILD=1 to reuse www/ and the baselines' last
 * builds, BENCH_BEFORE (see above; BENCH_COMPARE_WWW=<dir> measures a build already made instead),
 * BENCH_APPS=ours,before (only those apps; see APPS below), BENCH_CPU_SLOWDOWN (see CPU_SLOWDOWN).
 */
import { execFileSync } from 'node:child_process';

import LogtoClient, { UserScope } from '@logto/capacitor';
import { readFileSync } from 'node:fs';
import { gzipSync, constants } from 'node:zlib';
import { chromium, type Browser } from '@playwright/test';

import { startIdentityServer, type RunningIdp } from '../dev-idp/factory.ts';
import { HttpBrowser, mailboxCodeReader } from '../test/support/http-browser.ts';
import { CHROMIUM_ARGS, findChromium } from '../e2e/support/chromium';
import { startStaticServer } from '../e2e/support/static-server';
import type { PlatformEvent } from '../src/app/auth/core/port';
import { createLogtoAuth, createMemoryStorage } from '../src/app/auth/logto/index';
import { httpPerson } from '../test/native-shell/http-person.ts';
import { nativeShell, settle } from '../test/native-shell/shell.ts';
import { kB, median, medianWithInterval, ms, projectRoot, ratio, writeRows, type BenchRow } from './support/results';

const root = projectRoot();
const OURS = `${root}www`;
const STARTER_DIR = `${root}bench/baseline-starter`;
const STARTER = `${root}bench/results/baseline-starter-www`;
const SDK_LAZY = `${root}bench/results/baseline-sdk-lazy-www`;
const SDK_EAGER = `${root}bench/results/baseline-sdk-eager-www`;
/** The person every stored session belongs to: the first screen shows this address. */
const EMAIL = 'cold-start@example.com';
const PAIRS = Number(process.env['BENCH_PAIRS'] ?? 11);
/**
 * BENCH_CPU_SLOWDOWN (default 4): Chromium's CPU throttling slows the page's main thread only;
 * its background threads (script streaming and compiling among them) run at full speed. With 1 and
 * the run pinned to one core (`taskset -c 0 npm run bench -- cold-start`), main-thread and
 * background work share one unthrottled core: no app gains from work moved off the main thread.
 */
const CPU_SLOWDOWN = Number(process.env['BENCH_CPU_SLOWDOWN'] ?? 4);
if (!(CPU_SLOWDOWN >= 1))
  throw new Error(
    `cold-start bench: BENCH_CPU_SLOWDOWN must be a number ≥ 1 (1: no throttling), not "${process.env['BENCH_CPU_SLOWDOWN']}"`,
  );
/** A sample counts when its busy loop ran at least this much slower throttled (none to check at 1×). */
const MIN_SLOWDOWN = CPU_SLOWDOWN > 1 ? Math.min(2, CPU_SLOWDOWN) : 0;
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true };

/**
 * `before`: our app as it was before a change, measured in the same alternation: the build of
 * BENCH_BEFORE=<revision> that bench/run.mjs made (BENCH_BEFORE_WWW, with that build's app ID in
 * BENCH_BEFORE_APP_ID), or any build of ours given as BENCH_COMPARE_WWW=<dir>.
 */
type AppName = 'ours' | 'starter' | 'sdk-lazy' | 'sdk-eager' | 'before';
if (process.env['BENCH_BEFORE'] && !process.env['BENCH_BEFORE_WWW']) {
  throw new Error('cold-start bench: BENCH_BEFORE is built by bench/run.mjs: run it as `BENCH_BEFORE=<rev> npm run bench -- cold-start`');
}
const BEFORE = process.env['BENCH_BEFORE_WWW'] ?? process.env['BENCH_COMPARE_WWW'];
const LABEL: Record<AppName, string> = {
  ours: 'ours',
  starter: 'starter',
  'sdk-lazy': 'SDK (lazy)',
  'sdk-eager': 'SDK (eager)',
  before: process.env['BENCH_BEFORE_LABEL'] ?? 'before',
};
/**
 * BENCH_APPS=ours,before: only those apps (ours is always measured): a quicker run when only one
 * comparison matters, e.g. finding which change cost time. Rows whose baseline was not measured
 * are left out.
 */
const APPS: AppName[] = (['ours', 'starter', 'sdk-lazy', 'sdk-eager', 'before'] as const).filter(
  (app) =>
    (app !== 'before' || BEFORE) &&
    (app === 'ours' ||
      !process.env['BENCH_APPS'] ||
      process.env['BENCH_APPS']
        .split(',')
        .map((name) => name.trim())
        .includes(app)),
);
const dirOf = (app: AppName): string =>
  ({ ours: OURS, starter: STARTER, 'sdk-lazy': SDK_LAZY, 'sdk-eager': SDK_EAGER, before: BEFORE ?? OURS })[app];

function buildAll(settings: AppSettings): void {
  // Ours exactly as shipped; the baselines with the same Angular CLI and packages.
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  // The SDK apps name the identity server and app of our build (their guide writes them as literals).
  const define = [
    '--define',
    `LOGTO_ENDPOINT=${JSON.stringify(settings.logto.endpoint)}`,
    '--define',
    `LOGTO_APP_ID=${JSON.stringify(settings.logto.appId)}`,
  ];
  for (const args of [[], ['-c', 'production,sdk-lazy', ...define], ['-c', 'production,sdk-eager', ...define]]) {
    execFileSync(process.execPath, [`${root}node_modules/@angular/cli/bin/ng.js`, 'build', ...args], {
      cwd: STARTER_DIR,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, NG_CLI_ANALYTICS: 'false' },
    });
  }
}

interface AppSettings {
  appId: string;
  logto: { endpoint: string; appId: string };
  scopes: string[];
  resources: string[];
}

/** Real stored sessions, each app's own: sign-ins against the local identity server. */
async function storedSessions(settings: AppSettings): Promise<{ ours: Record<string, string>; sdk: Record<string, string> }> {
  // Two sign-ins of one person in a row: no wait between the two emailed codes.
  const idp = await startIdentityServer({ port: 0, log: () => undefined, codeLimits: { resendCooldownSeconds: 0, codesPerWindow: 1000 } });
  try {
    return { ours: await oursSession(settings, idp), sdk: await sdkSession(idp) };
  } finally {
    await idp.stop();
  }
}

/** Ours: a sign-in through our adapter, every resource's access token fetched: what its storage holds, by item. */
async function oursSession(settings: AppSettings, idp: RunningIdp): Promise<Record<string, string>> {
  {
    const storage = createMemoryStorage();
    nativeShell.reset();
    const auth = createLogtoAuth(
      {
        endpoint: idp.endpoint,
        appId: idp.appId,
        platform: 'native',
        redirectUri: 'com.example.app://callback',
        scopes: settings.scopes,
        resources: settings.resources,
        storageNamespace: settings.appId,
      },
      { storage, log: () => undefined },
    );
    const events: PlatformEvent[] = [];
    auth.port.subscribe((event) => events.push(event));
    nativeShell.use('android-url-first');
    const email = EMAIL;
    nativeShell.person = httpPerson(new HttpBrowser(), { email, readCode: mailboxCodeReader(idp.endpoint) });
    await auth.port.startSignIn({ firstScreen: 'identifier:sign_in', identifiers: ['email'], loginHint: email });
    const started = Date.now();
    let ref: string | undefined;
    while (!ref) {
      ref = events.flatMap((e) => (e.type === 'CALLBACK_RECEIVED' ? [e.callback] : []))[0];
      if (!ref && Date.now() - started > 15_000) throw new Error('cold-start bench: the seeding sign-in got no callback within 15 s');
      if (!ref) await settle(5);
    }
    await auth.port.completeSignIn(ref);
    // Every resource's access token in storage, as after a day of use: a cold start needs none fetched.
    for (const resource of settings.resources) await auth.getAccessToken(resource);
    auth.dispose();
    // Everything the app keeps after a sign-in and a launch (tokens, and that the Preferences
    // migration ran), under the web fallback's keys (session-storage.ts createWebFallbackStorage).
    const stored = storage.snapshot();
    for (const item of ['idToken', 'refreshToken', 'accessToken']) {
      if (!stored[item]) throw new Error(`cold-start bench: the seeding sign-in stored no ${item}`);
    }
    return stored;
  }
}

/**
 * The bare SDK: `signIn` through the simulated shell, as the guide's app calls it. The SDK keeps
 * its session through Capacitor Preferences (@logto/capacitor sets `adapter.storage` to it), whose
 * web implementation writes `localStorage["CapacitorStorage." + key]`; the keys are the base
 * client's (`idToken`, `refreshToken`, `accessToken`: @logto/client's PersistKey). What the shell's
 * Preferences holds after the sign-in is written under those names, nothing added.
 */
async function sdkSession(idp: RunningIdp): Promise<Record<string, string>> {
  nativeShell.reset();
  nativeShell.use('android-url-first');
  nativeShell.person = httpPerson(new HttpBrowser(), { email: EMAIL, readCode: mailboxCodeReader(idp.endpoint) });
  // The config of bench/baseline-sdk/logto.ts.
  const client = new LogtoClient({ endpoint: idp.endpoint, appId: idp.appId, scopes: [UserScope.Email] });
  await client.signIn('com.example.app://callback');
  if ((await client.getIdTokenClaims()).email !== EMAIL) throw new Error('cold-start bench: the SDK sign-in has no email claim');
  const seeded: Record<string, string> = {};
  for (const [key, value] of nativeShell.preferences) seeded[`CapacitorStorage.${key}`] = value;
  for (const item of ['idToken', 'refreshToken', 'accessToken']) {
    if (!seeded[`CapacitorStorage.${item}`]) throw new Error(`cold-start bench: the SDK's sign-in stored no ${item}`);
  }
  return seeded;
}

/** Installed before any script of the page: records the start of the first frame that paints the first screen. */
function firstScreenProbe(app: AppName): string {
  return `(() => {
    const visible = (el) => {
      if (!el || el.closest('.ion-page-invisible, .ion-page-hidden')) return false;
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
    };
    const readyText = ${JSON.stringify(app !== 'starter' ? 'app-home [data-testid="profile-email"]' : 'app-home #container strong')};
    const ready = () => {
      const text = document.querySelector(readyText);
      return visible(text) && ${app !== 'starter' ? `text.textContent.includes(${JSON.stringify(EMAIL)})` : 'true'};
    };
    // The paint of that text (Element Timing): the attribute goes on the element and its
    // ancestors, set as soon as it is in the DOM (before its paint); Chromium reports the block
    // that holds the text, and text under opacity 0 (Ionic's hidden page) only once it shows.
    let painted = null;
    let markedAt = 0;
    window.__paint = null;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries())
        if (window.__paint === null && entry.identifier === 'first-screen' && painted && entry.element?.contains(painted) && entry.renderTime >= markedAt)
          window.__paint = entry.renderTime;
    }).observe({ type: 'element', buffered: true });
    let seen = false;
    // BENCH_TIMELINE: when the auth state and home's email first appeared.
    window.__marks = [];
    let lastState = null;
    let named = false;
    const check = () => {
      const state = document.documentElement.getAttribute('data-auth-state');
      if (state !== lastState) window.__marks.push(\`\${Math.round(performance.now())} state=\${(lastState = state)}\`);
      if (!named && document.querySelector('[data-testid="profile-email"]')) window.__marks.push(\`\${Math.round(performance.now())} email in DOM\`), (named = true);
      if (!painted && (painted = document.querySelector(readyText))) {
        markedAt = performance.now();
        for (let el = painted; el && el.localName !== 'app-home'; el = el.parentElement) el.setAttribute('elementtiming', 'first-screen');
      }
      if (seen || scheduled) return;
      // Visibility is checked once per frame, at its start (its layout is due anyway): checked on
      // every DOM change it forced a layout each time, and cost the busier app more (≈ 30 ms
      // throttled for ours, 5 for the starter, measured with BENCH_PROFILE).
      scheduled = true;
      requestAnimationFrame(() => {
        scheduled = false;
        if (seen || !ready()) return;
        seen = true;
        observer.disconnect();
        window.__firstScreen = performance.now();
      });
    };
    let scheduled = false;
    const observer = new MutationObserver(check);
    observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  })();`;
}

interface Sample {
  app: AppName;
  firstScreenMs: number;
  /** When the first screen's text was painted (Element Timing's renderTime); NaN if not reported. */
  paintMs: number;
  /** Same-origin .js/.css the page requested before its first screen. */
  files: string[];
  idpRequests: number;
  slowdown: number;
  /** BENCH_PROFILE: sampled CPU time (ms) until the first screen, by script (or V8's "(program)", "(garbage collector)"…). */
  selfTime?: Map<string, number>;
}

/**
 * BENCH_TRACE=1: the page's main thread before the first screen by trace event, self time (style
 * recalculation, layout, paint, HTML parsing, script compilation and evaluation…): what the CPU
 * profile shows only as "(program)".
 */
const TRACE = process.env['BENCH_TRACE'] === '1';
if (TRACE && process.env['BENCH_PROFILE']) throw new Error('cold-start bench: BENCH_TRACE and BENCH_PROFILE measure one at a time');

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; beginData?: { url?: string } };
}

function selfTimeByTraceEvent(events: readonly TraceEvent[], baseUrl: string): Map<string, number> {
  // The page's main thread: the one that parsed the app's index.html (the trace holds the whole
  // browser: its other processes and threads, the page's about:blank before the navigation).
  const main = events.find((e) => e.name === 'ParseHTML' && e.args?.beginData?.url?.startsWith(baseUrl));
  const totals = new Map<string, number>();
  if (!main) throw new Error('cold-start bench: BENCH_TRACE found no main thread that parsed the app (no ParseHTML event for it)');
  const complete = events
    .filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && (e.dur ?? 0) > 0)
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  // Self time: an event's duration less its children's (events nest on one thread).
  const stack: { end: number; name: string; children: number; dur: number }[] = [];
  const close = (until: number) => {
    while (stack.length > 0 && stack[stack.length - 1].end <= until) {
      const done = stack.pop()!;
      totals.set(done.name, (totals.get(done.name) ?? 0) + (done.dur - done.children) / 1000);
      if (stack.length > 0) stack[stack.length - 1].children += done.dur;
    }
  };
  for (const event of complete) {
    close(event.ts);
    stack.push({ end: event.ts + (event.dur ?? 0), name: event.name, children: 0, dur: event.dur ?? 0 });
  }
  close(Infinity);
  return totals;
}

/** BENCH_PROFILE=1: where the main thread's time goes before the first screen (CDP's sampling profiler; it adds some overhead of its own). */
const PROFILE = process.env['BENCH_PROFILE'] === '1' || process.env['BENCH_PROFILE'] === 'functions';
/** BENCH_PROFILE=functions: by function (script:name) instead of by script. */
const BY_FUNCTION = process.env['BENCH_PROFILE'] === 'functions';

interface CpuProfile {
  nodes: { id: number; callFrame: { url: string; functionName: string } }[];
  samples?: number[];
  timeDeltas?: number[];
}

function selfTimeByScript(profile: CpuProfile, baseUrl: string): Map<string, number> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  (profile.samples ?? []).forEach((id, index) => {
    const frame = byId.get(id)?.callFrame;
    const script = frame?.url ? frame.url.replace(`${baseUrl}/`, '') : '';
    const key = script ? (BY_FUNCTION ? `${script}:${frame?.functionName || '(top)'}` : script) : `(${frame?.functionName || 'native'})`;
    totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas?.[index] ?? 0) / 1000);
  });
  return totals;
}

function printProfile(app: string, samples: readonly Sample[]): void {
  const keys = new Set(samples.flatMap((sample) => [...(sample.selfTime?.keys() ?? [])]));
  const rows = [...keys]
    .map((key) => [key, median(samples.map((sample) => sample.selfTime?.get(key) ?? 0))] as const)
    .sort((a, b) => b[1] - a[1])
    .slice(0, BY_FUNCTION || TRACE ? 30 : 15);
  console.log(
    `CPU before the first screen, ${app} (median ms by ${TRACE ? 'trace event, self time' : 'script'}): ${rows.map(([key, time]) => `${key} ${Math.round(time)}`).join(' · ')}`,
  );
}

async function sample(browser: Browser, app: AppName, baseUrl: string, seeded: Record<string, string>, idpOrigin: string): Promise<Sample> {
  const context = await browser.newContext({
    ...PHONE,
    storageState: {
      cookies: [],
      origins: [{ origin: baseUrl, localStorage: Object.entries(seeded).map(([name, value]) => ({ name, value })) }],
    },
  });
  try {
    const page = await context.newPage();
    let idpRequests = 0;
    page.on('request', (request) => {
      if (request.url().startsWith(idpOrigin)) idpRequests += 1;
    });
    await page.addInitScript(firstScreenProbe(app));
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    if (TRACE) {
      await browser.startTracing(page, {
        categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.execute', 'blink', 'loading'],
      });
    }
    if (PROFILE) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    await page.goto(`${baseUrl}/`, { waitUntil: 'commit' });
    await page
      // Our app on its sign-in page did not accept the stored session: no need to wait 30 s.
      .waitForFunction(
        (ourApp) => (window as { __firstScreen?: unknown }).__firstScreen || (ourApp && document.querySelector('app-sign-in ion-content')),
        app === 'ours' || app === 'before',
        { timeout: 30_000, polling: 50 },
      )
      .then(async () => {
        if (!(await page.evaluate(() => (window as { __firstScreen?: unknown }).__firstScreen))) throw new Error('the sign-in page showed');
      })
      .catch(async (error: unknown) => {
        const shown = await page.evaluate(() =>
          document.querySelector('app-sign-in')
            ? null
            : (document.querySelector('app-home')?.textContent?.replace(/\s+/g, ' ').trim() ?? '(no home page)'),
        );
        const what =
          shown === null
            ? 'showed its sign-in page: the stored session was not read'
            : `showed no first screen within 30 s; home shows: ${shown.slice(0, 200)}`;
        const hint =
          app === 'before'
            ? ' (the before build is seeded with a session in our storage format of today, under its app ID: if that revision kept its session elsewhere, see src/app/auth/logto/token-storage.ts there, it cannot read it)'
            : '';
        throw new Error(`cold-start bench: ${LABEL[app]} ${what}${hint}`, {
          cause: error,
        });
      });
    const selfTime = PROFILE
      ? selfTimeByScript((await cdp.send('Profiler.stop')).profile, baseUrl)
      : TRACE
        ? selfTimeByTraceEvent(
            (JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents,
            baseUrl,
          )
        : undefined;
    const result = await page.evaluate(() => {
      const frame = (window as unknown as { __firstScreen: number }).__firstScreen;
      const loaded = (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
        .filter((entry) => entry.startTime <= frame && new URL(entry.name).origin === location.origin)
        .filter((entry) => /\.(js|css)$/.test(new URL(entry.name).pathname));
      const files = loaded.map((entry) => new URL(entry.name).pathname);
      const timeline = loaded.map(
        (entry) => `${Math.round(entry.startTime)}–${Math.round(entry.responseEnd)} ${new URL(entry.name).pathname}`,
      );
      return { frame, files, timeline: [...timeline, ...((window as unknown as { __marks: string[] }).__marks ?? [])] };
    });
    // The paint comes at the end of a frame, after the first screen's check; Element Timing
    // reports it a moment later.
    const paintMs = await page
      .waitForFunction(() => (window as { __paint?: number | null }).__paint ?? false, undefined, { timeout: 5_000, polling: 50 })
      .then((handle) => handle.jsonValue() as Promise<number>)
      .catch(() => Number.NaN);
    // Throttling must have applied to this very page (it survives the navigation, but check).
    const loop = () =>
      page.evaluate(() => {
        const start = performance.now();
        let x = 0;
        for (let i = 0; i < 1e7; i++) x += Math.sqrt(i);
        return performance.now() - start + (x < 0 ? 1 : 0);
      });
    // Minimums: on a loaded machine a loop can only be slowed by others, never sped up, so the
    // fastest throttled and the fastest free loop over all attempts are the closest to the truth.
    // A noisy check is repeated (throttling switched back on for it) before the run stops: on a
    // machine shared with other work, a busy minute slowed the free loops enough to stop a run.
    let slowdown = 0;
    let throttled = Infinity;
    let free = Infinity;
    for (let attempt = 0; attempt < 6 && slowdown < MIN_SLOWDOWN; attempt++) {
      // The first check measures the rate set before the navigation, as it survived it.
      if (attempt > 0) await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
      throttled = Math.min(throttled, await loop(), await loop(), await loop());
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
      free = Math.min(free, await loop(), await loop(), await loop());
      slowdown = throttled / free;
    }
    if (process.env['BENCH_TIMELINE'])
      console.log(`timeline (${app}, first screen at ${Math.round(result.frame)} ms): ${result.timeline.join(' · ')}`);
    return { app, firstScreenMs: result.frame, paintMs, files: result.files, idpRequests, slowdown, selfTime };
  } finally {
    await context.close();
  }
}

/**
 * A sample counts only if the CPU throttling held on its page (the busy loop ≥ 2× slower). On a
 * machine shared with other work a busy minute can slow the free loop as much as the throttle, so
 * such a sample is measured again (a fresh context) up to twice before the run stops.
 */
async function throttledSample(measure: () => Promise<Sample>, app: AppName): Promise<Sample> {
  for (let attempt = 1; ; attempt++) {
    const result = await measure();
    if (result.slowdown >= MIN_SLOWDOWN) return result;
    const found = `busy loop ${result.slowdown.toFixed(1)}× slower, expected ~${CPU_SLOWDOWN}×`;
    if (attempt === 3) throw new Error(`CPU throttling did not apply to the ${LABEL[app]} page (${found}, 3 tries)`);
    console.log(`${LABEL[app]}: throttling not confirmed (${found}); measuring this sample again`);
  }
}

function bytesOf(dir: string, files: readonly string[]): { raw: number; gzip: number } {
  let raw = 0;
  let gzip = 0;
  for (const file of new Set(files)) {
    const bytes = readFileSync(`${dir}${file}`);
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION }).length;
  }
  return { raw, gzip };
}

/**
 * What index.html names (scripts, modulepreloads, stylesheets): Angular's "initial" files, once
 * each (`main` is both preloaded, from the base path, and a script).
 */
function indexHtmlFiles(dir: string): string[] {
  const html = readFileSync(`${dir}/index.html`, 'utf8');
  return [
    ...new Set([...html.matchAll(/<(?:script|link)\b[^>]*(?:src|href)="([^"]+\.(?:js|css))"/g)].map((m) => `/${m[1].replace(/^\//, '')}`)),
  ];
}

const times = (value: number) => `${value.toFixed(2)}×`;

export async function runColdStart(options: { pairs: number; build: boolean }): Promise<BenchRow[]> {
  const settings = JSON.parse(readFileSync(`${root}src/app-settings.generated.json`, 'utf8')) as AppSettings;
  if (options.build) buildAll(settings);
  const sessions = await storedSessions(settings);
  // Our web storage's keys (token-storage.ts createWebFallbackStorage): `<app ID>:logto:<item>`. The
  // before build is our app too: the same session under its own app ID. If its storage format
  // differs, its home never shows the email and the warm-up round stops, saying so.
  const underNamespace = (appId: string) =>
    Object.fromEntries(Object.entries(sessions.ours).map(([item, value]) => [`${appId}:logto:${item}`, value]));
  const ours = underNamespace(settings.appId);
  const before = underNamespace(process.env['BENCH_BEFORE_APP_ID'] ?? settings.appId);
  const seededFor = (app: AppName) =>
    app === 'starter' ? {} : app === 'sdk-lazy' || app === 'sdk-eager' ? sessions.sdk : app === 'before' ? before : ours;
  let current = OURS;
  const server = await startStaticServer(() => current);
  // The stored session's origin: the redirect URIs name localhost.
  const baseUrl = `http://localhost:${server.port}`;
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS, headless: true });
  const samples: Sample[] = [];
  const apps = APPS;
  try {
    for (let round = 0; round <= options.pairs; round++) {
      // The order rotates every round, so each app goes first, second… equally often and drift on
      // the shared machine hits all alike.
      const order = [...apps.slice(round % apps.length), ...apps.slice(0, round % apps.length)];
      for (const app of order) {
        current = dirOf(app);
        const result = await throttledSample(() => sample(browser, app, baseUrl, seededFor(app), settings.logto.endpoint), app);
        if (round > 0) samples.push(result); // round 0 warms the browser up
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }

  const of = (app: AppName) => samples.filter((s) => s.app === app);
  /** The first screen as the bench has always counted it (a frame's start), or its text's paint. */
  type Moment = 'firstScreenMs' | 'paintMs';
  const msOf = (app: AppName, at: Moment = 'firstScreenMs') => median(of(app).map((s) => s[at]));
  // Ratios within a round: the two apps ran next to each other, under the same load.
  const pairRatios = (app: AppName, baseline: AppName, at: Moment = 'firstScreenMs') => of(app).map((s, i) => s[at] / of(baseline)[i][at]);
  const paintReported = apps.every((app) => of(app).every((s) => Number.isFinite(s.paintMs)));
  // The files of the median sample (they are the same in every sample unless a chunk raced the mark).
  const filesOf = (app: AppName) => {
    const sorted = [...of(app)].sort((a, b) => a.firstScreenMs - b.firstScreenMs);
    return sorted[Math.floor(sorted.length / 2)].files;
  };
  const loaded = (app: AppName) => bytesOf(dirOf(app), filesOf(app));
  const initial = (app: AppName) => bytesOf(dirOf(app), indexHtmlFiles(dirOf(app)));
  const requests = (app: AppName) => Math.max(...of(app).map((s) => s.idpRequests));

  console.log(
    `cold start, ${options.pairs} rounds, ${CPU_SLOWDOWN}× CPU, 390×844; measured slowdown ${median(samples.map((s) => s.slowdown)).toFixed(1)}×`,
  );
  for (const app of apps) {
    console.log(
      `  ${LABEL[app]}: ${of(app)
        .map((s) => Math.round(s.firstScreenMs))
        .join(', ')} ms; its text painted at ${of(app)
        .map((s) => Math.round(s.paintMs))
        .join(', ')} ms`,
    );
  }
  if (!paintReported) console.log('Element Timing did not report every first screen: no rows for the paint');
  if (PROFILE || TRACE) for (const app of apps) printProfile(app, of(app));
  for (const app of apps) console.log(`files before first screen, ${LABEL[app]} (${filesOf(app).length}): ${filesOf(app).join(' ')}`);
  for (const app of apps)
    console.log(
      `identity-server requests before the first screen, ${LABEL[app]}: ${of(app)
        .map((s) => s.idpRequests)
        .join(', ')}`,
    );

  const coldStartRow = (app: AppName, baseline: AppName, target: number, targetText: string, at: Moment = 'firstScreenMs'): BenchRow => {
    const ratios = medianWithInterval(pairRatios(app, baseline, at));
    return {
      figure: `${at === 'firstScreenMs' ? 'cold start to first screen' : 'cold start to its text painted (Element Timing)'}, ${LABEL[app]} / ${LABEL[baseline]} (median of ${options.pairs} round ratios, 95 % interval)`,
      ours: ms(msOf(app, at)),
      baseline: `${ms(msOf(baseline, at))} (${LABEL[baseline]})`,
      ratio: `${times(ratios.median)} [${times(ratios.low)}–${times(ratios.high)}] (${Number.isNaN(ratios.coverage) ? 'min–max: under 6 rounds' : `${(ratios.coverage * 100).toFixed(1)} %`})`,
      target: `${targetText}: ${ratios.median <= target ? 'met' : 'not met'}${ratios.high <= target ? ' (whole interval)' : ''}`,
    };
  };
  const sizeRow = (app: AppName, what: 'loaded' | 'initial'): BenchRow => {
    const size = what === 'loaded' ? loaded : initial;
    const over = size('ours').gzip - size(app).gzip;
    return {
      figure:
        what === 'loaded'
          ? `JS+CSS loaded before the first screen (gzip -9), vs ${LABEL[app]}`
          : `initial files (what index.html names, gzip -9), vs ${LABEL[app]}`,
      ours: `${kB(size('ours').gzip)} (raw ${kB(size('ours').raw)})`,
      baseline: `${kB(size(app).gzip)} (${LABEL[app]}; raw ${kB(size(app).raw)})`,
      ratio: ratio(size('ours').gzip, size(app).gzip),
      target:
        app === 'starter' && what === 'loaded'
          ? `≤ starter + 25 kB: ${over <= 25_000 ? 'met' : 'not met'} (${over >= 0 ? '+' : '−'}${kB(Math.abs(over))})`
          : `${over >= 0 ? '+' : '−'}${kB(Math.abs(over))}`,
    };
  };
  const sdkApps = (['sdk-lazy', 'sdk-eager'] as const).filter((app) => apps.includes(app));
  const baselines = (['starter', ...sdkApps] as AppName[]).filter((app) => apps.includes(app));
  const rows: BenchRow[] = [
    ...(apps.includes('starter') ? [coldStartRow('ours', 'starter', 1.15, '≤ 1.15×')] : []),
    ...sdkApps.map((app) => coldStartRow('ours', app, 0.95, '≤ 0.95×')),
    // The same moments read at the paint ("When the first screen is counted", docs/benchmarks.md).
    ...(paintReported && apps.includes('starter') ? [coldStartRow('ours', 'starter', 1.15, '≤ 1.15×', 'paintMs')] : []),
    ...(paintReported ? sdkApps.map((app) => coldStartRow('ours', app, 0.95, '≤ 0.95×', 'paintMs')) : []),
    ...baselines.map((app) => sizeRow(app, 'loaded')),
    ...baselines.map((app) => sizeRow(app, 'initial')),
    {
      figure: 'identity-server requests before the first screen (most in one sample)',
      ours: String(requests('ours')),
      baseline: sdkApps.map((app) => `${requests(app)} (${LABEL[app]})`).join(', '),
      ratio: '',
      target: `0: ${requests('ours') === 0 ? 'met' : 'not met'}`,
    },
  ];
  if (BEFORE) {
    console.log(`${LABEL.before}: ${BEFORE}`);
    // Same run, same rounds: "no figure gets worse" reads ours / before ≤ 1× and no more bytes.
    rows.push(coldStartRow('ours', 'before', 1, 'no worse: ≤ 1×'), sizeRow('before', 'loaded'), sizeRow('before', 'initial'), {
      figure: `identity-server requests before the first screen (most in one sample), ${LABEL.before}`,
      ours: String(requests('ours')),
      baseline: `${requests('before')} (${LABEL.before})`,
      ratio: '',
      target: '',
    });
  }
  return rows;
}

if (process.argv[1]?.includes('cold-start')) {
  const rows = await runColdStart({ pairs: PAIRS, build: process.env['BENCH_SKIP_BUILD'] !== '1' });
  writeRows('cold-start', rows);
  for (const row of rows) console.log(`${row.figure}: ${row.ours} vs ${row.baseline} ${row.ratio} ${row.target}`);
}
