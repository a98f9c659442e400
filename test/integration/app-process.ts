/**
 * One process of the app in the full-stack suite: a Logto adapter under the auth machine, with
 * its state history, the events the machine received and its flight recorder. A relaunch after a
 * kill is a new AppProcess on the same device storage and native shell (auth-stack.ts).
 */
import { createActor, matchesState, waitFor, type Actor, type InspectionEvent } from 'xstate';

import {
  createAuthMachine,
  createFlightRecorder,
  stateToString,
  type AuthContext,
  type AuthEvent,
  type AuthMachine,
  type AuthTimers,
  type FlightRecorder,
} from '../../src/app/auth/core/index.ts';
import type { LogtoAuth } from '../../src/app/auth/logto/index.ts';
import type { LeakScan } from './leak-scan.ts';

export interface StateVisit {
  readonly state: string;
  /** performance.now() when the machine entered it. */
  readonly at: number;
}

/**
 * One process of the app: a fresh adapter and a fresh machine over the device's storage. A
 * relaunch after a kill is a new AppProcess on the same storage and the same native shell.
 */
export class AppProcess {
  readonly auth: LogtoAuth;
  readonly actor: Actor<AuthMachine>;
  readonly recorder: FlightRecorder;
  readonly history: StateVisit[] = [];
  /** Event types the machine received (from the inspector): what the port forwarded and what the UI sent. */
  readonly received: string[] = [];
  #stopped = false;
  #disposed = false;
  readonly #describeProblems: () => string;

  constructor(auth: LogtoAuth, timers: Partial<AuthTimers>, scan: LeakScan, describeProblems: () => string) {
    this.auth = auth;
    this.#describeProblems = describeProblems;
    this.recorder = createFlightRecorder();
    const machine = createAuthMachine(auth.port, { timers });
    const actor: Actor<AuthMachine> = createActor(machine, {
      inspect: (event: InspectionEvent) => {
        scan.addInspection(event);
        this.recorder.inspect(event);
        if (event.type === '@xstate.event' && event.actorRef === actor) this.received.push(event.event.type);
      },
    });
    this.actor = actor;
    actor.subscribe((snapshot) => {
      const state = stateToString(snapshot.value);
      if (this.history.at(-1)?.state !== state) this.history.push({ state, at: performance.now() });
    });
    actor.start();
  }

  get state(): string {
    return stateToString(this.actor.getSnapshot().value);
  }

  get context(): AuthContext {
    return this.actor.getSnapshot().context;
  }

  send(event: AuthEvent): void {
    this.actor.send(event);
  }

  /** Resolves when the machine is in `target` (a dotted state or any sub-state of it). */
  async waitFor(target: string, timeoutMs = 5_000): Promise<void> {
    try {
      await waitFor(this.actor, (snapshot) => snapshot.matches(target as never), { timeout: timeoutMs });
    } catch {
      throw new Error(`Expected the machine in "${target}" within ${timeoutMs} ms. ${this.describe()}${this.#describeProblems()}`);
    }
  }

  /** The states visited since `from` (an index into history), in order. */
  statesSince(from = 0): string[] {
    return this.history.slice(from).map((visit) => visit.state);
  }

  /** When the machine first entered `target` at or after history index `from`. */
  enteredAt(target: string, from = 0): number {
    const visit = this.history.slice(from).find((candidate) => matchesState(target, candidate.state));
    if (!visit) throw new Error(`The machine never entered "${target}". ${this.describe()}`);
    return visit.at;
  }

  describe(): string {
    const start = this.history[0]?.at ?? 0;
    const path = this.history.map((visit) => `${visit.state}@${Math.round(visit.at - start)}ms`).join(' → ');
    const error = this.context.error;
    return `States: ${path}.${error ? ` Error: ${error.kind}/${error.code}.` : ''}`;
  }

  /** Stop the machine (the app's shutdown, or the OS killing the process). */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.actor.stop();
  }

  dispose(): void {
    this.stop();
    if (this.#disposed) return;
    this.#disposed = true;
    this.auth.dispose();
  }
}
