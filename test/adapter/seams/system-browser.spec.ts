/** The SystemBrowser seam: the native one over the simulated Capacitor Browser plugin, and the web one. */
import { createNativeBrowser, createWebBrowser, type PageEventTarget } from '../../../src/app/auth/logto/system-browser.ts';
import { nativeShell, settle } from '../../native-shell/shell.ts';

beforeEach(() => nativeShell.reset());

describe('native SystemBrowser (Custom Tabs / SFSafariViewController)', () => {
  const log: string[] = [];
  const browser = () => createNativeBrowser({ closeTimeout: 100, log: (level, message) => log.push(`${level}: ${message}`) });

  it('opens, knows what for, and closes', async () => {
    const b = browser();
    await b.open('https://idp.example.test/oidc/auth', 'sign-in');
    expect(b.purpose).toBe('sign-in');
    expect(nativeShell.browserOpen).toBe(true);
    await b.close();
    expect(b.purpose).toBeNull();
    expect(nativeShell.closeCalls).toEqual(['resolved']);
  });

  it('closes the one on screen before opening another (iOS presents only one SFSafariViewController)', async () => {
    nativeShell.use('ios-success');
    const b = browser();
    await b.open('https://idp.example.test/oidc/auth', 'sign-in');
    await b.open('https://idp.example.test/oidc/session/end', 'sign-out');
    expect(b.purpose).toBe('sign-out');
    expect(nativeShell.trace.filter((entry) => entry === 'Browser.open')).toHaveLength(2);
    expect(nativeShell.closeCalls).toEqual(['resolved']);
  });

  it('never rejects on close, even when iOS says "No active window to close!"', async () => {
    nativeShell.use('ios-close-rejects');
    const b = browser();
    await expect(b.close()).resolves.toBeUndefined();
    expect(nativeShell.closeCalls).toEqual(['rejected']);
    expect(log.some((line) => line.includes('was refused (ignored)'))).toBe(true);
  });

  it('reports the person closing it, and stops reporting once unsubscribed (no listener left)', async () => {
    const b = browser();
    let closed = 0;
    const stop = b.onClosed(() => (closed += 1));
    await b.open('https://idp.example.test/oidc/auth', 'sign-in');
    nativeShell.browserFinished();
    await settle(10);
    expect(closed).toBe(1);
    expect(b.purpose).toBeNull();
    stop();
    await settle(10);
    expect(nativeShell.listenerCount()).toBe(0);
  });
});

describe('web SystemBrowser (the page itself)', () => {
  function page() {
    const listeners = new Set<(event: { persisted?: boolean }) => void>();
    const assigned: string[] = [];
    const events: PageEventTarget = {
      addEventListener: (_type, listener) => listeners.add(listener),
      removeEventListener: (_type, listener) => listeners.delete(listener),
    };
    return { assigned, listeners, events, location: { assign: (url: string) => assigned.push(url) } };
  }

  it('navigates the page to the identity provider', async () => {
    const p = page();
    const b = createWebBrowser({ location: p.location, pageEvents: p.events });
    await b.open('https://idp.example.test/oidc/auth', 'sign-in');
    expect(p.assigned).toEqual(['https://idp.example.test/oidc/auth']);
    expect(b.purpose).toBe('sign-in');
  });

  it('treats a return through the back-forward cache as "closed without a redirect", only while open', async () => {
    const p = page();
    const b = createWebBrowser({ location: p.location, pageEvents: p.events });
    let closed = 0;
    const stop = b.onClosed(() => (closed += 1));
    for (const listener of p.listeners) listener({ persisted: true }); // nothing was open
    await b.open('https://idp.example.test/oidc/auth', 'sign-in');
    for (const listener of p.listeners) listener({ persisted: false }); // a normal load
    for (const listener of p.listeners) listener({ persisted: true });
    expect(closed).toBe(1);
    stop();
    expect(p.listeners.size).toBe(0);
  });
});
