import { decodeJwt } from 'jose';
import { createActor } from 'xstate';

import { createAuthMachine, stateToString } from '../../src/app/auth/core/index.ts';
import { createMemoryStorage, createWebFallbackStorage } from '../../src/app/auth/logto/index.ts';
import { lazyBackend } from '../../src/app/auth/logto/lazy-backend.ts';
import { readBootSession } from '../../src/app/auth/logto/restore-decision.ts';
import { createWebSessionSharing } from '../../src/app/auth/logto/session-sharing.ts';
import { StorageKey } from '../../src/app/auth/logto/token-storage.ts';
import { FakeIdp } from '../support/fake-idp.ts';
import { createHarness, eventsOf, nativeShell, signIn, waitFor, type Harness, type Storage } from './harness.ts';
import { BrowserProfile, tabsOver } from './tabs.ts';
import { RESOURCES } from '../support/constants.ts';

/**
 * Two instances of the app over one storage: the tabs of one browser profile. The fake server
 * revokes the whole grant when a rotated refresh token comes back (oidc-provider without a
 * leeway), so a tab presenting a token another tab already rotated ends the session here.
 */
const [BOOKS] = RESOURCES;

let idp: FakeIdp;
const opened: Harness[] = [];

async function seededDevice(ttl: number): Promise<Storage> {
  const session = await idp.issueSession('user-1', 'jane@example.com', { [BOOKS]: ttl });
  return createMemoryStorage({
    [StorageKey.legacyMigrated]: '1',
    [StorageKey.idToken]: session.idToken,
    [StorageKey.refreshToken]: session.refreshToken,
    [StorageKey.accessToken]: JSON.stringify(session.accessTokenMap),
  });
}

/** Holds a tab's writes of one key until released (a slow storage write, made to last). */
class Gate {
  #release: (() => void) | null = null;
  #opened = Promise.resolve();
  /** How many writes of the key have been held so far. */
  held = 0;

  close(): void {
    this.#opened = new Promise((resolve) => (this.#release = resolve));
  }

  open(): void {
    this.#release?.();
    this.#release = null;
  }

  async pass(): Promise<void> {
    this.held += 1;
    await this.#opened;
  }
}

interface TabOptions {
  shared?: boolean;
  staleB?: boolean;
  /** B's writes (setItem) and removals of the refresh token wait at these gates. */
  gatesB?: { write: Gate; remove: Gate };
}

/** One tab with its adapter loaded and restored, over `tabs`. */
async function oneTabOn(tabs: ReturnType<typeof tabsOver>): Promise<[Harness]> {
  const tab = tabs.open();
  const h = await createHarness({ idp, storage: tab.storage, deps: { sessionSharing: tab.sharing } });
  await h.auth.port.restore();
  opened.push(h);
  return [h];
}

/** The tab signs in again through the (simulated) system browser, as another person: user-2. */
async function switchToUser2(tab: Harness): Promise<void> {
  nativeShell.use('android-url-first');
  nativeShell.person = idp.person({ sub: 'user-2', email: 'other@example.com' });
  await tab.auth.port.startSignIn({});
  const ref = await waitFor(() => eventsOf(tab.events, 'CALLBACK_RECEIVED')[0]?.callback);
  await tab.auth.port.closeBrowser();
  await tab.auth.port.completeSignIn(ref);
}

async function twoTabs(device: Storage, options: TabOptions = {}): Promise<[Harness, Harness]> {
  const tabs = tabsOver(device);
  const open = async (b = false) => {
    const tab = tabs.open();
    const stale = b && options.staleB;
    const sharing = options.shared === false ? null : stale ? { ...tab.sharing, watch: () => () => undefined } : tab.sharing;
    const gates = b ? options.gatesB : undefined;
    const storage: Storage = gates
      ? {
          ...tab.storage,
          async setItem(key, value) {
            if (key === StorageKey.refreshToken) await gates.write.pass();
            await tab.storage.setItem(key, value);
          },
          async removeItem(key) {
            if (key === StorageKey.refreshToken) await gates.remove.pass();
            await tab.storage.removeItem(key);
          },
        }
      : tab.storage;
    const h = await createHarness({ idp, storage, deps: { sessionSharing: sharing } });
    await h.auth.port.restore();
    opened.push(h);
    return h;
  };
  return [await open(), await open(true)];
}

