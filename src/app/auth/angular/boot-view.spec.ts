import { createActor } from 'xstate';

import { AUTH_TAGS, createAuthMachine, type IdTokenClaims, type RestoreResult } from '../core';
import { FakeAuthPort } from '../core/testing/fake-port';
import { BOOTING_VIEW, restoredView } from './boot-view';
import type { AuthView } from './boot-view';

const claims: IdTokenClaims = {
  iss: 'http://localhost:3001/oidc',
  sub: 'u-1',
  aud: 'app',
  exp: 2_000_000_000,
  iat: 1_700_000_000,
  email: 'jane@example.com',
};

/** The real machine over a port whose restore answers `result`, once its restore has settled. */
async function machineAfterRestore(result: RestoreResult) {
  const port = new FakeAuthPort();
  port.restore = () => Promise.resolve(result);
  const actor = createActor(createAuthMachine(port));
  actor.start();
  for (let i = 0; i < 12; i++) await Promise.resolve();
  const snapshot = actor.getSnapshot();
  actor.stop();
  return snapshot;
}

function tagsOf(view: Pick<AuthView, 'hasTag'>): string[] {
  return AUTH_TAGS.filter((tag) => view.hasTag(tag));
}

/** The machine's top-level states the view says it is in (what `AuthService.matches` answers). */
function statesOf(view: Pick<AuthView, 'matches'>): string[] {
  const states = Object.keys(createAuthMachine(new FakeAuthPort()).states) as Parameters<AuthView['matches']>[0][];
  return states.filter((state) => view.matches(state)) as string[];
}

describe('the views shown before the machine has loaded', () => {
  it('BOOTING_VIEW is the machine’s own initial snapshot: state, context and tags', () => {
    const actor = createActor(createAuthMachine(new FakeAuthPort()));
    const initial = actor.getSnapshot();
    expect(BOOTING_VIEW.value).toEqual(initial.value);
    expect(BOOTING_VIEW.context).toEqual(initial.context);
    expect(tagsOf(BOOTING_VIEW)).toEqual(tagsOf(initial));
    expect(statesOf(BOOTING_VIEW)).toEqual(statesOf(initial));
  });

  it('a stored session with nothing in flight: the view is exactly where the machine’s restore goes with that answer', async () => {
    for (const stored of [claims, { ...claims, email: null, name: 'Jane' }, { iss: 'i', sub: 's', aud: 'a', exp: 1, iat: 0 }]) {
      const result: RestoreResult = { claims: stored, pendingSignIn: false, launchCallback: null };
      const view = restoredView(result);
      const machine = await machineAfterRestore(result);
      expect(view).not.toBeNull();
      expect(view?.value).toEqual(machine.value);
      expect(view?.context).toEqual(machine.context);
      expect(tagsOf(view as AuthView)).toEqual(tagsOf(machine));
      expect(statesOf(view as AuthView)).toEqual(statesOf(machine));
    }
  });

  it('every other answer: no view (the machine itself decides), also where the machine would show a session', async () => {
    const others: RestoreResult[] = [
      { claims: null, pendingSignIn: false, launchCallback: null },
      { claims: { ...claims, sub: '' }, pendingSignIn: false, launchCallback: null },
      { claims, pendingSignIn: true, launchCallback: null },
      { claims, pendingSignIn: true, pendingSignInOptions: { prompt: 'login' }, launchCallback: null },
      { claims, pendingSignIn: true, launchCallback: 'cb-1' },
      { claims: null, pendingSignIn: true, launchCallback: 'cb-1' },
    ];
    for (const result of others) {
      expect(restoredView(result)).toBeNull();
      // The machine goes elsewhere, or arrives with a notice: nothing this view could have shown.
      const machine = await machineAfterRestore(result);
      expect(machine.matches('authenticated') && machine.context.error === null && machine.context.pendingSignIn === null).toBe(false);
    }
  });
});
