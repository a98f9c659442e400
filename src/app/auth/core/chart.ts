import type { AnyStateMachine, AnyTransitionDefinition, AnyStateNode } from 'xstate';

import { authMachine } from './auth-machine';

/**
 * Renders the machine definition (not a hand-drawn copy) as a Mermaid state diagram plus a
 * transition table. docs/state-chart.md is this output; chart.spec.ts fails when they differ,
 * so the chart cannot drift from the code.
 */

type AnyNode = AnyStateNode;

/** Side-effect actions worth showing on an edge; the assign helpers are bookkeeping. */
const SHOWN_ACTIONS = new Set(['closeBrowser', 'discardPendingSignIn', 'clearClaims']);

export const STATE_CHART_PATH = 'docs/state-chart.md';
export const STATE_CHART_UPDATE_COMMAND = 'UPDATE_STATE_CHART=1 npm run jest:unit -- --testPathPatterns src/app/auth/core/chart.spec.ts';

interface Row {
  readonly from: string;
  readonly event: string;
  readonly guard: string;
  readonly to: string;
  readonly effects: string;
}

function children(node: AnyNode): AnyNode[] {
  return Object.values(node.states) as AnyNode[];
}

function walk(node: AnyNode): AnyNode[] {
  return [node, ...children(node).flatMap(walk)];
}

/** `auth.signingIn.redirecting` → `signingIn.redirecting` (the dotted state string). */
function dotted(node: AnyNode): string {
  return node.path.join('.') || '(root)';
}

function eventLabel(t: AnyTransitionDefinition): string {
  const type = String(t.eventType);
  const after = /^xstate\.after\.([^.]+)\./.exec(type);
  if (after) return `after ${after[1]}`;
  const done = /^xstate\.done\.actor\.(.+)$/.exec(type);
  if (done) return `${done[1]} done`;
  const error = /^xstate\.error\.actor\.(.+)$/.exec(type);
  if (error) return `${error[1]} fails`;
  return type;
}

function guardLabel(t: AnyTransitionDefinition): string {
  const guard = t.guard as unknown;
  if (!guard) return '';
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'object' && guard !== null && 'type' in guard) return String((guard as { type: unknown }).type);
  return 'inline';
}

function effectsLabel(t: AnyTransitionDefinition): string {
  const effects: string[] = [];
  for (const action of t.actions as readonly unknown[]) {
    const type = typeof action === 'string' ? action : (action as { type?: unknown } | null)?.type;
    const params = typeof action === 'object' && action !== null ? (action as { params?: unknown }).params : undefined;
    if (type === 'setError') {
      const error =
        typeof params === 'object' && params !== null ? (params as { error?: { kind: string; code: string } }).error : undefined;
      effects.push(error ? `error ${error.kind} (${error.code})` : 'error from effect');
    } else if (typeof type === 'string' && SHOWN_ACTIONS.has(type)) {
      effects.push(type);
    }
  }
  return effects.join(', ');
}

function rowsOf(machine: AnyStateMachine): Row[] {
  const rows: Row[] = [];
  for (const node of walk(machine.root as AnyNode)) {
    for (const list of node.transitions.values()) {
      for (const t of list) {
        rows.push({
          from: dotted(node),
          event: eventLabel(t),
          guard: guardLabel(t),
          to: t.target?.length ? t.target.map((n) => dotted(n as AnyNode)).join(', ') : '(stays)',
          effects: effectsLabel(t),
        });
      }
    }
  }
  return rows;
}

/** Mermaid ids: the state keys, which are unique in this machine (checked). */
function mermaidIds(machine: AnyStateMachine): Map<AnyNode, string> {
  const ids = new Map<AnyNode, string>();
  const seen = new Set<string>();
  for (const node of walk(machine.root as AnyNode).slice(1)) {
    if (seen.has(node.key)) throw new Error(`State key "${node.key}" is not unique; the chart needs unique keys.`);
    seen.add(node.key);
    ids.set(node, node.key);
  }
  return ids;
}

export function renderMermaid(machine: AnyStateMachine = authMachine): string {
  const ids = mermaidIds(machine);
  const lines: string[] = ['stateDiagram-v2'];

  // Every state is declared inside its parent, so leaves render within their composite.
  const declare = (node: AnyNode, indent: string): void => {
    const kids = children(node);
    const isRoot = node === machine.root;
    if (!isRoot && !kids.length) {
      lines.push(`${indent}${ids.get(node)}`);
      return;
    }
    if (!isRoot) lines.push(`${indent}state ${ids.get(node)} {`);
    const inner = isRoot ? '  ' : `${indent}  `;
    const initial = node.initial?.target?.[0];
    if (initial) lines.push(`${inner}[*] --> ${ids.get(initial as AnyNode)}`);
    for (const kid of kids) declare(kid, inner);
    if (!isRoot) lines.push(`${indent}}`);
  };
  declare(machine.root as AnyNode, '');

  for (const node of walk(machine.root as AnyNode)) {
    if (node === machine.root) continue;
    for (const list of node.transitions.values()) {
      for (const t of list) {
        if (!t.target?.length) continue;
        const guard = guardLabel(t);
        const label = `${eventLabel(t)}${guard ? ` [${guard}]` : ''}`;
        for (const target of t.target) lines.push(`  ${ids.get(node)} --> ${ids.get(target as AnyNode)} : ${label}`);
      }
    }
  }
  return lines.join('\n');
}

function invokesOf(node: AnyNode): string {
  return node.invoke.map((i) => String(i.id)).join(', ');
}

export function renderStateChartDocument(machine: AnyStateMachine = authMachine): string {
  const nodes = walk(machine.root as AnyNode);
  const escape = (text: string) => text.replace(/\|/g, '\\|');
  const out: string[] = [
    '# Auth state chart',
    '',
    `<!-- Generated from the machine definition by renderStateChartDocument() in src/app/auth/core/chart.ts.`,
    `     Do not edit by hand. Regenerate: ${STATE_CHART_UPDATE_COMMAND} -->`,
    '',
    'Generated from `authMachine` (src/app/auth/core/auth-machine.ts); `chart.spec.ts` fails when',
    'this file and the machine disagree. Behaviour, timers and events are explained in',
    '[auth-machine.md](auth-machine.md).',
    '',
    '```mermaid',
    renderMermaid(machine),
    '```',
    '',
    '## States',
    '',
    '| state | tags | invokes | on entry | timers |',
    '|---|---|---|---|---|',
    ...nodes.map((node) => {
      const entry = node.entry
        .map((a) => (typeof a === 'string' ? a : ((a as { type?: string }).type ?? 'inline')))
        // xstate.raise/cancel are how XState schedules `after` timers: shown under timers.
        .filter((type) => !type.startsWith('xstate.'))
        .join(', ');
      const timers = node.after.map((t) => String(t.delay)).join(', ');
      const tags = [...node.tags].join(', ');
      return `| \`${dotted(node)}\` | ${tags} | ${invokesOf(node)} | ${entry} | ${timers} |`;
    }),
    '',
    '## Transitions',
    '',
    'Events not listed for a state (or its ancestors) are ignored there. `(stays)` marks a',
    'transition that only updates context.',
    '',
    '| from | event | guard | to | effects |',
    '|---|---|---|---|---|',
    ...rowsOf(machine).map(
      (r) =>
        `| \`${r.from}\` | ${escape(r.event)} | ${escape(r.guard)} | ${r.to === '(stays)' ? r.to : `\`${r.to}\``} | ${escape(r.effects)} |`,
    ),
    '',
  ];
  return out.join('\n');
}
