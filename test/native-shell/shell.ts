/**
 * The simulated native shell: what Capacitor's Browser, App and Preferences plugins do on a
 * phone, in the orders real devices produce. The Jest `node` project maps `@capacitor/browser`,
 * `@capacitor/app` and `@capacitor/preferences` to the three stand-ins next to this file, which
 * all delegate to the one `nativeShell` below. Event orders and their sources:
 * docs/logto-adapter.md ("The simulated native shell").
 *
 * "Opening the browser" hands the URL to a pluggable person: unit tests plug a script, the
 * integration suite plugs test/support's HttpBrowser (see http-person.ts). The person answers with
 * where the identity server finally redirected (a deep link), or that they closed the browser;
 * the active scenario decides how that return reaches the app.
 */
import type { PluginListenerHandle } from '@capacitor/core';

export type NativePlatform = 'android' | 'ios';

/** What the person in the browser ended up doing. */
export type PersonOutcome =
  /** The identity server redirected to this URL (the app's custom scheme). */
  | { readonly kind: 'redirect'; readonly url: string }
  /** They closed the browser (Android back/X, iOS Done or swipe-down). */
  | { readonly kind: 'dismiss' }
  /** Nothing happens: the browser stays open (the test drives the rest by hand). */
  | { readonly kind: 'stay' };

export type Person = (url: string) => Promise<PersonOutcome> | PersonOutcome;

export type ScenarioName =
  /** Android: appUrlOpen → resume → browserFinished (the Custom Tab closes after the link). */
  | 'android-url-first'
  /** Android: browserFinished → resume → (gapMs) appUrlOpen (logto-io/js#1047). */
  | 'android-finished-first'
  /** Android: the Custom Tab is left for the mail app; back via the launcher: browserFinished + resume now, appUrlOpen after lateMs. */
  | 'android-mail-detour'
  /** iOS: appUrlOpen only; the SFSafariViewController stays until Browser.close(). */
  | 'ios-success'
  /** iOS: appUrlOpen, but the view controller is already gone: Browser.close() rejects "No active window to close!". */
  | 'ios-close-rejects'
  /** The OS killed the app while the person was in the browser; the redirect relaunches it with the launch URL. */
  | 'app-killed';

export interface ScenarioOptions {
  /** android-finished-first: delay between browserFinished and appUrlOpen (short ~50 ms, long ~1500 ms). */
  readonly gapMs?: number;
  /** android-mail-detour: when the late appUrlOpen arrives. */
  readonly lateMs?: number;
  /** app-killed: whether Capacitor also retained the URL as appUrlOpen (duplicate delivery, iOS cold start). */
  readonly retainUrlOpen?: boolean;
}

/** One Browser.open and what followed; `done` settles when every event of the return was delivered. */
export interface BrowserVisit {
  readonly url: string;
  readonly done: Promise<PersonOutcome>;
}

type Listener = (data: unknown) => void;

/** A plugin's listener registry with Capacitor's semantics: `retainUntilConsumed` events wait for the first listener. */
class PluginEvents {
  readonly #listeners = new Map<string, Set<Listener>>();
  /**
   * Several app instances in one process (browser tabs, simulated): each listener belongs to the
   * `owner` current when it registered, and events reach only the listeners of `target` — the
   * tab that opened the browser gets its own return, as a browser tab does. Null: everyone.
   */
  readonly #owners = new Map<Listener, unknown>();
  owner: unknown = null;
  target: unknown = null;
  readonly #retained = new Map<string, unknown[]>();
  readonly #plugin: string;
  readonly #trace: (entry: string) => void;

  constructor(plugin: string, trace: (entry: string) => void) {
    this.#plugin = plugin;
    this.#trace = trace;
  }

