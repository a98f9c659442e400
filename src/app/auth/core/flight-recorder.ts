import type { InspectionEvent, Observer, StateValue } from 'xstate';

import type { AuthContext } from './context';
import type { AuthErrorKind } from './port';
import { redactContext, type RedactedAuthContext } from './redact';
import { stateToString } from './state-string';

export interface FlightRecorderEntry {
  /** ISO 8601 time of the transition. */
  readonly at: string;
  /** The event's type only: payloads (options, callback refs, outputs) are never recorded. */
  readonly event: string;
  /** Dotted state before; `(start)` for the first snapshot of an actor. */
  readonly from: string;
  readonly to: string;
  readonly errorKind?: AuthErrorKind;
}

export interface FlightReport {
  readonly generatedAt: string;
  /** Dotted current state, or null before the first transition was seen. */
  readonly state: string | null;
  readonly context: RedactedAuthContext | null;
  /** Oldest first. */
  readonly entries: readonly FlightRecorderEntry[];
}

/** Usable as `createActor(machine, { inspect: recorder.inspect })`, called directly, or via `.next()`. */
export type InspectObserver = ((event: InspectionEvent) => void) & Observer<InspectionEvent>;

export interface FlightRecorder {
  readonly inspect: InspectObserver;
  entries(): readonly FlightRecorderEntry[];
  /** JSON-safe and redacted: safe to paste into a bug report. */
  report(): FlightReport;
  clear(): void;
}

export interface FlightRecorderOptions {
  readonly limit?: number;
  readonly now?: () => Date;
  /**
   * Entries recorded before this page load (a web redirect reloads the app: without them the
   * recorder showed 2 entries after a sign-in). Invalid items are dropped.
   */
  readonly earlier?: readonly unknown[];
  /** Called after each new entry with all entries (to keep them, e.g. in sessionStorage). */
  readonly onRecord?: (entries: readonly FlightRecorderEntry[]) => void;
}

function isEntry(value: unknown): value is FlightRecorderEntry {
  const e = value as Partial<FlightRecorderEntry> | null;
  return (
    !!e &&
    typeof e.at === 'string' &&
    typeof e.event === 'string' &&
    SAFE_EVENT_TYPE.test(e.event) &&
    typeof e.from === 'string' &&
    typeof e.to === 'string' &&
    (e.errorKind === undefined || typeof e.errorKind === 'string')
  );
}

export const START = '(start)';
const SAFE_EVENT_TYPE = /^[\w.:@-]{1,120}$/;

interface MachineLikeSnapshot {
  readonly value: StateValue;
  readonly context: AuthContext;
}

/** Only the root actor's snapshots are read (see record()); this checks they have the auth context's shape. */
function isMachineLikeSnapshot(snapshot: unknown): snapshot is MachineLikeSnapshot {
  const s = snapshot as Partial<MachineLikeSnapshot> | null;
  return (
    !!s && s.value !== undefined && typeof s.context === 'object' && s.context !== null && 'claims' in s.context && 'error' in s.context
  );
}

/**
 * The last `limit` transitions of the root auth actor: what happened, in what order, without
 * any payload. Records a snapshot when the state, the error or the presence of claims changed
 * (an ignored event changes nothing and is not recorded).
 */
export function createFlightRecorder({
  limit = 100,
  now = () => new Date(),
  earlier = [],
  onRecord,
}: FlightRecorderOptions = {}): FlightRecorder {
  const buffer: FlightRecorderEntry[] = earlier
    .filter(isEntry)
    .slice(-limit)
    .map((e) => ({ at: e.at, event: e.event, from: e.from, to: e.to, ...(e.errorKind ? { errorKind: e.errorKind } : {}) }));
  let rootId: string | undefined;
  let last: MachineLikeSnapshot | undefined;

  function record(event: InspectionEvent): void {
    if (event.type !== '@xstate.snapshot' || event.actorRef.sessionId !== event.rootId) return;
    if (!isMachineLikeSnapshot(event.snapshot)) return;
    const snapshot = event.snapshot;
    const fresh = rootId !== event.rootId || last === undefined;
    const from = fresh ? START : stateToString(last!.value);
    const to = stateToString(snapshot.value);
    const changed =
      fresh ||
      from !== to ||
      last!.context.error !== snapshot.context.error ||
      (last!.context.claims === null) !== (snapshot.context.claims === null);
    rootId = event.rootId;
    last = snapshot;
    if (!changed) return;
    const type = SAFE_EVENT_TYPE.test(event.event.type) ? event.event.type : '[event]';
    const errorKind = snapshot.context.error?.kind;
    buffer.push({ at: now().toISOString(), event: type, from, to, ...(errorKind ? { errorKind } : {}) });
    if (buffer.length > limit) buffer.splice(0, buffer.length - limit);
    onRecord?.(buffer.map((entry) => ({ ...entry })));
  }

  const inspect = Object.assign((event: InspectionEvent) => record(event), {
    next: (event: InspectionEvent) => record(event),
  });

  return {
    inspect,
    entries: () => buffer.map((entry) => ({ ...entry })),
    report: () => ({
      generatedAt: now().toISOString(),
      state: last ? stateToString(last.value) : null,
      context: last ? redactContext(last.context) : null,
      entries: buffer.map((entry) => ({ ...entry })),
    }),
    clear: () => {
      buffer.length = 0;
      onRecord?.([]);
    },
  };
}
