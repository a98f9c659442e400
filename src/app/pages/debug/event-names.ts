import type { AuthErrorKind } from '../../auth/angular';
import { AUTH_EVENT_TYPES } from '../../auth/core/event-types';
import type { debugEn } from '../../i18n/en/debug';

type MessageKey = keyof typeof debugEn;

/** The machine's invoked steps, as XState names their done/error events (`xstate.done.actor.<id>`). */
const ACTORS = ['restore', 'startSignIn', 'completeSignIn', 'signOut'] as const;

/**
 * A recorded event's readable name (`xstate.done.actor.restore` → "Stored session read"), or null
 * for a name without one (the page then shows the raw name). The raw name stays in the row's
 * title and in the copied report.
 */
export function eventLabelKey(event: string): MessageKey | null {
  if (event === 'xstate.init') return 'event.init';
  if (event.startsWith('xstate.after.')) return 'event.timer';
  const actor = /^xstate\.(done|error)\.actor\.(\w+)$/.exec(event);
  if (actor) {
    const id = actor[2] as (typeof ACTORS)[number];
    return ACTORS.includes(id) ? (`event.${id}.${actor[1]}` as MessageKey) : null;
  }
  return (AUTH_EVENT_TYPES as readonly string[]).includes(event) ? (`event.${event}` as MessageKey) : null;
}

export function kindLabelKey(kind: AuthErrorKind): MessageKey {
  return `kind.${kind}` as MessageKey;
}

/**
 * A transition that ended in the error state records an error; one that carried a kind into
 * another state (a switch abandoned back to the kept session, "You cancelled sign-in") is a notice.
 */
export function isErrorEntry(to: string): boolean {
  return to === 'error' || to.startsWith('error.');
}
