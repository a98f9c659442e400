import { TestModel } from '@xstate/graph';
import { __unsafe_getAllOwnEventDescriptors, type EventObject, type SnapshotFrom } from 'xstate';

import { authMachine } from './auth-machine';
import { AUTH_ACTOR_IDS } from './machine-actors';
import { isUsableClaims } from './context';
import type { AuthEvent } from './events';
import type { IdTokenClaims, RestoreResult, SignInOptions } from './port';
import { stateToString } from './state-string';
import { startAuthHarness, type AuthHarness } from './testing/auth-harness';
import { TransitionCoverage } from './testing/coverage';
import { FakeAuthPort, fakeErrors, type FakePortMethod } from './testing/fake-port';
import { DEFAULT_TIMERS, type AuthTimers } from './timers';

/**
 * Model-based test. @xstate/graph walks the machine's pure transition function (the model)
 * and yields a shortest path to every (state, incoming transition); each path is replayed
 * on a real actor wired to a FakeAuthPort and a simulated clock (the system under test),
 * and after every step the actor must be in the same state with the same context.
 *
 * States are serialised as state value + context. That is finite here
 * (and exact, so the replay can compare whole contexts) because every payload comes from
 * the small fixed sets below: claims are one of two subjects, errors one of a few, the
 * callback ref always `cb-1`. A context with open-ended data (counters, timestamps) would
 * make the space infinite; the bare state value would merge `error` with
 * and without a session and hide the guarded transitions.
 */

type Snapshot = SnapshotFrom<typeof authMachine>;
type ModelEvent = EventObject & Record<string, unknown>;

const CLAIMS: IdTokenClaims = { sub: 'user-1', email: 'jane@example.com' };
const NEW_CLAIMS: IdTokenClaims = { sub: 'user-2' };
const OPTIONS: SignInOptions = { firstScreen: 'identifier:sign_in', identifiers: ['email'] };

const RESTORE_OUTPUTS: RestoreResult[] = [
  { claims: null, pendingSignIn: false, launchCallback: null },
  { claims: CLAIMS, pendingSignIn: false, launchCallback: null },
  { claims: null, pendingSignIn: true, pendingSignInOptions: OPTIONS, launchCallback: null },
  { claims: CLAIMS, pendingSignIn: true, launchCallback: null },
  { claims: null, pendingSignIn: true, pendingSignInOptions: OPTIONS, launchCallback: 'cb-1' },
  { claims: CLAIMS, pendingSignIn: true, launchCallback: 'cb-1' },
];

const EFFECT_ERRORS = [fakeErrors.network(), fakeErrors.invalidCallback(), fakeErrors.config()];

const done = (id: string, output: unknown): ModelEvent => ({ type: `xstate.done.actor.${id}`, output, actorId: id });
const failed = (id: string, error: unknown): ModelEvent => ({ type: `xstate.error.actor.${id}`, error, actorId: id });

const USER_AND_PLATFORM_EVENTS: Record<AuthEvent['type'], ModelEvent[]> = {
  SIGN_IN: [{ type: 'SIGN_IN', options: OPTIONS }],
  SIGN_OUT: [{ type: 'SIGN_OUT', options: {} }],
  CALLBACK_RECEIVED: [{ type: 'CALLBACK_RECEIVED', callback: 'cb-1' }],
  SIGN_OUT_CALLBACK_RECEIVED: [{ type: 'SIGN_OUT_CALLBACK_RECEIVED' }],
  BROWSER_CLOSED: [{ type: 'BROWSER_CLOSED' }],
  APP_RESUMED: [{ type: 'APP_RESUMED' }],
  RETRY: [{ type: 'RETRY' }],
  DISMISS: [{ type: 'DISMISS' }],
  CANCEL: [{ type: 'CANCEL' }],
  SESSION_EXPIRED: [{ type: 'SESSION_EXPIRED' }],
  SIGNED_OUT_ELSEWHERE: [{ type: 'SIGNED_OUT_ELSEWHERE' }],
  SESSION_ADOPTED: [
    { type: 'SESSION_ADOPTED', claims: NEW_CLAIMS },
    { type: 'SESSION_ADOPTED', claims: { name: 'no subject' } },
  ],
};

