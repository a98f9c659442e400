/**
 * Development builds only. AuthService loads this chunk through `authDevTools` from
 * environments/build-mode, which is `null` in production, so none of it (nor
 * @statelyai/inspect) reaches a production bundle; scripts/check-production-build.mjs verifies it.
 */
import { Capacitor } from '@capacitor/core';
import type { AnyEventObject, InspectionEvent, MachineContext } from 'xstate';

import { type AuthContext, redactActorSnapshot, redactContext } from '../core';
import type { AuthService } from './auth-service';
import { createTransitionLog } from './transition-log';

declare global {
  interface Window {
    /** The running auth actor, for poking from the console: `__authActor.send({ type: 'RETRY' })`. */
    __authActor?: AuthService['actor'];
  }
}

/** `?inspect` opts in to the Stately inspector; never inside the native WebView (no popup there). */
export function wantsInspector(search: string, native: boolean): boolean {
  return !native && new URLSearchParams(search).has('inspect');
}

/** Events as the inspector may show them: the type, and for failures the error kind; no payloads. */
export function redactEvent(event: AnyEventObject): AnyEventObject {
  const error = (event as { error?: { kind?: unknown } }).error;
  return typeof error?.kind === 'string' ? { type: event.type, errorKind: error.kind } : { type: event.type };
}

/**
 * Contexts as the inspector may show them: the auth machine's is redacted. Only a first line of
 * defence: the inspector's sanitizers see contexts and events, not the invoked actors' input,
 * output and error, so `redactInspectorMessage` rebuilds every message it sends.
 */
export function redactInspectedContext(context: MachineContext | undefined): MachineContext | undefined {
  const isAuthContext = typeof context === 'object' && context !== null && 'claims' in context && 'pendingSignIn' in context;
  return isAuthContext ? { ...redactContext(context as AuthContext) } : context;
}

/** Fields of the inspector's messages that are ids, names, times or the (static) machine definition. */
const MESSAGE_FIELDS = ['type', 'name', 'sessionId', 'parentId', 'rootId', 'sourceId', 'id', 'createdAt', '_version', 'definition'];

/**
 * Every message to the Stately inspector, rebuilt from the fields above plus the redacted
 * event and snapshot (any actor's: see redactActorSnapshot). Plain JSON, so it also survives
 * `postMessage`. Used as the inspector's `serialize`, the last step before a message leaves.
 */
export function redactInspectorMessage(message: unknown): Record<string, unknown> {
  const m = (typeof message === 'object' && message !== null ? message : {}) as Record<string, unknown>;
  const kept = Object.fromEntries(MESSAGE_FIELDS.filter((field) => typeof m[field] === 'string').map((field) => [field, m[field]]));
  const event = m['event'] as AnyEventObject | undefined;
  return {
    ...kept,
    ...(event && typeof event.type === 'string' ? { event: redactEvent(event) } : {}),
    ...(m['snapshot'] !== undefined ? { snapshot: redactActorSnapshot(m['snapshot']) } : {}),
  };
}

export async function installDevTools(auth: AuthService, win: Window = window): Promise<void> {
  win.__authActor = await auth.loadMachine();
  // eslint-disable-next-line no-console -- the one dev-only transition log; its lines carry no payloads
  auth.addInspector(createTransitionLog((line) => console.info(line)));

  if (!wantsInspector(win.location.search, Capacitor.isNativePlatform())) return;
  const { createBrowserInspector } = await import('@statelyai/inspect');
  const inspector = createBrowserInspector({
    window: win,
    sanitizeEvent: redactEvent,
    sanitizeContext: (context) => redactInspectedContext(context) as MachineContext,
    serialize: (message) => redactInspectorMessage(message) as never,
  });
  auth.addInspector((event: InspectionEvent) => inspector.inspect.next?.(event));
}
