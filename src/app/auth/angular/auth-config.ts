import { InjectionToken } from '@angular/core';

import type { AuthTimers } from '../core';
import { apiPrefixesFor } from './api-prefixes';

/** One redirect pair of a platform; both are exact URIs (never prefixes). */
export interface RedirectUris {
  readonly signIn: string;
  readonly signOut?: string;
}

/** Which requests get which access token: a request on `urlPrefix`'s origin, under its path, gets a token for `resource`. */
export interface ApiRoute {
  /** Absolute URL whose path ends with `/`, e.g. `http://localhost:3002/` (api-prefixes.ts parses it). */
  readonly urlPrefix: string;
  readonly resource: string;
}

export interface AuthConfig {
  readonly endpoint: string;
  readonly appId: string;
  readonly redirectUris: { readonly native: RedirectUris; readonly web: RedirectUris };
  readonly scopes?: readonly string[];
  readonly resources?: readonly string[];
  readonly apis?: readonly ApiRoute[];
  /** Storage keys are namespaced with it; the bundle id. */
  readonly storageNamespace: string;
  /** Machine timers in ms (tests shorten them). */
  readonly timers?: Partial<AuthTimers>;
}

export const AUTH_CONFIG = new InjectionToken<AuthConfig>('AUTH_CONFIG');

/**
 * The web redirect URIs on the origin the app is actually served from.
 * The configured URIs name the `npm start` origin; a build served elsewhere (a preview
 * server, an e2e run on a free port) keeps their paths on its own origin, so the
 * identity provider either accepts that registered URI or refuses it visibly.
 */
export function webRedirectUris(configured: RedirectUris, origin: string): RedirectUris {
  const rebase = (uri: string): string => {
    const url = new URL(uri);
    return url.origin === origin ? uri : origin + url.pathname + url.search;
  };
  return {
    signIn: rebase(configured.signIn),
    signOut: configured.signOut === undefined ? undefined : rebase(configured.signOut),
  };
}

/**
 * The API route that owns `url`: same parsed origin and a path under the prefix's, longest
 * prefix first; undefined (then no token is sent) otherwise. Never a string prefix match:
 * `http://localhost:3002` would match `http://localhost:3002.evil.test/`.
 */
export function apiRouteFor(apis: readonly ApiRoute[] | undefined, url: string): ApiRoute | undefined {
  return apiPrefixesFor(apis).routeFor(url);
}