const EFFECT_EVENTS: Record<string, ModelEvent[]> = {
  [`xstate.done.actor.${AUTH_ACTOR_IDS.restore}`]: RESTORE_OUTPUTS.map((o) => done(AUTH_ACTOR_IDS.restore, o)),
  [`xstate.error.actor.${AUTH_ACTOR_IDS.restore}`]: [failed(AUTH_ACTOR_IDS.restore, new Error('storage'))],
  // The browser opened (the port resolves with nothing).
  [`xstate.done.actor.${AUTH_ACTOR_IDS.startSignIn}`]: [done(AUTH_ACTOR_IDS.startSignIn, undefined)],
  [`xstate.error.actor.${AUTH_ACTOR_IDS.startSignIn}`]: [fakeErrors.userCancelled(), fakeErrors.config()].map((e) =>
    failed(AUTH_ACTOR_IDS.startSignIn, e),
  ),
  [`xstate.done.actor.${AUTH_ACTOR_IDS.completeSignIn}`]: [NEW_CLAIMS, { name: 'no subject' }].map((o) =>
    done(AUTH_ACTOR_IDS.completeSignIn, o),
  ),
  [`xstate.error.actor.${AUTH_ACTOR_IDS.completeSignIn}`]: EFFECT_ERRORS.map((e) => failed(AUTH_ACTOR_IDS.completeSignIn, e)),
  [`xstate.done.actor.${AUTH_ACTOR_IDS.signOut}`]: [{ awaitingBrowser: false }, { awaitingBrowser: true }].map((o) =>
    done(AUTH_ACTOR_IDS.signOut, o),
  ),
  [`xstate.error.actor.${AUTH_ACTOR_IDS.signOut}`]: [failed(AUTH_ACTOR_IDS.signOut, fakeErrors.network('signOut'))],
};

const AFTER = /^xstate\.after\.([^.]+)\./;

/** Offer the events that can happen next. Of the running timers only the shortest can fire
 *  first: in the model no time passes between events, and every timer leaves its state. */
function eventsFor(snapshot: Snapshot): ModelEvent[] {
  const descriptors = __unsafe_getAllOwnEventDescriptors(snapshot) as string[];
  const timers = descriptors.filter((d) => AFTER.test(d));
  // The model runs the bare machine, whose delays are the defaults.
  const delayOf = (d: string) => DEFAULT_TIMERS[AFTER.exec(d)![1] as keyof AuthTimers];
  const firstTimer = timers.sort((a, b) => delayOf(a) - delayOf(b))[0];
  return descriptors.flatMap((d) => {
    if (AFTER.test(d)) return d === firstTimer ? [{ type: d }] : [];
    const events = USER_AND_PLATFORM_EVENTS[d as AuthEvent['type']] ?? EFFECT_EVENTS[d];
    if (!events) throw new Error(`The model has no events for descriptor ${d}: add them.`);
    return events;
  });
}

function abstract(snapshot: Snapshot): string {
  return `${stateToString(snapshot.value)} ${JSON.stringify(snapshot.context)}`;
}

function serializeEvent(event: ModelEvent): string {
  return JSON.stringify(event, (_key, value: unknown) => (value instanceof Error ? `Error(${value.message})` : value));
}

const model = new TestModel(authMachine, {
  events: eventsFor as never,
  serializeEvent: serializeEvent as never,
  // Vertex = state reached + the edge that reached it, so shortest paths cover every edge.
  serializeState: ((state: Snapshot, event: ModelEvent | undefined, prev: Snapshot | undefined) =>
    `${abstract(state)}${event && prev ? ` <- ${serializeEvent(event)} <- ${abstract(prev)}` : ''}`) as never,
});