  add(event: string, listener: Listener): Promise<PluginListenerHandle> {
    const set = this.#listeners.get(event) ?? new Set<Listener>();
    const first = set.size === 0;
    set.add(listener);
    this.#owners.set(listener, this.owner);
    this.#listeners.set(event, set);
    const retained = this.#retained.get(event);
    if (first && retained) {
      this.#retained.delete(event);
      // Native bridges deliver retained events after the registration call returns.
      setTimeout(() => {
        for (const data of retained) this.notify(event, data);
      }, 0);
    }
    let removed = false;
    return Promise.resolve({
      remove: async () => {
        if (removed) return;
        removed = true;
        this.#listeners.get(event)?.delete(listener);
      },
    });
  }

  notify(event: string, data: unknown, retainUntilConsumed = false): void {
    const set = this.#listeners.get(event);
    if (!set || set.size === 0) {
      if (retainUntilConsumed) {
        this.#retained.set(event, [...(this.#retained.get(event) ?? []), data]);
        this.#trace(`${event} (retained)`);
      } else {
        this.#trace(`${event} (no listener)`);
      }
      return;
    }
    this.#trace(event);
    for (const listener of [...set]) if (this.target === null || this.#owners.get(listener) === this.target) listener(data);
  }

  count(event?: string): number {
    if (event) return this.#listeners.get(event)?.size ?? 0;
    return [...this.#listeners.values()].reduce((sum, set) => sum + set.size, 0);
  }

  /** The process died: every JS listener and every retained event is gone. */
  clear(): void {
    this.#listeners.clear();
    this.#retained.clear();
  }

  async removeAll(): Promise<void> {
    this.#listeners.clear();
  }

  get name(): string {
    return this.#plugin;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class NativeShell {
  platform: NativePlatform = 'android';
  scenario: ScenarioName = 'android-url-first';
  options: ScenarioOptions = {};
  person: Person = () => ({ kind: 'stay' });
  /** Native events in the order the app saw them (names only), for order assertions and debugging. */
  readonly trace: string[] = [];
  readonly visits: BrowserVisit[] = [];
  /** Calls of Browser.close() and how they ended. */
  readonly closeCalls: Array<'resolved' | 'rejected'> = [];
  /** Survives kill() like the real SharedPreferences / UserDefaults. */
  readonly preferences = new Map<string, string>();

  readonly app = new PluginEvents('App', (entry) => this.trace.push(entry));
  readonly browser = new PluginEvents('Browser', (entry) => this.trace.push(entry));

  /** The browser view is presented (iOS SFSafariViewController / Android Custom Tab). */
  browserOpen = false;
  launchUrl: string | undefined;
  /** Resolves when an app-killed scenario relaunched the process. */
  relaunched: Promise<void> = Promise.resolve();
  #markRelaunched: () => void = () => undefined;

  /** Everything back to a fresh install. */
  reset(): void {
    this.app.owner = this.app.target = this.browser.owner = this.browser.target = null;
    this.platform = 'android';
    this.scenario = 'android-url-first';
    this.options = {};
    this.person = () => ({ kind: 'stay' });
    this.trace.length = 0;
    this.visits.length = 0;
    this.closeCalls.length = 0;
    this.preferences.clear();
    this.app.clear();
    this.browser.clear();
    this.browserOpen = false;
    this.launchUrl = undefined;
    this.relaunched = Promise.resolve();
  }

  /** Select a scenario; its name fixes the platform. */
  use(scenario: ScenarioName, options: ScenarioOptions = {}): this {
    this.scenario = scenario;
    this.options = options;
    this.platform = scenario.startsWith('ios') ? 'ios' : 'android';
    if (scenario === 'app-killed') {
      this.relaunched = new Promise<void>((resolve) => (this.#markRelaunched = resolve));
    }
    return this;
  }

  listenerCount(event?: string): number {
    return this.app.count(event) + this.browser.count(event);
  }

  // ---- primitive native events (tests may fire them directly) ----------------------------

  /** A deep link reached the app. Capacitor retains it until a listener consumes it. */
  deepLink(url: string): void {
    // iOS getLaunchUrl answers the last URL the app was opened with, not only the launch one.
    if (this.platform === 'ios') this.launchUrl = url;
    this.app.notify('appUrlOpen', { url }, true);
  }

  browserFinished(): void {
    this.browserOpen = false;
    this.browser.notify('browserFinished', undefined);
  }

  resume(): void {
    this.app.notify('resume', undefined);
    this.app.notify('appStateChange', { isActive: true });
  }

  pause(): void {
    this.app.notify('appStateChange', { isActive: false });
    this.app.notify('pause', undefined);
  }

  /** The OS killed the process: listeners and retained events die; Preferences and the browser's person live on. */
  kill(): void {
    this.trace.push('killed');
    this.app.clear();
    this.browser.clear();
    this.browserOpen = false;
    this.launchUrl = undefined;
  }

  /** A new process starts, optionally from a deep link (launch URL, and maybe a retained appUrlOpen too). */
  relaunch(options: { launchUrl?: string; retainUrlOpen?: boolean } = {}): void {
    this.trace.push('relaunched');
    this.launchUrl = options.launchUrl;
    if (options.launchUrl && options.retainUrlOpen) this.app.notify('appUrlOpen', { url: options.launchUrl }, true);
    this.#markRelaunched();
  }

  // ---- plugin calls (from the stand-in modules) -------------------------------------------

  async open(url: string): Promise<void> {
    if (this.platform === 'ios') {
      // Browser.swift prepare(): only http(s), and only when no SFSafariViewController is presented.
      if (this.browserOpen || !/^https?:/i.test(url)) throw new Error('Unable to display URL');
    }
    if (!url) throw new Error('Must provide a URL to open');
    this.trace.push('Browser.open');
    this.browserOpen = true;
    // Android: the Custom Tab covers the app's activity.
    if (this.platform === 'android') this.pause();
    const done = (async () => {
      await sleep(0);
      const outcome = await this.person(url);
      await this.#deliver(outcome);
      return outcome;
    })();
    done.catch(() => undefined);
    this.visits.push({ url, done });
  }

  async close(): Promise<void> {
    this.trace.push('Browser.close');
    if (this.platform === 'ios' && !this.browserOpen) {
      this.closeCalls.push('rejected');
      throw new Error('No active window to close!');
    }
    // Android resolves whether or not a tab is open; a programmatic close fires no browserFinished on iOS.
    this.browserOpen = false;
    this.closeCalls.push('resolved');
  }

  async getLaunchUrl(): Promise<{ url: string } | undefined> {
    return this.launchUrl === undefined ? undefined : { url: this.launchUrl };
  }

  // ---- scenarios ---------------------------------------------------------------------------

  async #deliver(outcome: PersonOutcome): Promise<void> {
    if (outcome.kind === 'stay') return;
    if (outcome.kind === 'dismiss') {
      this.browserFinished();
      if (this.platform === 'android') this.resume();
      return;
    }
    const { url } = outcome;
    switch (this.scenario) {
      case 'android-url-first':
        this.deepLink(url);
        this.resume();
        await sleep(10);
        if (this.browserOpen) this.browserFinished();
        return;
      case 'android-finished-first':
        this.browserFinished();
        this.resume();
        await sleep(this.options.gapMs ?? 50);
        this.deepLink(url);
        return;
      case 'android-mail-detour':
        this.browserFinished();
        this.resume();
        await sleep(this.options.lateMs ?? 500);
        this.deepLink(url);
        return;
      case 'ios-success':
        this.deepLink(url);
        return;
      case 'ios-close-rejects':
        // The view went away on its own (e.g. the system dismissed it) before the app could close it.
        this.browserOpen = false;
        this.deepLink(url);
        return;
      case 'app-killed':
        this.kill();
        this.relaunch({ launchUrl: url, retainUrlOpen: this.options.retainUrlOpen ?? false });
        return;
    }
  }
}

export const nativeShell = new NativeShell();

/** Lets queued timers and bridge deliveries run (listener removal is async in Capacitor). */
export const settle = (ms = 0) => sleep(ms);
