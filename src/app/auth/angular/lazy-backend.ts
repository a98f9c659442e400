import { authError, type AuthError, type AuthPort, type AuthStep, isAuthError } from '../core';
import type { AuthBackend } from './auth-backend';

const LOAD_FAILED = 'auth_module_load_failed';

function loadFailed(step: AuthStep): AuthError {
  return authError({ kind: 'network', code: LOAD_FAILED, step });
}

/**
 * A backend whose implementation is loaded on first use, so the Logto SDK and the adapter stay
 * out of the initial bundle: the first paint does not wait for them, and the machine's first
 * call (restore, at bootstrap) starts the download. A failed load is retried on the next call.
 */
export function lazyBackend(load: () => Promise<AuthBackend>): AuthBackend {
  let loading: Promise<AuthBackend> | undefined;
  let loaded: AuthBackend | undefined;
  let disposed = false;

  function backend(step: AuthStep): Promise<AuthBackend> {
    loading ??= load().then(
      (implementation) => {
        // Disposed while loading: release it at once, and nothing more will use it.
        if (disposed) implementation.dispose();
        else loaded = implementation;
        return implementation;
      },
      (reason: unknown) => {
        loading = undefined;
        // The adapter refusing its configuration is an AuthError already (kind `config`): pass it on.
        if (isAuthError(reason)) throw reason;
        // A chunk that failed to download, or a bug while constructing: keep the cause for developers.
        console.error('[auth] the sign-in module could not be loaded', reason);
        throw loadFailed(step);
      },
    );
    return loading.catch((reason: unknown) =>
      Promise.reject(isAuthError(reason) && reason.code !== LOAD_FAILED ? reason : loadFailed(step)),
    );
  }

  const port: AuthPort = {
    restore: () => backend('restore').then((b) => b.port.restore()),
    // The abort signal goes through: CANCEL must stop the start even while the module loads.
    startSignIn: (options, signal) => backend('redirect').then((b) => b.port.startSignIn(options, signal)),
    completeSignIn: (callback) => backend('callback').then((b) => b.port.completeSignIn(callback)),
    closeBrowser: () =>
      backend('callback').then(
        (b) => b.port.closeBrowser(),
        () => undefined,
      ),
    discardPendingSignIn: () =>
      backend('redirect').then(
        (b) => b.port.discardPendingSignIn(),
        () => undefined,
      ),
    signOut: (options) => backend('signOut').then((b) => b.port.signOut(options)),
    subscribe: (listener) => {
      let active = true;
      let unsubscribe: (() => void) | undefined;
      // Subscribed before restore() resolves: the calls share one load and run in order.
      backend('restore').then(
        (b) => {
          if (active) unsubscribe = b.port.subscribe(listener);
        },
        () => undefined,
      );
      return () => {
        active = false;
        unsubscribe?.();
      };
    },
  };

  return {
    port,
    getAccessToken: (resource, organizationId) => backend('session').then((b) => b.getAccessToken(resource, organizationId)),
    refreshAccessToken: (resource, organizationId) => backend('session').then((b) => b.refreshAccessToken(resource, organizationId)),
    expireSession: () => backend('session').then((b) => b.expireSession()),
    fetchUserInfo: () => backend('session').then((b) => b.fetchUserInfo()),
    dispose: () => {
      disposed = true;
      loaded?.dispose();
      loaded = undefined;
    },
  };
}
