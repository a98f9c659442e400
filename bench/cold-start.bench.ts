/**
 * Cold start on a phone, side by side with the Ionic blank starter (issue #13):
 *
 * - both apps are the production builds (`npm run build` for ours, the same Angular build of
 *   bench/baseline-starter/), served from disk by the one static server of the e2e suite;
 * - headless Debian Chromium, phone viewport, 4× CPU throttling over CDP (checked after every
 *   navigation: a busy loop must run ≥ 2× slower throttled than unthrottled on that same page);
 * - every sample is a fresh browser context (no HTTP or code cache), ours with a stored session
 *   in localStorage (a real one, from a sign-in against the local identity server);
 * - the apps alternate, a warm-up pair is discarded, medians of the pairs are reported.
 *
 * "First screen": the starter's home text is laid out and visible; ours: `data-auth-state` is
 * `authenticated` and home shows the person's name. The time is the start of the first animation
 * frame that finds it so, from navigation start. Also counted per app: the JavaScript and CSS the page requested
 * before its first screen (modulepreloads, dynamic imports, lazy routes: what the page really
 * loaded), and requests to the identity server (the target is 0).
 *
 * Env: BENCH_PAIRS (default 11), BENCH_SKIP_BUILD=1 to reuse www/ and the starter's last build.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gzipSync, constants } from 'node:zlib';
import { chromium, type Browser } from '@playwright/test';

import { startIdentityServer } from '../dev-idp/factory.ts';
import { HttpBrowser, mailboxCodeReader } from '../dev-idp/testing/http-browser.ts';
import { CHROMIUM_ARGS, findChromium } from '../e2e/support/chromium';
import { startStaticServer } from '../e2e/support/static-server';
import type { PlatformEvent } from '../src/app/auth/core/port';
import { createLogtoAuth, createMemoryStorage } from '../src/app/auth/logto/index';
import { httpPerson } from '../test/native-shell/http-person.ts';
import { nativeShell, settle } from '../test/native-shell/shell.ts';
import { kB, median, ms, projectRoot, ratio, writeRows, type BenchRow } from './support/results';

const root = projectRoot();
const OURS = `${root}www`;
const STARTER_DIR = `${root}bench/baseline-starter`;
const STARTER = `${root}bench/results/baseline-starter-www`;
const PAIRS = Number(process.env['BENCH_PAIRS'] ?? 11);
const CPU_SLOWDOWN = 4;
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true };

/** `compare`: another build of ours (BENCH_COMPARE_WWW), e.g. before a change, measured in the same alternation. */
type AppName = 'ours' | 'starter' | 'compare';
const COMPARE = process.env['BENCH_COMPARE_WWW'];

function buildBoth(): void {
  // Ours exactly as shipped; the starter with the same Angular CLI and packages.
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  execFileSync(process.execPath, [`${root}node_modules/@angular/cli/bin/ng.js`, 'build'], {
    cwd: STARTER_DIR,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NG_CLI_ANALYTICS: 'false' },
  });
}

interface AppSettings {
  appId: string;
  logto: { endpoint: string; appId: string };
  scopes: string[];
  resources: string[];
}

/** A real stored session: a sign-in through our adapter against the local identity server. */
async function storedSession(settings: AppSettings): Promise<Record<string, string>> {
  const idp = await startIdentityServer({ port: 0, log: () => undefined });
  try {
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
    const email = 'cold-start@example.com';
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
    const seeded: Record<string, string> = {};
    for (const [item, value] of Object.entries(stored)) seeded[`${settings.appId}:logto:${item}`] = value;
    return seeded;
  } finally {
    await idp.stop();
  }
}

