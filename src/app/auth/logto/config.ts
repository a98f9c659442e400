/** Configuration of the Logto adapter (one platform, exact redirect URIs). */
export interface LogtoAuthConfig {
  /** Logto endpoint without `/oidc`, e.g. `http://localhost:3001` or `https://xyz.logto.app`. */
  readonly endpoint: string;
  readonly appId: string;
  readonly platform: 'native' | 'web';
  /** Sign-in redirect URI of this platform; matched exactly (scheme, host, port, path). */
  readonly redirectUri: string;
  /** Sign-out redirect URI of this platform; when set, sign-out opens the end-session page. */
  readonly postSignOutRedirectUri?: string;
  readonly scopes?: readonly string[];
  readonly resources?: readonly string[];
  /** The app id (bundle id): every storage key is namespaced with it. */
  readonly storageNamespace: string;
  readonly timers?: Partial<LogtoAuthTimers>;
}

/** Timers of the adapter and token layer, in ms. */
export interface LogtoAuthTimers {
  /**
   * Bound of one single request to the identity server (discovery, JWKS, user info), of opening
   * the end-session page, and of how long a caller waits for a token. Not of token grants.
   */
  readonly tokenRequestTimeout: number;
  /**
   * The network's own bound on a token grant (refresh, code exchange): their answers are never
   * abandoned early, because with refresh-token rotation a processed request whose answer we
   * dropped spends the session. 60 s is iOS URLSession's default request timeout.
   */
  readonly refreshRequestTimeout: number;
  /** Bound of the best-effort refresh-token revocation at sign-out. */
  readonly revocationTimeout: number;
  /** A pending sign-in older than this is stale: its callback is refused, restore forgets it. */
  readonly pendingSignInMaxAge: number;
  /** Access tokens are refreshed this long before they expire (AppAuth uses 60 s). */
  readonly refreshMargin: number;
  /** On app resume, cached access tokens expiring within this window are refreshed ahead. */
  readonly resumeRefreshWindow: number;
  /** Bound of the best-effort `Browser.close()`. */
  readonly browserCloseTimeout: number;
}

export const DEFAULT_LOGTO_TIMERS: LogtoAuthTimers = {
  tokenRequestTimeout: 15_000,
  refreshRequestTimeout: 60_000,
  revocationTimeout: 5_000,
  // Authorization codes and the identity page live 10 minutes; 15 leaves room for a slow person.
  pendingSignInMaxAge: 15 * 60_000,
  refreshMargin: 60_000,
  resumeRefreshWindow: 5 * 60_000,
  browserCloseTimeout: 2_000,
};

export function resolveTimers(timers: Partial<LogtoAuthTimers> | undefined): LogtoAuthTimers {
  return { ...DEFAULT_LOGTO_TIMERS, ...timers };
}

/** The organizations scope; organization tokens need it (Logto's `UserScope.Organizations`). */
export const ORGANIZATIONS_SCOPE = 'urn:logto:scope:organizations';
