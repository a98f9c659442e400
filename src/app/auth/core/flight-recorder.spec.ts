import { createActor, SimulatedClock } from 'xstate';

import { createAuthMachine } from './create-auth-machine';
import { createFlightRecorder, START } from './flight-recorder';
import { flushMicrotasks, startAuthHarness } from './testing/auth-harness';
import { FakeAuthPort } from './testing/fake-port';
import { DEFAULT_TIMERS } from './timers';

const fixedNow = () => new Date('2026-01-02T03:04:05.000Z');

describe('flight recorder', () => {
  it('records each transition as time, event type, from → to and error kind', async () => {
    const recorder = createFlightRecorder({ now: fixedNow });
    const h = await startAuthHarness({ inspect: recorder.inspect });
    await h.send({ type: 'SIGN_IN', options: { loginHint: 'jane@example.com' } });
    h.port.emit({ type: 'BROWSER_CLOSED' });
    await h.advance(DEFAULT_TIMERS.browserClosedGrace);
    h.stop();

    expect(recorder.entries()).toEqual([
      { at: '2026-01-02T03:04:05.000Z', event: 'xstate.init', from: START, to: 'booting' },
      { at: '2026-01-02T03:04:05.000Z', event: 'xstate.done.actor.restore', from: 'booting', to: 'idle' },
      { at: '2026-01-02T03:04:05.000Z', event: 'SIGN_IN', from: 'idle', to: 'signingIn.redirecting.opening' },
      {
        at: '2026-01-02T03:04:05.000Z',
        event: 'xstate.done.actor.startSignIn',
        from: 'signingIn.redirecting.opening',
        to: 'signingIn.redirecting.waiting',
      },
      {
        at: '2026-01-02T03:04:05.000Z',
        event: 'BROWSER_CLOSED',
        from: 'signingIn.redirecting.waiting',
        to: 'signingIn.redirecting.closing',
      },
      {
        at: '2026-01-02T03:04:05.000Z',
        event: 'xstate.after.browserClosedGrace.auth.signingIn.redirecting.closing',
        from: 'signingIn.redirecting.closing',
        to: 'error',
        errorKind: 'cancelled',
      },
    ]);
  });

  it('does not record events that change nothing', async () => {
    const recorder = createFlightRecorder();
    const h = await startAuthHarness({ inspect: recorder.inspect });
    const before = recorder.entries().length;
    await h.send({ type: 'RETRY' });
    await h.send({ type: 'DISMISS' });
    h.port.emit({ type: 'APP_RESUMED' });
    await h.settle();
    expect(recorder.entries()).toHaveLength(before);
    h.stop();
  });

  it('keeps only the last `limit` transitions', async () => {
    const recorder = createFlightRecorder({ limit: 5 });
    const h = await startAuthHarness({ inspect: recorder.inspect });
    for (let i = 0; i < 10; i++) {
      await h.send({ type: 'SIGN_IN' });
      await h.send({ type: 'CANCEL' });
    }
    const entries = recorder.entries();
    expect(entries).toHaveLength(5);
    expect(entries[entries.length - 1]).toMatchObject({ event: 'CANCEL', to: 'idle' });
    h.stop();
  });

  it('the report is JSON-safe and carries no email, callback ref, URL or payload', async () => {
    const recorder = createFlightRecorder();
    const port = new FakeAuthPort({ nextClaims: { sub: 'user-1', email: 'jane.doe@example.com', picture: 'https://cdn/x.png' } });
    const h = await startAuthHarness({ port, inspect: recorder.inspect });
    await h.send({ type: 'SIGN_IN', options: { loginHint: 'jane.doe@example.com', extraParams: { state_hint: 'zzz' } } });
    port.hold('completeSignIn');
    port.completeBrowserSignIn();
    await h.settle();
    const during = JSON.stringify(recorder.report());
    expect(during).toContain('"callback":"present"');
    expect(during).not.toContain('cb-1');
    expect(during).not.toContain('zzz');
    port.resolveHeld('completeSignIn');
    await h.settle();

    const report = recorder.report();
    const json = JSON.stringify(report);
    expect(JSON.parse(json)).toEqual(report);
    expect(report.state).toBe('authenticated');
    expect(report.context?.claims).toMatchObject({ sub: 'user-1', email: 'j***@example.com', picture: '[url]' });
    expect(json).not.toContain('jane.doe@example.com');
    expect(json).not.toContain('https://');
    expect(json).not.toContain('cb-1');
    h.stop();
  });

  it('works as an inspect observer, as a function and through .next()', async () => {
    const recorder = createFlightRecorder();
    const actor = createActor(createAuthMachine(new FakeAuthPort()), { clock: new SimulatedClock(), inspect: recorder.inspect });
    actor.start();
    await flushMicrotasks();
    expect(recorder.entries().map((e) => e.to)).toEqual(['booting', 'idle']);
    actor.stop();

    const viaNext = createFlightRecorder();
    const second = createActor(createAuthMachine(new FakeAuthPort()), { inspect: (e) => viaNext.inspect.next?.(e) });
    second.start();
    await flushMicrotasks();
    expect(viaNext.entries()).toHaveLength(2);
    expect(viaNext.report().state).toBe('idle');
    second.stop();
  });

  it('an empty recorder reports no state', () => {
    expect(createFlightRecorder().report()).toMatchObject({ state: null, context: null, entries: [] });
  });

  it('starts from the entries kept before a page load (web redirect), drops invalid ones and reports every new entry', async () => {
    const kept: unknown[][] = [];
    const earlier = [
      { at: '2026-01-02T03:04:00.000Z', event: 'SIGN_IN', from: 'idle', to: 'signingIn.redirecting.opening' },
      { at: 'x', event: 'bad event with spaces', from: 'a', to: 'b' },
      'not an entry',
    ];
    const recorder = createFlightRecorder({ earlier, onRecord: (entries) => kept.push([...entries]) });
    expect(recorder.entries()).toEqual([earlier[0]]);
    const h = await startAuthHarness({ inspect: recorder.inspect });
    expect(recorder.entries()[0]).toEqual(earlier[0]);
    expect(recorder.entries().length).toBeGreaterThan(1);
    expect(kept.at(-1)).toEqual(recorder.entries());
    h.stop();
  });
});