/** Installed before any script of the page: records the start of the first frame that paints the first screen. */
function firstScreenProbe(app: AppName): string {
  return `(() => {
    const visible = (el) => {
      if (!el || el.closest('.ion-page-invisible, .ion-page-hidden')) return false;
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
    };
    const ready = ${
      app !== 'starter'
        ? `() => document.documentElement.getAttribute('data-auth-state') === 'authenticated' && visible(document.querySelector('app-home [data-testid="profile-name"]'))`
        : `() => visible(document.querySelector('app-home #container strong'))`
    };
    let seen = false;
    // BENCH_TIMELINE: when the auth state and home's name first appeared.
    window.__marks = [];
    let lastState = null;
    let named = false;
    const check = () => {
      const state = document.documentElement.getAttribute('data-auth-state');
      if (state !== lastState) window.__marks.push(\`\${Math.round(performance.now())} state=\${(lastState = state)}\`);
      if (!named && document.querySelector('[data-testid="profile-name"]')) window.__marks.push(\`\${Math.round(performance.now())} name in DOM\`), (named = true);
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
  /** Same-origin .js/.css the page requested before its first screen. */
  files: string[];
  idpRequests: number;
  slowdown: number;
  /** BENCH_PROFILE: sampled CPU time (ms) until the first screen, by script (or V8's "(program)", "(garbage collector)"…). */
  selfTime?: Map<string, number>;
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
    .slice(0, BY_FUNCTION ? 40 : 15);
  console.log(
    `CPU before the first screen, ${app} (median ms by script): ${rows.map(([key, time]) => `${key} ${Math.round(time)}`).join(' · ')}`,
  );
}

async function sample(browser: Browser, app: AppName, baseUrl: string, seeded: Record<string, string>, idpOrigin: string): Promise<Sample> {
  const context = await browser.newContext({
    ...PHONE,
    ...(app !== 'starter'
      ? {
          storageState: {
            cookies: [],
            origins: [{ origin: baseUrl, localStorage: Object.entries(seeded).map(([name, value]) => ({ name, value })) }],
          },
        }
      : {}),
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
    if (PROFILE) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    await page.goto(`${baseUrl}/`, { waitUntil: 'commit' });
    await page.waitForFunction(() => (window as { __firstScreen?: unknown }).__firstScreen, undefined, { timeout: 30_000, polling: 50 });
    const selfTime = PROFILE ? selfTimeByScript((await cdp.send('Profiler.stop')).profile, baseUrl) : undefined;
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
    // Throttling must have applied to this very page (it survives the navigation, but check).
    const loop = () =>
      page.evaluate(() => {
        const start = performance.now();
        let x = 0;
        for (let i = 0; i < 1e7; i++) x += Math.sqrt(i);
        return performance.now() - start + (x < 0 ? 1 : 0);
      });
    // Minimums: on a loaded machine a loop can only be slowed by others, never sped up. A noisy
    // check is repeated (throttling is switched back on for it) before the run stops.
    let slowdown = 0;
    for (let attempt = 0; attempt < 3 && slowdown < 2; attempt++) {
      // The first check measures the rate set before the navigation, as it survived it.
      if (attempt > 0) await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
      const throttled = Math.min(await loop(), await loop(), await loop());
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
      const free = Math.min(await loop(), await loop(), await loop());
      slowdown = Math.max(slowdown, throttled / free);
    }
    if (slowdown < 2)
      throw new Error(
        `CPU throttling did not apply to the ${app} page (busy loop ${slowdown.toFixed(1)}× slower, expected ~${CPU_SLOWDOWN}×)`,
      );
    if (process.env['BENCH_TIMELINE'])
      console.log(`timeline (${app}, first screen at ${Math.round(result.frame)} ms): ${result.timeline.join(' · ')}`);
    return { app, firstScreenMs: result.frame, files: result.files, idpRequests, slowdown, selfTime };
  } finally {
    await context.close();
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

/** What index.html names (scripts, modulepreloads, stylesheets): Angular's "initial" files. */
function indexHtmlFiles(dir: string): string[] {
  const html = readFileSync(`${dir}/index.html`, 'utf8');
  return [...html.matchAll(/<(?:script|link)\b[^>]*(?:src|href)="([^"]+\.(?:js|css))"/g)].map((m) => `/${m[1]}`);
}

export async function runColdStart(options: { pairs: number; build: boolean }): Promise<BenchRow[]> {
  if (options.build) buildBoth();
  const settings = JSON.parse(readFileSync(`${root}src/app-settings.generated.json`, 'utf8')) as AppSettings;
  const seeded = await storedSession(settings);
  let current = OURS;
  const server = await startStaticServer(() => current);
  // The stored session's origin: the redirect URIs name localhost.
  const baseUrl = `http://localhost:${server.port}`;
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS, headless: true });
  const samples: Sample[] = [];
  try {
    for (let pair = 0; pair <= options.pairs; pair++) {
      // Alternate which app goes first, so drift on the shared machine hits both alike.
      const apps: AppName[] = COMPARE ? ['ours', 'starter', 'compare'] : ['ours', 'starter'];
      const order = pair % 2 ? apps.toReversed() : apps;
      for (const app of order) {
        current = app === 'ours' ? OURS : app === 'starter' ? STARTER : (COMPARE ?? OURS);
        const result = await sample(browser, app, baseUrl, seeded, settings.logto.endpoint);
        if (pair > 0) samples.push(result); // pair 0 warms the browser up
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }

  const of = (app: AppName) => samples.filter((s) => s.app === app);
  const oursMs = median(of('ours').map((s) => s.firstScreenMs));
  const starterMs = median(of('starter').map((s) => s.firstScreenMs));
  const pairRatios = of('ours').map((s, i) => s.firstScreenMs / of('starter')[i].firstScreenMs);
  const idpRequests = Math.max(...of('ours').map((s) => s.idpRequests));
  // The files of the median sample (they are the same in every sample unless a chunk raced the mark).
  const filesOf = (app: AppName) => {
    const sorted = [...of(app)].sort((a, b) => a.firstScreenMs - b.firstScreenMs);
    return sorted[Math.floor(sorted.length / 2)].files;
  };
  const oursLoaded = bytesOf(OURS, filesOf('ours'));
  const starterLoaded = bytesOf(STARTER, filesOf('starter'));
  const oursIndex = bytesOf(OURS, indexHtmlFiles(OURS));
  const starterIndex = bytesOf(STARTER, indexHtmlFiles(STARTER));
  const ratioMedian = median(pairRatios);
  console.log(
    `cold start, ${options.pairs} pairs, ${CPU_SLOWDOWN}× CPU, 390×844: ours ${of('ours')
      .map((s) => Math.round(s.firstScreenMs))
      .join(', ')} ms; starter ${of('starter')
      .map((s) => Math.round(s.firstScreenMs))
      .join(', ')} ms; measured slowdown ${median(samples.map((s) => s.slowdown)).toFixed(1)}×`,
  );
  if (PROFILE) for (const app of ['ours', 'starter', ...(COMPARE ? ['compare'] : [])] as AppName[]) printProfile(app, of(app));
  console.log(`files before first screen, ours (${filesOf('ours').length}): ${filesOf('ours').join(' ')}`);
  console.log(`files before first screen, starter (${filesOf('starter').length}): ${filesOf('starter').join(' ')}`);
  const gzipOver = oursLoaded.gzip - starterLoaded.gzip;
  const compareRows: BenchRow[] = [];
  if (COMPARE) {
    const compareMs = median(of('compare').map((s) => s.firstScreenMs));
    const compareLoaded = bytesOf(COMPARE, filesOf('compare'));
    const comparePairs = of('compare').map((s, i) => s.firstScreenMs / of('starter')[i].firstScreenMs);
    console.log(
      `compare (${COMPARE}): ${of('compare')
        .map((s) => Math.round(s.firstScreenMs))
        .join(', ')} ms`,
    );
    compareRows.push(
      {
        figure: 'compare build: cold start to first screen (same run)',
        ours: ms(compareMs),
        baseline: `${ms(starterMs)} (starter)`,
        ratio: `${ratio(compareMs, starterMs)} (pairs: median ${median(comparePairs).toFixed(2)}×)`,
        target: `ours / compare: ${(oursMs / compareMs).toFixed(2)}×`,
      },
      {
        figure: 'compare build: JS+CSS loaded before the first screen (gzip -9)',
        ours: kB(compareLoaded.gzip),
        baseline: `${kB(starterLoaded.gzip)} (starter)`,
        ratio: ratio(compareLoaded.gzip, starterLoaded.gzip),
        target: '',
      },
    );
  }
  return [
    {
      figure: 'JS+CSS loaded before the first screen (gzip -9)',
      ours: kB(oursLoaded.gzip),
      baseline: `${kB(starterLoaded.gzip)} (starter)`,
      ratio: ratio(oursLoaded.gzip, starterLoaded.gzip),
      target: `≤ starter + 25 kB: ${gzipOver <= 25_000 ? 'met' : 'not met'} (+${kB(gzipOver)})`,
    },
    {
      figure: 'JS+CSS loaded before the first screen (raw)',
      ours: kB(oursLoaded.raw),
      baseline: `${kB(starterLoaded.raw)} (starter)`,
      ratio: ratio(oursLoaded.raw, starterLoaded.raw),
      target: '',
    },
    {
      figure: 'files index.html names (gzip -9)',
      ours: kB(oursIndex.gzip),
      baseline: `${kB(starterIndex.gzip)} (starter)`,
      ratio: ratio(oursIndex.gzip, starterIndex.gzip),
      target: `+${kB(oursIndex.gzip - starterIndex.gzip)}`,
    },
    {
      figure: `cold start to first screen, stored session (median of ${options.pairs} pairs)`,
      ours: ms(oursMs),
      baseline: `${ms(starterMs)} (starter)`,
      ratio: `${ratio(oursMs, starterMs)} (pairs: median ${ratioMedian.toFixed(2)}×)`,
      target: `≤ 1.15×: ${oursMs / starterMs <= 1.15 ? 'met' : 'not met'}`,
    },
    {
      figure: 'identity-server requests before the first screen',
      ours: String(idpRequests),
      baseline: '',
      ratio: '',
      target: `0: ${idpRequests === 0 ? 'met' : 'not met'}`,
    },
    ...compareRows,
  ];
}

if (process.argv[1]?.includes('cold-start')) {
  const rows = await runColdStart({ pairs: PAIRS, build: process.env['BENCH_SKIP_BUILD'] !== '1' });
  writeRows('cold-start', rows);
  for (const row of rows) console.log(`${row.figure}: ${row.ours} vs ${row.baseline} ${row.ratio} ${row.target}`);
}
