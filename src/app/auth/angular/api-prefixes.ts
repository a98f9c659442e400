import type { ApiRoute } from './auth-config';

/** One configured API prefix, parsed: the request must have this origin and a path under `path`. */
export interface ParsedApiPrefix {
  readonly route: ApiRoute;
  /** scheme://host[:port], as `URL.origin` gives it (lower-case host, default port dropped). */
  readonly origin: string;
  /** Always ends with `/`, so `/api/` never matches `/api-admin/`. */
  readonly path: string;
}

/**
 * Parses a configured prefix, or throws an Error naming it. A string prefix without its
 * trailing slash (`http://localhost:3002`) would also match `http://localhost:3002.evil.test/`,
 * so the prefix must be an absolute http(s) URL whose path ends with `/`, with no user
 * info, query or fragment. (Plain http only for development hosts is checked at build time,
 * scripts/gen-app-settings.mjs, which knows them.)
 */
export function parseApiPrefix(route: ApiRoute): ParsedApiPrefix {
  const problem = (what: string) => new Error(`API prefix "${route.urlPrefix}" (resource ${route.resource}) ${what}`);
  let url: URL;
  try {
    url = new URL(route.urlPrefix);
  } catch {
    throw problem('is not an absolute URL.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw problem('must be an http(s) URL.');
  if (url.username || url.password) throw problem('must not carry a user name or password.');
  if (url.search || url.hash || route.urlPrefix.includes('?') || route.urlPrefix.includes('#')) {
    throw problem('must not have a query or fragment.');
  }
  if (!route.urlPrefix.endsWith('/') || !url.pathname.endsWith('/')) throw problem('must end with "/".');
  return { route, origin: url.origin, path: url.pathname };
}

/** The configured API prefixes, parsed once; `routeFor` compares parsed origin and path. */
export class ApiPrefixes {
  readonly #prefixes: readonly ParsedApiPrefix[];

  constructor(routes: readonly ApiRoute[]) {
    this.#prefixes = routes.map(parseApiPrefix);
  }

  /**
   * The route of the longest prefix that owns `url`, or undefined (then no token is sent).
   * Relative URLs never match: the prefixes are absolute, and a token goes only where the
   * configuration names the origin.
   */
  routeFor(url: string): ApiRoute | undefined {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return undefined;
    }
    if (target.username || target.password) return undefined;
    let best: ParsedApiPrefix | undefined;
    for (const prefix of this.#prefixes) {
      const under = target.origin === prefix.origin && target.pathname.startsWith(prefix.path);
      if (under && (!best || prefix.path.length > best.path.length)) best = prefix;
    }
    return best?.route;
  }
}

const parsed = new WeakMap<readonly ApiRoute[], ApiPrefixes>();

/** The parsed prefixes of one configuration, parsed on first use (provideAuth does it at start-up). */
export function apiPrefixesFor(routes: readonly ApiRoute[] | undefined): ApiPrefixes {
  if (!routes) return new ApiPrefixes([]);
  let prefixes = parsed.get(routes);
  if (!prefixes) {
    prefixes = new ApiPrefixes(routes);
    parsed.set(routes, prefixes);
  }
  return prefixes;
}
