import type { Requester } from '@logto/js';

import type { PlatformEvent } from '../core/port';
import type { LogtoAuthDeps } from './adapter-deps';
import { createNativeAppSignals, createWebAppSignals, type AppSignals } from './app-signals';
import { CallbackAdmission } from './callback-admission';
import { CallbackVault } from './callback-vault';
import { resolveTimers, type LogtoAuthConfig, type LogtoAuthTimers } from './config';
import { CodeExchange } from './code-exchange';
import { DiscoveryCache } from './discovery-cache';
import { createIdTokenVerifier } from './id-token-verifier';
import { createAdapterClient, type AdapterLogtoClient } from './logto-client';
import { SignInStartGate } from './provider-check';
import { createTimedRequester } from './requester';
import { readStoredState } from './restore';
import { SessionStore } from './session-store';
import { SignOut } from './sign-out';
import { createNativeBrowser, createWebBrowser, type SystemBrowser } from './system-browser';
import { TokenManager } from './token-manager';

/** The adapter's parts, one per job (docs/logto-adapter.md has the map). */
export interface Seams {
  readonly timers: LogtoAuthTimers;
  readonly client: AdapterLogtoClient;
  /** Bounded single requests (discovery, JWKS, user info, revocation). */
  readonly requester: Requester;
  readonly store: SessionStore;
  readonly tokens: TokenManager;
  readonly browser: SystemBrowser;
  /** Stops the SDK's navigation of a sign-in start the machine abandoned (CANCEL). */
  readonly startGate: SignInStartGate;
  readonly app: AppSignals;
  readonly admission: CallbackAdmission;
  readonly exchange: CodeExchange;
  readonly signOut: SignOut;
  readonly readStoredState: () => ReturnType<typeof readStoredState>;
}

/** Builds every seam for one platform and wires them to each other; `emit` reaches the machine. */
export function assembleSeams(config: LogtoAuthConfig, deps: LogtoAuthDeps, emit: (event: PlatformEvent) => void): Seams {
  const { storage, log, now } = deps;
  const timers = resolveTimers(config.timers);
  const native = config.platform === 'native';
  const browser = native
    ? createNativeBrowser({ closeTimeout: timers.browserCloseTimeout, log })
    : createWebBrowser({ location: deps.location, pageEvents: deps.pageEvents });
  const app = native ? createNativeAppSignals(log) : createWebAppSignals(deps.location);

  // Single requests are bounded; token grants only by the network (a processed grant whose
  // answer we dropped would spend the session).
  const requester = createTimedRequester(deps.fetch, timers.tokenRequestTimeout);
  const grants = createTimedRequester(deps.fetch, timers.refreshRequestTimeout);
  const discovery = new DiscoveryCache(config.endpoint);
  const startGate = new SignInStartGate();
  const client = createAdapterClient(config, {
    requester,
    storage,
    cache: discovery.sdkCache,
    navigate: async (url) => {
      startGate.check();
      await browser.open(url, 'sign-in');
    },
  });
  const verifier = createIdTokenVerifier({ appId: config.appId, getOidcConfig: () => client.getOidcConfig(), requester, now });
  const protocol = {
    appId: config.appId,
    getTokenEndpoint: async () => (await client.getOidcConfig()).tokenEndpoint,
    verifyIdToken: (idToken: string) => verifier.verifyIdToken(idToken),
  };

  const store = new SessionStore(storage, log);
  const vault = new CallbackVault();
  const signOut = new SignOut({
    storage,
    store,
    vault,
    browser,
    discovery,
    requester,
    appId: config.appId,
    postSignOutRedirectUri: config.postSignOutRedirectUri,
    revocationTimeout: timers.revocationTimeout,
    browserOpenTimeout: timers.tokenRequestTimeout,
    log,
  });
  const revoke = (refreshToken: string) => signOut.revoke(refreshToken);
  const tokens = new TokenManager({
    ...protocol,
    store,
    requester: grants,
    scopes: config.scopes ?? [],
    refreshMargin: timers.refreshMargin,
    resumeRefreshWindow: timers.resumeRefreshWindow,
    callerTimeout: timers.tokenRequestTimeout,
    now,
    log,
    onSessionExpired: (code) => emit({ type: 'SESSION_EXPIRED', code }),
    discardRefreshToken: (refreshToken) => void revoke(refreshToken),
  });
  const pendingRule = { storage, redirectUri: config.redirectUri, pendingSignInMaxAge: timers.pendingSignInMaxAge, now, log };
  const admission = new CallbackAdmission({ ...pendingRule, vault });
  const exchange = new CodeExchange({ ...protocol, storage, store, tokens, vault, requester: grants, revoke, now, log });
  return {
    timers,
    client,
    requester,
    store,
    tokens,
    browser,
    startGate,
    app,
    admission,
    exchange,
    signOut,
    readStoredState: () => readStoredState({ ...pendingRule, store, admission, app }),
  };
}
