import { createLogtoAuth, createMemoryStorage, type LogtoAuth, type PageEventTarget } from '../../src/app/auth/logto/index.ts';
import type { PlatformEvent } from '../../src/app/auth/core/port.ts';
import { FakeIdp } from '../support/fake-idp.ts';
import { eventsOf, nativeShell, waitFor } from './harness.ts';

const WEB_SIGN_IN = 'http://localhost:8100/callback';

class FakePage implements PageEventTarget {
  href = 'http://localhost:8100/';
  readonly assigned: string[] = [];
  readonly listeners = new Set<(event: { persisted?: boolean }) => void>();
  readonly location = { get: () => this.href, assign: (url: string) => void this.assigned.push(url) };
  addEventListener(_: 'pageshow', listener: (event: { persisted?: boolean }) => void) {
    this.listeners.add(listener);
  }
  removeEventListener(_: 'pageshow', listener: (event: { persisted?: boolean }) => void) {
    this.listeners.delete(listener);
  }
  pageshow(persisted: boolean) {
    for (const listener of this.listeners) listener({ persisted });
  }
}

let idp: FakeIdp;
let page: FakePage;
const storage = createMemoryStorage();
let auth: LogtoAuth;
let events: PlatformEvent[];

/** A page load of the web app (a new JS world, same localStorage). */
function loadPage(): LogtoAuth {
  auth = createLogtoAuth(
    {
      endpoint: idp.endpoint,
      appId: idp.appId,
      platform: 'web',
      redirectUri: WEB_SIGN_IN,
      postSignOutRedirectUri: 'http://localhost:8100/callback/sign-out',
      storageNamespace: 'com.example.app',
    },
    {
      storage,
      fetch: idp.fetch,
      legacyPreferences: null,
      location: {
        get href() {
          return page.href;
        },
        assign: (url: string) => page.location.assign(url),
      },
      pageEvents: page,
      log: () => undefined,
    },
  );
  events = [];
  auth.port.subscribe((event) => events.push(event));
  return auth;
}

beforeEach(async () => {
  nativeShell.reset();
  idp = await FakeIdp.start();
  page = new FakePage();
  loadPage();
});

afterEach(() => auth.dispose());

describe('web platform', () => {
  it('leaves the page for the identity provider and completes on return to the callback route', async () => {
    await auth.port.startSignIn({ loginHint: 'jane@example.com' });
    expect(page.assigned).toHaveLength(1);
    expect(nativeShell.visits).toHaveLength(0);
    const authorize = new URL(page.assigned[0]);
    expect(authorize.searchParams.get('redirect_uri')).toBe(WEB_SIGN_IN);

    auth.dispose();
    page.href = idp.authorize(authorize, 'user-1', 'jane@example.com');
    loadPage();
    const restored = await auth.port.restore();
    expect(restored.pendingSignIn).toBe(true);
    expect(restored.launchCallback).toMatch(/^cb-/);
    expect((await auth.port.completeSignIn(restored.launchCallback as string)).sub).toBe('user-1');
    await expect(auth.port.closeBrowser()).resolves.toBeUndefined();
  });

  it('reports a pending sign-in without a callback when the person came back another way', async () => {
    await auth.port.startSignIn({});
    auth.dispose();
    page.href = 'http://localhost:8100/';
    loadPage();
    expect(await auth.port.restore()).toMatchObject({ pendingSignIn: true, launchCallback: null });
  });

  it('treats pageshow from the back-forward cache as the browser closing, only while a sign-in is pending', async () => {
    page.pageshow(true);
    expect(events).toEqual([]);
    await auth.port.startSignIn({});
    page.pageshow(false);
    expect(events).toEqual([]);
    page.pageshow(true);
    expect(eventsOf(events, 'BROWSER_CLOSED')).toHaveLength(1);
    auth.dispose();
    expect(page.listeners.size).toBe(0);
  });

  it('signs out locally and leaves for the end-session page', async () => {
    await auth.port.startSignIn({});
    auth.dispose();
    page.href = idp.authorize(new URL(page.assigned[0]), 'user-1', 'jane@example.com');
    loadPage();
    await auth.port.completeSignIn((await auth.port.restore()).launchCallback as string);
    expect(await auth.port.signOut({})).toEqual({ awaitingBrowser: true });
    expect(new URL(page.assigned.at(-1) ?? '').pathname).toBe('/oidc/session/end');
    expect((await auth.port.restore()).claims).toBeNull();
    await waitFor(() => idp.counters.revocations === 1);
  });
});