const METHOD_OF: Record<string, FakePortMethod> = {
  [AUTH_ACTOR_IDS.restore]: 'restore',
  [AUTH_ACTOR_IDS.startSignIn]: 'startSignIn',
  [AUTH_ACTOR_IDS.completeSignIn]: 'completeSignIn',
  [AUTH_ACTOR_IDS.signOut]: 'signOut',
};

/**
 * Replays every shortest path on a real actor and records which states and transitions the actor
 * took. Both tests below await the same run (started by whichever runs first), so each test stands
 * on its own: run alone (`-t covered`), the coverage test replays the paths itself instead of
 * reading a coverage record another test may not have filled.
 */
async function replayEveryPath(paths: ReturnType<typeof model.getShortestPaths>): Promise<TransitionCoverage> {
  const coverage = new TransitionCoverage();
  for (const path of paths) {
    let h: AuthHarness | undefined;
    const exec = async (step: { event: ModelEvent }) => {
      const { event } = step;
      if (event.type === 'xstate.init') {
        const port = new FakeAuthPort().hold('restore').hold('startSignIn').hold('completeSignIn').hold('signOut');
        h = await startAuthHarness({ port, inspect: coverage.inspect });
        return;
      }
      const sut = h!;
      const effect = /^xstate\.(done|error)\.actor\.(.+)$/.exec(event.type);
      const timer = AFTER.exec(event.type);
      if (effect) {
        const method = METHOD_OF[effect[2]];
        if (effect[1] === 'done') sut.port.resolveHeld(method, event['output']);
        else sut.port.rejectHeld(method, event['error']);
        await sut.settle();
      } else if (timer) {
        await sut.advance(DEFAULT_TIMERS[timer[1] as keyof AuthTimers]);
      } else if (
        [
          'CALLBACK_RECEIVED',
          'SIGN_OUT_CALLBACK_RECEIVED',
          'BROWSER_CLOSED',
          'APP_RESUMED',
          'SESSION_EXPIRED',
          'SIGNED_OUT_ELSEWHERE',
          'SESSION_ADOPTED',
        ].includes(event.type)
      ) {
        sut.port.emit(event as never); // through the port subscription, like the adapter
        await sut.settle();
      } else {
        await sut.send(event as unknown as AuthEvent);
      }
    };
    const events = Object.fromEntries([...new Set(path.steps.map((s) => s.event.type))].map((type) => [type, exec]));
    try {
      await path.test({
        events: events as never,
        states: {
          '*': (expected: Snapshot) => {
            const actual = h!.actor.getSnapshot();
            expect(stateToString(actual.value)).toBe(stateToString(expected.value));
            expect(actual.context).toEqual(expected.context);
            if (stateToString(actual.value) === 'authenticated') expect(isUsableClaims(actual.context.claims)).toBe(true);
            if (stateToString(actual.value) === 'error') expect(actual.context.error).not.toBeNull();
          },
        } as never,
      });
    } finally {
      h?.stop();
      if (h) expect(h.port.listenerCount).toBe(0);
    }
  }
  return coverage;
}

describe('model-based: every state and transition of the model behaves the same in a running actor', () => {
  const paths = model.getShortestPaths();
  let replay: Promise<TransitionCoverage> | undefined;
  const replayed = () => (replay ??= replayEveryPath(paths));

  it('finds paths through the model', () => {
    expect(paths.length).toBeGreaterThan(50);
  });

  it('replays every path on a real actor with the fake port and a simulated clock', async () => {
    await replayed();
  });

  it('the replays covered every state and every transition of the machine', async () => {
    const coverage = await replayed();
    expect(coverage.missingStates(authMachine)).toEqual([]);
    expect(coverage.missingTransitions(authMachine)).toEqual([]);
    console.log(
      `[auth model] ${paths.length} paths, ${paths.reduce((n, p) => n + p.steps.length, 0)} steps, ` +
        `${coverage.taken.size} distinct transitions (${coverage.total} taken), ${coverage.states.size} states`,
    );
  });
});