beforeEach(async () => {
  nativeShell.reset();
  idp = await FakeIdp.start();
});

afterEach(() => {
  for (const h of opened.splice(0)) h.auth.dispose();
});

describe('several tabs, one session', () => {
  it('renewals in A, then B, then A all succeed: B never presents the token A rotated', async () => {
    const [a, b] = await twoTabs(await seededDevice(-10));
    await expect(a.auth.getAccessToken(BOOKS)).resolves.toMatch(/^at-/);
    // B's memory copy still holds the refresh token A just spent: it adopts A's instead.
    await expect(b.auth.getAccessToken(BOOKS)).resolves.toMatch(/^at-/);
    await expect(b.auth.refreshAccessToken(BOOKS)).resolves.toMatch(/^at-/);
    await expect(a.auth.refreshAccessToken(BOOKS)).resolves.toMatch(/^at-/);
    await expect(b.auth.refreshAccessToken(BOOKS)).resolves.toMatch(/^at-/);
    expect(idp.counters.maxConcurrentRefresh).toBe(1);
    expect([...eventsOf(a.events, 'SESSION_EXPIRED'), ...eventsOf(b.events, 'SESSION_EXPIRED')]).toEqual([]);
    // The grant is alive: one more renewal from either tab is answered.
    await expect(a.auth.refreshAccessToken(BOOKS)).resolves.toMatch(/^at-/);
  });

  it('(without sharing, for contrast, B presents the rotated token and the grant is revoked)', async () => {
    const [a, b] = await twoTabs(await seededDevice(-10), { shared: false });
    await a.auth.getAccessToken(BOOKS);
    await expect(b.auth.getAccessToken(BOOKS)).rejects.toMatchObject({ kind: 'session_expired' });
    expect(eventsOf(b.events, 'SESSION_EXPIRED')).toHaveLength(1);
  });

  it('a sign-out in A stops B serving tokens at once and tells B the true reason', async () => {
    const [a, b] = await twoTabs(await seededDevice(3600));
    const token = await b.auth.getAccessToken(BOOKS);
    expect(token).toMatch(/^at[-_]/);
    await a.auth.port.signOut({ endSession: false });
    // At once: no token. The machine's notice follows (held a moment after a restore's answer).
    await expect(b.auth.getAccessToken(BOOKS)).rejects.toMatchObject({ code: 'not_authenticated' });
    await waitFor(() => eventsOf(b.events, 'SIGNED_OUT_ELSEWHERE').length === 1);
    expect(eventsOf(b.events, 'SESSION_EXPIRED')).toEqual([]);
  });

  it('a session that expired in A ends in B as an expiry, not as "signed out in another tab"', async () => {
    const [a, b] = await twoTabs(await seededDevice(-10));
    idp.revokeAll();
    await expect(a.auth.getAccessToken(BOOKS)).rejects.toMatchObject({ kind: 'session_expired' });
    await waitFor(() => eventsOf(b.events, 'SESSION_EXPIRED').length === 1);
    expect(eventsOf(b.events, 'SIGNED_OUT_ELSEWHERE')).toEqual([]);
    await expect(b.auth.getAccessToken(BOOKS)).rejects.toMatchObject({ code: 'not_authenticated' });
  });

  it('a sign-in (switch) in A is adopted by B without a reload', async () => {
    const [a, b] = await twoTabs(await seededDevice(3600));
    const before = await b.auth.getAccessToken(BOOKS);
    await switchToUser2(a);
    const adopted = await waitFor(() => eventsOf(b.events, 'SESSION_ADOPTED')[0]);
    expect(adopted.claims.sub).toBe('user-2');
    const after = await b.auth.getAccessToken(BOOKS);
    expect(after).not.toBe(before);
    expect(after).toBe(await a.auth.getAccessToken(BOOKS));
  });

  it("a renewal of the old session in B that lands during A's switch of account never writes the old person back over the new one", async () => {
    const device = await seededDevice(3600);
    const gatesB = { write: new Gate(), remove: new Gate() };
    const [a, b] = await twoTabs(device, { gatesB });
    // B renews the first person's session (a forced renewal, as after a 401); the write of its
    // rotated refresh token is slow.
    gatesB.write.close();
    const renewal = b.auth.refreshAccessToken(BOOKS).catch((error: unknown) => error);
    await waitFor(() => gatesB.write.held === 1);
    // Meanwhile the person switches account in A, and the code exchange answers.
    nativeShell.use('android-url-first');
    nativeShell.person = idp.person({ sub: 'user-2', email: 'other@example.com' });
    await a.auth.port.startSignIn({});
    const ref = await waitFor(() => eventsOf(a.events, 'CALLBACK_RECEIVED')[0]?.callback);
    await a.auth.port.closeBrowser();
    const signedIn = a.auth.port.completeSignIn(ref);
    // The code is exchanged at the server, and the answer verified (time for its writes).
    await waitFor(() => idp.counters.codeGrants === 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Then B's write lands: the stored session must end up the second person's, in both tabs.
    gatesB.write.open();
    await expect(signedIn).resolves.toMatchObject({ sub: 'user-2' });
    await renewal;
    await waitFor(() => eventsOf(b.events, 'SESSION_ADOPTED')[0]);
    expect(eventsOf(b.events, 'SESSION_ADOPTED').at(-1)?.claims.sub).toBe('user-2');
    expect(eventsOf(a.events, 'SESSION_ADOPTED')).toEqual([]);
    const stored = device.snapshot();
    expect(stored[StorageKey.refreshToken]).toBeDefined();
    expect(stored[StorageKey.idToken]).toBeDefined();
    expect(decodeJwt(stored[StorageKey.idToken] ?? '').sub).toBe('user-2');
    // Both serve the second person's token, and nobody's session was ended.
    await expect(a.auth.refreshAccessToken(BOOKS)).resolves.toMatch(/^at-/);
    await expect(b.auth.getAccessToken(BOOKS)).resolves.toBe(await a.auth.getAccessToken(BOOKS));
    expect([...eventsOf(a.events, 'SESSION_EXPIRED'), ...eventsOf(b.events, 'SESSION_EXPIRED')]).toEqual([]);
  });

  it("a stale tab's expiry never deletes the newer session another tab stored (compare-and-delete)", async () => {
    const device = await seededDevice(3600);
    const [a, b] = await twoTabs(device, { staleB: true });
    await signIn(a);
    const stored = device.snapshot()[StorageKey.refreshToken];
    // B missed the news and its old session is refused: it must not wipe A's new one.
    await b.auth.expireSession();
    expect(device.snapshot()[StorageKey.refreshToken]).toBe(stored);
    expect(eventsOf(b.events, 'SESSION_EXPIRED')).toEqual([]);
    expect(eventsOf(b.events, 'SESSION_ADOPTED')).toHaveLength(1);
    await expect(b.auth.getAccessToken(BOOKS)).resolves.toBe(await a.auth.getAccessToken(BOOKS));
  });

  it("a renewal's late write in B after A signed out brings nothing back: A serves no token and hears no sign-out of its own", async () => {
    const device = await seededDevice(-10);
    const gatesB = { write: new Gate(), remove: new Gate() };
    const [a, b] = await twoTabs(device, { gatesB });
    // B renews; its answer is in memory, the write of the rotated token to the storage is slow.
    gatesB.write.close();
    gatesB.remove.close();
    const renewal = b.auth.getAccessToken(BOOKS).catch((error: unknown) => error);
    await waitFor(() => gatesB.write.held === 1);
    // Meanwhile the person signs out in A: A's removals land first.
    await a.auth.port.signOut({ endSession: false });
    expect(device.snapshot()[StorageKey.refreshToken]).toBeUndefined();
    expect(eventsOf(b.events, 'SIGNED_OUT_ELSEWHERE')).toHaveLength(1);
    // Then B's write lands: the rotated token of the session that just ended is in the storage
    // again until B tidies it away (its removal waits at the gate), and A hears of the write.
    gatesB.write.open();
    await waitFor(() => device.snapshot()[StorageKey.idToken] !== undefined && gatesB.remove.held >= 1);
    await new Promise((resolve) => setTimeout(resolve, 50)); // the news of B's writes reaches A
    await expect(a.auth.getAccessToken(BOOKS)).rejects.toMatchObject({ code: 'not_authenticated' });
    gatesB.remove.open();
    await waitFor(() => device.snapshot()[StorageKey.refreshToken] === undefined && device.snapshot()[StorageKey.idToken] === undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(renewal).resolves.toMatchObject({ code: 'not_authenticated' });
    // A signed out itself: it neither took the ended session back nor hears "signed out in another tab".
    expect(eventsOf(a.events, 'SESSION_ADOPTED')).toEqual([]);
    expect(eventsOf(a.events, 'SIGNED_OUT_ELSEWHERE')).toEqual([]);
    expect(eventsOf(b.events, 'SESSION_ADOPTED')).toEqual([]);
    expect(eventsOf(b.events, 'SIGNED_OUT_ELSEWHERE')).toHaveLength(1);
    await expect(b.auth.getAccessToken(BOOKS)).rejects.toMatchObject({ code: 'not_authenticated' });
  });

  it('a tab that missed the news of a sign-out elsewhere and then finds its session refused says so, and keeps the reason stored', async () => {
    const device = await seededDevice(3600);
    const [a, b] = await twoTabs(device, { staleB: true });
    await a.auth.port.signOut({ endSession: false });
    // B heard nothing; an API then refuses its token (the grant was revoked by A's sign-out).
    await b.auth.expireSession();
    await waitFor(() => eventsOf(b.events, 'SIGNED_OUT_ELSEWHERE').length === 1);
    expect(eventsOf(b.events, 'SESSION_EXPIRED')).toEqual([]);
    expect(device.snapshot()[StorageKey.sessionEnd]).toMatch(/^signed_out \d+$/);
    await expect(b.auth.getAccessToken(BOOKS)).rejects.toMatchObject({ code: 'not_authenticated' });
  });
});

describe('news heard while a tab restores', () => {
  /** Tab B boots with its machine; its restore's answer waits (at the launch URL) until `answer()`. */
  async function restoringTab(tabs: ReturnType<typeof tabsOver>) {
    const tab = tabs.open();
    const b = await createHarness({ idp, storage: tab.storage, deps: { sessionSharing: tab.sharing } });
    opened.push(b);
    const gate = new Gate();
    gate.close();
    const original = nativeShell.getLaunchUrl.bind(nativeShell);
    nativeShell.getLaunchUrl = async () => {
      await gate.pass();
      return original();
    };
    const actor = createActor(createAuthMachine(b.auth.port));
    actor.start();
    // B's restore has read the stored session; its answer is on its way.
    await waitFor(() => gate.held === 1);
    return {
      actor,
      state: () => stateToString(actor.getSnapshot().value),
      answer() {
        gate.open();
        nativeShell.getLaunchUrl = original;
      },
    };
  }

  it('a sign-out in another tab during the restore is told once the restore is answered', async () => {
    const tabs = tabsOver(await seededDevice(3600));
    const [a] = await oneTabOn(tabs);
    const b = await restoringTab(tabs);
    await a.auth.port.signOut({ endSession: false });
    b.answer();
    await waitFor(() => b.state() === 'idle');
    expect(b.actor.getSnapshot().context.error?.code).toBe('signed_out_elsewhere');
    b.actor.stop();
  });
});

describe('news from before the lazy adapter loaded', () => {
  /**
   * The web app's boot: the first screen comes from storage alone (the boot reader) and the
   * adapter loads later, when `later` runs (after the first screen). A tab's page has started
   * (`tabs.open()`: it hears news from then on) before its adapter exists.
   */
  async function bootFromStorage(device: Storage, tab: ReturnType<ReturnType<typeof tabsOver>['open']>) {
    let loadAdapter: (() => void) | null = null;
    const events: string[] = [];
    const backend = lazyBackend(
      async () => {
        const h = await createHarness({ idp, storage: tab.storage, deps: { sessionSharing: tab.sharing } });
        opened.push(h);
        return h.auth;
      },
      () => readBootSession(tab.storage),
      (task) => (loadAdapter = task),
    );
    backend.port.subscribe((event) => events.push(event.type));
    const actor = createActor(createAuthMachine(backend.port));
    actor.start();
    await waitFor(() => stateToString(actor.getSnapshot().value) === 'authenticated');
    return { actor, events, load: () => (loadAdapter as (() => void) | null)?.(), backend };
  }

  it('a sign-out in another tab while this tab showed its first screen from storage reaches it when the adapter loads', async () => {
    const device = await seededDevice(3600);
    const tabs = tabsOver(device);
    const [a] = await oneTabOn(tabs);
    const b = await bootFromStorage(device, tabs.open());
    // A signs out while B's adapter is not loaded: nothing in B listens yet.
    await a.auth.port.signOut({ endSession: false });
    b.load();
    await waitFor(() => stateToString(b.actor.getSnapshot().value) === 'idle');
    expect(b.actor.getSnapshot().context.error?.code).toBe('signed_out_elsewhere');
    expect(b.events.filter((type) => type === 'SIGNED_OUT_ELSEWHERE')).toHaveLength(1);
    await expect(b.backend.getAccessToken(BOOKS)).rejects.toMatchObject({ code: 'not_authenticated' });
    b.actor.stop();
  });

  it('a switch of account in another tab while this tab showed its first screen from storage shows the new person when the adapter loads', async () => {
    const device = await seededDevice(3600);
    const tabs = tabsOver(device);
    const [a] = await oneTabOn(tabs);
    const b = await bootFromStorage(device, tabs.open());
    expect(b.actor.getSnapshot().context.claims?.sub).toBe('user-1');
    // A switches to another person while B's adapter is not loaded: nothing in B listens yet.
    await switchToUser2(a);
    b.load();
    // B's screen must not keep the first person's name over the second person's session.
    await waitFor(() => b.actor.getSnapshot().context.claims?.sub === 'user-2');
    expect(stateToString(b.actor.getSnapshot().value)).toBe('authenticated');
    expect(b.events.filter((type) => type === 'SESSION_ADOPTED')).toHaveLength(1);
    await expect(b.backend.getAccessToken(BOOKS)).resolves.toBe(await a.auth.getAccessToken(BOOKS));
    b.actor.stop();
  });

  it('the same session when the adapter loads is no news', async () => {
    const device = await seededDevice(3600);
    const tabs = tabsOver(device);
    const b = await bootFromStorage(device, tabs.open());
    b.load();
    await b.backend.getAccessToken(BOOKS);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(b.events).toEqual([]);
    expect(b.actor.getSnapshot().context.claims?.sub).toBe('user-1');
    b.actor.stop();
  });

  it('a sign-out from before this tab opened is no news to it', async () => {
    const device = await seededDevice(3600);
    const tabs = tabsOver(device);
    const [a] = await oneTabOn(tabs);
    await a.auth.port.signOut({ endSession: false });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const tab = tabs.open();
    const h = await createHarness({ idp, storage: tab.storage, deps: { sessionSharing: tab.sharing } });
    opened.push(h);
    await expect(h.auth.port.restore()).resolves.toMatchObject({ claims: null });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(eventsOf(h.events, 'SIGNED_OUT_ELSEWHERE')).toEqual([]);
  });
});

/**
 * The browser's own path where `navigator.locks` is absent: the renewal lock is the lease in
 * localStorage and the news are `storage` events (createWebSessionSharing, not the in-process bus).
 */
describe('several tabs without the Web Locks API (the storage lease)', () => {
  const NAMESPACE = 'com.example.app';

  async function browserTabs(count: number, ttl: number, propagationMs = 0): Promise<{ profile: BrowserProfile; tabs: Harness[] }> {
    const session = await idp.issueSession('user-1', 'jane@example.com', { [BOOKS]: ttl });
    const profile = new BrowserProfile({ propagationMs });
    const key = (item: string) => `${NAMESPACE}:logto:${item}`;
    profile.seed({
      [key(StorageKey.legacyMigrated)]: '1',
      [key(StorageKey.idToken)]: session.idToken,
      [key(StorageKey.refreshToken)]: session.refreshToken,
      [key(StorageKey.accessToken)]: JSON.stringify(session.accessTokenMap),
    });
    const tabs: Harness[] = [];
    for (let i = 0; i < count; i += 1) {
      const { local, window } = profile.open();
      const sharing = createWebSessionSharing({ namespace: NAMESPACE, local, window, locks: null, log: () => undefined });
      const storage = createWebFallbackStorage(NAMESPACE, local) as Storage;
      const h = await createHarness({ idp, storage, deps: { sessionSharing: sharing } });
      await h.auth.port.restore();
      opened.push(h);
      tabs.push(h);
    }
    return { profile, tabs };
  }

  it('tabs renewing at the same moment make one grant at a time; the others adopt its result', async () => {
    const { tabs } = await browserTabs(3, -10);
    idp.refreshDelayMs = 40;
    const tokens = await Promise.all(tabs.map((tab) => tab.auth.getAccessToken(BOOKS)));
    // One renewal: the tabs that waited for the lease found the new token stored and used it.
    expect(idp.counters.refreshGrants).toBe(1);
    expect(new Set(tokens).size).toBe(1);
    // Forced renewals from every tab at once: one at a time, each presenting the newest token.
    const forced = await Promise.all(tabs.map((tab) => tab.auth.refreshAccessToken(BOOKS)));
    expect(forced.every((token) => /^at-/.test(token))).toBe(true);
    expect(idp.counters.maxConcurrentRefresh).toBe(1);
    for (const tab of tabs) expect(eventsOf(tab.events, 'SESSION_EXPIRED')).toEqual([]);
    await expect(tabs[0]!.auth.refreshAccessToken(BOOKS)).resolves.toMatch(/^at-/);
  });

  it("two tabs taking the lease at once, each seeing the other's write 60 ms late (a busy machine), still make one grant", async () => {
    const { tabs } = await browserTabs(2, -10, 60);
    idp.refreshDelayMs = 40;
    const tokens = await Promise.all(tabs.map((tab) => tab.auth.getAccessToken(BOOKS)));
    expect(idp.counters.refreshGrants).toBe(1);
    expect(new Set(tokens).size).toBe(1);
    for (const tab of tabs) expect(eventsOf(tab.events, 'SESSION_EXPIRED')).toEqual([]);
  });

  it('a sign-out in one tab reaches the others through storage events, with the true reason', async () => {
    const { profile, tabs } = await browserTabs(2, 3600);
    const [a, b] = tabs as [Harness, Harness];
    await expect(b.auth.getAccessToken(BOOKS)).resolves.toMatch(/^at[-_]/);
    await a.auth.port.signOut({ endSession: false });
    await waitFor(() => eventsOf(b.events, 'SIGNED_OUT_ELSEWHERE').length === 1);
    await expect(b.auth.getAccessToken(BOOKS)).rejects.toMatchObject({ code: 'not_authenticated' });
    expect(eventsOf(a.events, 'SIGNED_OUT_ELSEWHERE')).toEqual([]);
    expect(Object.keys(profile.snapshot()).filter((k) => /refreshToken|idToken|accessToken/.test(k))).toEqual([]);
  });

  it('a lease whose holder died (a tab closed mid-renewal) is taken over once it expires', async () => {
    const profile = new BrowserProfile();
    const lease = (tab: ReturnType<BrowserProfile['open']>) =>
      createWebSessionSharing({
        namespace: NAMESPACE,
        local: tab.local,
        window: tab.window,
        locks: null,
        log: () => undefined,
        leaseTimeout: 200,
      });
    const dead = lease(profile.open());
    const alive = lease(profile.open());
    // The first tab takes the lease and never finishes (its page was closed).
    void dead.exclusive(() => new Promise<never>(() => undefined));
    const leaseKey = await waitFor(() => Object.keys(profile.snapshot()).find((k) => k.endsWith('Lease')));
    const { until } = JSON.parse(profile.snapshot()[leaseKey]!) as { until: number };
    let ranAt = 0;
    const task = async () => {
      ranAt = Date.now();
      return 'ran';
    };
    // The other tab waits for the lease, and takes it once it has expired (never before).
    await expect(alive.exclusive(task)).resolves.toBe('ran');
    expect(ranAt).toBeGreaterThan(until);
  });
});
