// Core's files, not its barrel: this file is in the initial bundle, the machine is not.
import { authError, isAuthError } from '../core/errors';
import type { AuthError, AuthPort, AuthStep, RestoreResult } from '../core/port';
import type { LogtoAuth } from './logto-auth';

/**
 * What a backend built over a boot read offers before anything is loaded: the boot answer (the
 * same one the machine's restore then takes, read once) and when "after the first screen" is.
 */
export interface BootHooks {
  /** The storage-only answer of this launch (`readBootSession`), or null when the full restore must run. */
  answer(): Promise<RestoreResult | null>;
  /** Runs `task` once the first screen is drawn (provideAuth's schedule). */
  afterFirstScreen(task: () => void): void;
}

export type AuthBackend = LogtoAuth & { readonly boot?: BootHooks };

const LOAD_FAILED = 'auth_module_load_failed';

function loadFailed(step: AuthStep): AuthError {
  return authError({ kind: 'network', code: LOAD_FAILED, step });
}

/** Runs `task` once the page is idle (the first screen had its chance to render), or after 1 s where there is no idle callback (Safari). */
export function whenIdle(task: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(task, { timeout: 3_000 });
  else setTimeout(task, 1_000);
}

/**
 * A backend whose implementation (the adapter and the Logto SDK) is loaded on first use, so they
 * stay out of the initial bundle and the first paint does not wait for them. Imports no Angular:
 * it lives next to the adapter it loads. A failed load is retried on the next call.
 *
 * When the download starts:
 * - without `boot`: at the machine's first call (restore, at bootstrap);
 * - with `boot` (`readBootSession` in restore.ts, whose read provideAuth starts early): when it
 *   answers null or fails, at once (the adapter's own restore runs, as without it); when it
 *   answers (a stored session, nothing in flight), the first screen is reached without the
 *   adapter, and the download waits for `later` (provideAuth: after the first screen is drawn,
 *   at the latest 5 s) — or starts at once when any call needs the adapter before that.
 *   Listeners subscribed meanwhile attach when it has loaded.
 */
export function lazyBackend(
  load: () => Promise<LogtoAuth>,
  boot?: () => Promise<RestoreResult | null>,
  later: (task: () => void) => void = whenIdle,
): AuthBackend {
  let loading: Promise<LogtoAuth> | undefined;
  let loaded: LogtoAuth | undefined;
  let disposed = false;
  let bootAsked = false;
  /** The boot read, asked once: the binding's first screen and the machine's restore get the same answer. */
  let bootAnswer: Promise<RestoreResult | null> | undefined;
  const askBoot = (read: () => Promise<RestoreResult | null>) => (bootAnswer ??= read());
  /**
   * `later`, once: the binding waits for it to load the machine, whose restore then schedules the
   * adapter. The first screen is drawn by then, so the adapter loads at once rather than after a
   * second wait (a sign-out in another tab must reach this one within a second).
   */
  let firstScreenDrawn = false;
  const afterFirstScreen = (task: () => void) => {
    if (firstScreenDrawn) task();
    else
      later(() => {
        firstScreenDrawn = true;
        task();
      });
  };
  /** Listeners waiting for the implementation (boot mode): attached as soon as it loads, before any call runs on it. */
  const onLoad = new Set<(implementation: LogtoAuth) => void>();
  /**
   * Who the machine's restore showed from the boot read, until the loaded adapter has checked it
   * against the session it loaded (another tab may have switched account in between, unheard).
   */
  let shown: { readonly subject: string | null } | undefined;
  const reconcile = () => {
    if (!loaded || !shown) return;
    const { subject } = shown;
    shown = undefined;
    // A task later: the machine has taken the restore answer by then (news before it is dropped).
    const implementation = loaded;
    setTimeout(() => implementation.reconcileShown?.(subject), 0);
  };

  function backend(step: AuthStep): Promise<LogtoAuth> {
    loading ??= load().then(
      (implementation) => {
        // Disposed while loading: release it at once, and nothing more will use it.
        if (disposed) implementation.dispose();
        else {
          loaded = implementation;
          for (const attach of onLoad) attach(implementation);
          onLoad.clear();
          reconcile();
        }
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
    restore: () => {
      const full = () => backend('restore').then((b) => b.port.restore());
      if (!boot || bootAsked || loading) return full();
      bootAsked = true;
      return askBoot(boot).then(
        (answer) => {
          if (!answer) return full();
          shown = { subject: answer.claims?.sub ?? null };
          reconcile();
          afterFirstScreen(() => void backend('restore').catch(() => undefined));
          return answer;
        },
        () => full(),
      );
    },
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
      const attach = (b: LogtoAuth) => {
        if (active) unsubscribe = b.port.subscribe(listener);
      };
      if (boot && !loaded) {
        // Boot mode: subscribing does not load the adapter; the listener attaches when it loads.
        onLoad.add(attach);
      } else {
        // Subscribed before restore() resolves: the calls share one load and run in order.
        backend('restore').then(attach, () => undefined);
      }
      return () => {
        active = false;
        onLoad.delete(attach);
        unsubscribe?.();
      };
    },
  };

  return {
    ...(boot ? { boot: { answer: () => askBoot(boot), afterFirstScreen } } : {}),
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
