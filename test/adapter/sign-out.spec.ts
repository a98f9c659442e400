import { StorageKey } from '../../src/app/auth/logto/token-storage.ts';
import { settle } from '../native-shell/shell.ts';
import { createHarness, eventsOf, nativeShell, signIn, waitFor, type Harness } from './harness.ts';
import { SIGN_OUT_URI } from '../support/constants.ts';

let h: Harness;

beforeEach(async () => {
  nativeShell.reset();
  h = await createHarness({ config: { timers: { revocationTimeout: 150 } } });
  await signIn(h);
});

afterEach(() => h.auth.dispose());

const sessionKeys = [
  StorageKey.idToken,
  StorageKey.refreshToken,
  StorageKey.accessToken,
  StorageKey.signInSession,
  StorageKey.pendingSignIn,
];

async function expectSignedOutLocally(): Promise<void> {
  for (const key of sessionKeys) expect(await h.storage.getItem(key)).toBeNull();
  expect((await h.auth.port.restore()).claims).toBeNull();
}

describe('sign-out', () => {
  it('clears the local session, revokes the refresh token, opens the end-session page and ends on its deep link', async () => {
    nativeShell.person = (url) => {
      const end = new URL(url);
      expect(`${end.origin}${end.pathname}`).toBe(`${h.idp.issuer}/session/end`);
      expect(end.searchParams.get('client_id')).toBe(h.idp.appId);
      return { kind: 'redirect', url: end.searchParams.get('post_logout_redirect_uri') ?? '' };
    };
    expect(await h.auth.port.signOut({})).toEqual({ awaitingBrowser: true });
    await expectSignedOutLocally();
    expect(h.idp.counters.revocations).toBe(1);
    await waitFor(() => eventsOf(h.events, 'SIGN_OUT_CALLBACK_RECEIVED').length === 1);
    expect(eventsOf(h.events, 'CALLBACK_RECEIVED')).toHaveLength(1); // only the sign-in's
    await h.auth.port.closeBrowser(); // the machine closes it on the sign-out redirect
    expect(nativeShell.browserOpen).toBe(false);
  });

  it('signs out locally even offline, opens no end-session page that cannot load, and says the provider was unreachable', async () => {
    h.idp.mode = 'offline';
    const visitsBefore = nativeShell.visits.length;
    await expect(h.auth.port.signOut({})).rejects.toMatchObject({
      kind: 'network',
      code: 'provider_unreachable',
      step: 'signOut',
      message: expect.stringMatching(/signed out on this device/),
    });
    await expectSignedOutLocally();
    expect(nativeShell.visits.length).toBe(visitsBefore);
    expect(h.logs.some((line) => line.includes('revocation failed'))).toBe(true);
  });

  it('a local-only sign-out offline simply succeeds', async () => {
    h.idp.mode = 'offline';
    expect(await h.auth.port.signOut({ endSession: false })).toEqual({ awaitingBrowser: false });
    await expectSignedOutLocally();
  });

  it('bounds a hanging revocation by the revocation timeout', async () => {
    h.idp.mode = 'hang';
    const started = Date.now();
    expect(await h.auth.port.signOut({ endSession: false })).toEqual({ awaitingBrowser: false });
    expect(Date.now() - started).toBeLessThan(1000);
    await expectSignedOutLocally();
    expect(h.logs.some((line) => line.includes('revocation timed out'))).toBe(true);
  });

  it('signs out locally only when endSession is false (no browser)', async () => {
    const opened = nativeShell.visits.length;
    expect(await h.auth.port.signOut({ endSession: false })).toEqual({ awaitingBrowser: false });
    expect(nativeShell.visits).toHaveLength(opened);
    await expectSignedOutLocally();
  });

  it('builds the end-session and revocation URLs from the endpoint when discovery was never fetched', async () => {
    const storage = h.storage;
    h.auth.dispose();
    nativeShell.kill();
    nativeShell.relaunch();
    h.idp.resetCounters();
    h.relaunchApp();
    nativeShell.person = () => ({ kind: 'stay' });
    expect(await h.auth.port.signOut({})).toEqual({ awaitingBrowser: true });
    expect(h.idp.requests).toEqual(['/oidc/token/revocation']);
    const url = new URL(nativeShell.visits.at(-1)?.url ?? '');
    expect(`${url.origin}${url.pathname}`).toBe(`${h.idp.endpoint}/oidc/session/end`);
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe(SIGN_OUT_URI);
    expect(await storage.getItem(StorageKey.refreshToken)).toBeNull();
  });

  it('reports a dismissed end-session page as BROWSER_CLOSED and leaks no listener', async () => {
    nativeShell.person = () => ({ kind: 'dismiss' });
    await h.auth.port.signOut({});
    await waitFor(() => eventsOf(h.events, 'BROWSER_CLOSED').length > 0);
    h.auth.dispose();
    await settle();
    expect(nativeShell.listenerCount()).toBe(0);
  });

  it('resolves with awaitingBrowser false when the browser cannot open', async () => {
    nativeShell.use('ios-success');
    nativeShell.browserOpen = false;
    const open = nativeShell.open.bind(nativeShell);
    nativeShell.open = async () => {
      throw new Error('Unable to display URL');
    };
    expect(await h.auth.port.signOut({})).toEqual({ awaitingBrowser: false });
    nativeShell.open = open;
    await expectSignedOutLocally();
  });
});
