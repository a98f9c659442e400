import type { PlatformEvent } from '../core';
// The Angular binding's fake backend imports no Angular; it stands in for the adapter this loader loads.
// eslint-disable-next-line no-restricted-imports
import { deferred, FakeAuthBackend, JANE } from '../angular/testing/fake-auth-backend';
import { lazyBackend } from './lazy-backend';
import type { LogtoAuth as AuthBackend } from './logto-auth';

describe('lazyBackend', () => {
  afterEach(() => jest.restoreAllMocks());

  it('loads the implementation on first use, once, and delegates to it', async () => {
    const real = new FakeAuthBackend({ session: JANE });
    const load = jest.fn(() => Promise.resolve<AuthBackend>(real));
    const lazy = lazyBackend(load);
    expect(load).not.toHaveBeenCalled();

    await expect(lazy.port.restore()).resolves.toMatchObject({ claims: JANE });
    await expect(lazy.getAccessToken('https://api.bookstore.local')).resolves.toBe('token-https://api.bookstore.local-1');
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('attaches a listener subscribed before the load finished, before restore runs', async () => {
    const real = new FakeAuthBackend();
    const loading = deferred<AuthBackend>();
    const lazy = lazyBackend(() => loading.promise);
    const events: PlatformEvent[] = [];
    lazy.port.subscribe((event) => events.push(event));
    const restored = lazy.port.restore();
    loading.resolve(real);
    await restored;
    expect(real.port.listenerCount).toBe(1);
    real.port.emit({ type: 'APP_RESUMED' });
    expect(events).toEqual([{ type: 'APP_RESUMED' }]);
  });

  it('does not attach a listener that unsubscribed while loading', async () => {
    const real = new FakeAuthBackend();
    const loading = deferred<AuthBackend>();
    const lazy = lazyBackend(() => loading.promise);
    const unsubscribe = lazy.port.subscribe(() => undefined);
    unsubscribe();
    loading.resolve(real);
    await lazy.port.restore();
    expect(real.port.listenerCount).toBe(0);
  });

  it('passes the abort signal of a sign-in start through (CANCEL must stop a start even while the module loads)', async () => {
    const real = new FakeAuthBackend();
    real.port.hold('startSignIn');
    const lazy = lazyBackend(() => Promise.resolve<AuthBackend>(real));
    const controller = new AbortController();
    void lazy.port.startSignIn({}, controller.signal).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 0));
    controller.abort();
    expect(real.port.calls.abortedStartSignIn).toBe(1);
  });

  it('reports a failed load as a retryable network error and loads again next time', async () => {
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const real = new FakeAuthBackend();
    const load = jest
      .fn<Promise<AuthBackend>, []>()
      .mockRejectedValueOnce(new TypeError('Failed to fetch dynamically imported module'))
      .mockResolvedValue(real);
    const lazy = lazyBackend(load);
    await expect(lazy.port.startSignIn({})).rejects.toMatchObject({ kind: 'network', retry: 'newRedirect', step: 'redirect' });
    await expect(lazy.port.startSignIn({})).resolves.toBeUndefined();
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('passes on an AuthError the adapter raised while loading (e.g. a configuration it refuses)', async () => {
    const refused = {
      kind: 'config',
      code: 'invalid_redirect_uri',
      message: 'The redirect URI is not valid.',
      step: 'restore',
      retry: 'none',
    };
    const lazy = lazyBackend(() => Promise.reject(refused));
    await expect(lazy.port.startSignIn({})).rejects.toBe(refused);
  });

  it('never rejects the best-effort calls, even when loading fails', async () => {
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const lazy = lazyBackend(() => Promise.reject(new Error('offline')));
    await expect(lazy.port.closeBrowser()).resolves.toBeUndefined();
    await expect(lazy.port.discardPendingSignIn()).resolves.toBeUndefined();
  });

  it('disposes the implementation, also when it arrives after dispose', async () => {
    const first = new FakeAuthBackend();
    const lazy = lazyBackend(() => Promise.resolve<AuthBackend>(first));
    await lazy.port.restore();
    lazy.dispose();
    expect(first.calls.disposed).toBe(1);

    const late = new FakeAuthBackend();
    const loading = deferred<AuthBackend>();
    const lazyLate = lazyBackend(() => loading.promise);
    const restored = lazyLate.port.restore();
    lazyLate.dispose();
    loading.resolve(late);
    await restored.catch(() => undefined);
    expect(late.calls.disposed).toBe(1);
  });
});

describe('lazyBackend with a boot reader (the launch with a stored session)', () => {
  const stored = { claims: JANE, pendingSignIn: false, launchCallback: null };

  it('answers the first restore from the boot reader without loading the adapter, then loads it when idle and attaches listeners', async () => {
    const real = new FakeAuthBackend({ session: JANE });
    const load = jest.fn(() => Promise.resolve<AuthBackend>(real));
    const idle: (() => void)[] = [];
    const lazy = lazyBackend(
      load,
      () => Promise.resolve(stored),
      (task) => idle.push(task),
    );
    const events: PlatformEvent[] = [];
    lazy.port.subscribe((event) => events.push(event));

    await expect(lazy.port.restore()).resolves.toEqual(stored);
    expect(load).not.toHaveBeenCalled();

    idle.forEach((task) => task());
    await Promise.resolve();
    await Promise.resolve();
    expect(load).toHaveBeenCalledTimes(1);
    expect(real.port.listenerCount).toBe(1);
    real.port.emit({ type: 'APP_RESUMED' });
    expect(events).toEqual([{ type: 'APP_RESUMED' }]);
  });

  it('loads the adapter at once when a call needs it before the page was idle', async () => {
    const real = new FakeAuthBackend({ session: JANE });
    const load = jest.fn(() => Promise.resolve<AuthBackend>(real));
    const lazy = lazyBackend(
      load,
      () => Promise.resolve(stored),
      () => undefined,
    );
    await lazy.port.restore();
    await expect(lazy.getAccessToken('https://api.bookstore.local')).resolves.toBe('token-https://api.bookstore.local-1');
    expect(load).toHaveBeenCalledTimes(1);
  });

  it("runs the adapter's own restore when the boot reader cannot answer or fails", async () => {
    for (const boot of [() => Promise.resolve(null), () => Promise.reject(new Error('storage unavailable'))]) {
      const real = new FakeAuthBackend({ session: JANE });
      const load = jest.fn(() => Promise.resolve<AuthBackend>(real));
      const lazy = lazyBackend(load, boot, () => undefined);
      const events: PlatformEvent[] = [];
      lazy.port.subscribe((event) => events.push(event));
      await expect(lazy.port.restore()).resolves.toMatchObject({ claims: JANE });
      expect(load).toHaveBeenCalledTimes(1);
      expect(real.port.listenerCount).toBe(1);
    }
  });

  it('offers the boot answer before anything loads, and the first restore takes that same read', async () => {
    const load = jest.fn(() => Promise.resolve<AuthBackend>(new FakeAuthBackend({ session: JANE })));
    const boot = jest.fn(() => Promise.resolve({ ...stored }));
    const later: (() => void)[] = [];
    const lazy = lazyBackend(load, boot, (task) => later.push(task));
    const shown = await lazy.boot?.answer();
    expect(shown).toEqual(stored);
    const restored = await lazy.port.restore();
    // One read, one object: what the screen showed is exactly what the machine's restore got.
    expect(restored).toBe(shown);
    expect(boot).toHaveBeenCalledTimes(1);
    expect(load).not.toHaveBeenCalled();
  });

  it('waits for the first screen once: the machine waits for it, the adapter its restore schedules then loads at once', async () => {
    const load = jest.fn(() => Promise.resolve<AuthBackend>(new FakeAuthBackend({ session: JANE })));
    const later: (() => void)[] = [];
    const lazy = lazyBackend(
      load,
      () => Promise.resolve(stored),
      (task) => later.push(task),
    );
    const machineStarted = jest.fn();
    lazy.boot?.afterFirstScreen(machineStarted);
    expect(machineStarted).not.toHaveBeenCalled();
    later.splice(0).forEach((task) => task());
    expect(machineStarted).toHaveBeenCalledTimes(1);
    await lazy.port.restore();
    await Promise.resolve();
    expect(later).toHaveLength(0);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('has no boot answer to offer without a boot reader', () => {
    expect(lazyBackend(() => Promise.resolve<AuthBackend>(new FakeAuthBackend())).boot).toBeUndefined();
  });

  it('asks the boot reader only for the first restore', async () => {
    const real = new FakeAuthBackend({ session: JANE });
    const boot = jest.fn(() => Promise.resolve(stored));
    const lazy = lazyBackend(
      () => Promise.resolve<AuthBackend>(real),
      boot,
      () => undefined,
    );
    await lazy.port.restore();
    await lazy.port.restore();
    expect(boot).toHaveBeenCalledTimes(1);
  });
});
