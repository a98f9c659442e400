/**
 * Development builds only. AuthService loads this chunk behind `devTools` from
 * environments/build-mode, which is `false` in production, so none of it (nor
 * @statelyai/inspect) reaches a production bundle; scripts/check-production-build.mjs verifies it.
 */
import { Capacitor } from '@capacitor/core';
import type { AnyEventObject, InspectionEvent, MachineContext } from 'xstate';

import { type AuthContext, redactContext } from '../core';
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
 * Contexts as the inspector may show them. It asks for every actor's snapshot, including the
 * invoked promise/callback actors, which have no context: only the auth machine's is redacted.
 */
export function redactInspectedContext(context: MachineContext | undefined): MachineContext | undefined {
  const isAuthContext = typeof context === 'object' && context !== null && 'timers' in context && 'claims' in context;
  return isAuthContext ? { ...redactContext(context as AuthContext) } : context;
}

export async function installDevTools(auth: AuthService, win: Window = window): Promise<void> {
  win.__authActor = auth.actor;
  // eslint-disable-next-line no-console -- the one dev-only transition log; its lines carry no payloads
  auth.addInspector(createTransitionLog((line) => console.info(line)));

  if (!wantsInspector(win.location.search, Capacitor.isNativePlatform())) return;
  const { createBrowserInspector } = await import('@statelyai/inspect');
  const inspector = createBrowserInspector({
    window: win,
    sanitizeEvent: redactEvent,
    sanitizeContext: (context) => redactInspectedContext(context) as MachineContext,
  });
  auth.addInspector((event: InspectionEvent) => inspector.inspect.next?.(event));
}
