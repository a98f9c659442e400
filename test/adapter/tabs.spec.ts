import { createMemoryStorage } from '../../src/app/auth/logto/index.ts';
import { StorageKey } from '../../src/app/auth/logto/token-storage.ts';
import { FakeIdp } from '../support/fake-idp.ts';
import { createHarness, eventsOf, nativeShell, signIn, waitFor, type Harness, type Storage } from './harness.ts';
import { tabsOver } from './tabs.ts';
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

async function twoTabs(device: Storage, options: { shared?: boolean; staleB?: boolean } = {}): Promise<[Harness, Harness]> {
  const tabs = tabsOver(device);
  const open = async (stale = false) => {
    const tab = tabs.open();
    const sharing = options.shared === false ? null : stale ? { ...tab.sharing, watch: () => () => undefined } : tab.sharing;
    const h = await createHarness({ idp, storage: tab.storage, deps: { sessionSharing: sharing } });
    await h.auth.port.restore();
    opened.push(h);
    return h;
  };
  return [await open(), await open(options.staleB)];
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
    await expect(b.auth.getAccessToken(BOOKS)).rejects.toMatchObject({ code: 'not_authenticated' });
    expect(eventsOf(b.events, 'SIGNED_OUT_ELSEWHERE')).toHaveLength(1);
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
    nativeShell.use('android-url-first');
    nativeShell.person = idp.person({ sub: 'user-2', email: 'other@example.com' });
    await a.auth.port.startSignIn({});
    const ref = await waitFor(() => eventsOf(a.events, 'CALLBACK_RECEIVED')[0]?.callback);
    await a.auth.port.closeBrowser();
    await a.auth.port.completeSignIn(ref);
    const adopted = await waitFor(() => eventsOf(b.events, 'SESSION_ADOPTED')[0]);
    expect(adopted.claims.sub).toBe('user-2');
    const after = await b.auth.getAccessToken(BOOKS);
    expect(after).not.toBe(before);
    expect(after).toBe(await a.auth.getAccessToken(BOOKS));
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
});
