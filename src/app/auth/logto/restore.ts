import type { CallbackRef, IdTokenClaims, RestoreResult } from '../core/port';
import type { AppSignals } from './app-signals';
import { describeError, type AuthLogger } from './auth-log';
import type { CallbackAdmission } from './callback-admission';
import { decodeIdTokenClaims } from './id-token-claims';
import { forgetPendingSignIn, readPendingSignInState } from './pending-sign-in';
import { isRedirectTo } from './redirect-uri';
import type { SessionStore } from './session-store';
import type { SessionStorage } from './session-storage';

export interface RestoreDeps {
  readonly store: SessionStore;
  readonly storage: SessionStorage;
  readonly admission: CallbackAdmission;
  readonly app: AppSignals;
  readonly redirectUri: string;
  readonly pendingSignInMaxAge: number;
  readonly now: () => number;
  readonly log: AuthLogger;
}

/**
 * Boot: what the stored state says, storage only (never the network). The session counts when
 * its ID token is readable and a refresh token is there; a pending sign-in that can no longer
 * complete is forgotten; a launch URL that answers the pending sign-in goes straight to callback.
 */
export async function readStoredState(deps: RestoreDeps): Promise<RestoreResult> {
  const { store, log } = deps;
  let claims: IdTokenClaims | null = null;
  if (store.idToken && store.refreshToken) {
    try {
      claims = decodeIdTokenClaims(store.idToken);
    } catch (error) {
      log('warn', `the stored ID token is unreadable: ${describeError(error)}`);
    }
  }

  const pending = await readPendingSignInState(deps.storage, {
    now: deps.now(),
    maxAge: deps.pendingSignInMaxAge,
    redirectUri: deps.redirectUri,
  });
  // Too old, or half of it missing: nothing can complete it any more.
  if (!pending.ok && pending.reason !== 'none') await forgetPendingSignIn(deps.storage);

  let launchCallback: CallbackRef | null = null;
  const launchUrl = await deps.app.launchUrl();
  if (launchUrl && isRedirectTo(launchUrl, new URL(deps.redirectUri))) {
    if (pending.ok) {
      const admission = await deps.admission.admit(launchUrl, 'launch');
      if (admission.ok) launchCallback = admission.ref;
    } else {
      log('info', 'started on the sign-in redirect URI with no sign-in pending: ignored');
    }
  }
  return {
    claims,
    pendingSignIn: pending.ok,
    ...(pending.ok ? { pendingSignInOptions: pending.record.options } : {}),
    launchCallback,
  };
}
