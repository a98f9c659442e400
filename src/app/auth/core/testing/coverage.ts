import type { AnyStateMachine, AnyTransitionDefinition, InspectionEvent, AnyStateNode } from 'xstate';

/**
 * Transition coverage for tests: which transitions of the machine definition a running actor
 * actually took. Keys are stable across `.provide()` copies of one definition:
 * `<source state id>#<event descriptor>#<index among that state's transitions for it>`.
 */

type AnyNode = AnyStateNode;

export function transitionKey(t: AnyTransitionDefinition): string {
  const list = (t.source as AnyNode).transitions.get(String(t.eventType)) ?? [];
  return `${t.source.id}#${String(t.eventType)}#${list.indexOf(t)}`;
}

function walk(node: AnyNode): AnyNode[] {
  return [node, ...(Object.values(node.states) as AnyNode[]).flatMap(walk)];
}

/** Every transition the definition declares. */
export function allTransitionKeys(machine: AnyStateMachine): string[] {
  return walk(machine.root as AnyNode).flatMap((node) => [...node.transitions.values()].flat().map(transitionKey));
}

/** Every state as a dotted path (`signingIn.redirecting.closing`), root excluded. */
export function allStatePaths(machine: AnyStateMachine): string[] {
  return walk(machine.root as AnyNode)
    .slice(1)
    .map((node) => node.path.join('.'));
}

/** Collects the transitions taken by the root actor, from its inspection events. */
export class TransitionCoverage {
  readonly taken = new Map<string, number>();
  readonly states = new Set<string>();
  total = 0;

  readonly inspect = (event: InspectionEvent): void => {
    if (event.actorRef.sessionId !== event.rootId) return;
    if (event.type === '@xstate.microstep') {
      for (const t of event._transitions) {
        this.total++;
        const key = transitionKey(t);
        this.taken.set(key, (this.taken.get(key) ?? 0) + 1);
      }
    }
    if (event.type === '@xstate.microstep' || event.type === '@xstate.snapshot') {
      const nodes = (event.snapshot as { _nodes?: AnyNode[] })._nodes ?? [];
      for (const node of nodes) if (node.path.length) this.states.add(node.path.join('.'));
    }
  };

  missingTransitions(machine: AnyStateMachine): string[] {
    return allTransitionKeys(machine).filter((key) => !this.taken.has(key));
  }

  missingStates(machine: AnyStateMachine): string[] {
    return allStatePaths(machine).filter((path) => !this.states.has(path));
  }
}
