import type { IncomingMessage, ServerResponse } from 'node:http';

/** The app's origins (identity.config.json `appOrigins`); every other origin gets no CORS headers. */
export class OriginAllowList {
  readonly #origins: ReadonlySet<string>;

  constructor(origins: readonly string[]) {
    this.#origins = new Set(origins);
  }

  allows(origin: string | undefined): origin is string {
    // 'null' is what sandboxed frames and file: pages send; never trust it.
    return origin !== undefined && origin !== 'null' && this.#origins.has(origin);
  }
}

export interface CorsOptions {
  readonly methods: string;
  readonly exposeHeaders?: string;
}

/**
 * Adds CORS headers for an allowed origin and answers preflights.
 * Returns true when the request was a preflight and has been answered.
 */
export function handleCors(req: IncomingMessage, res: ServerResponse, allowList: OriginAllowList, options: CorsOptions): boolean {
  const origin = req.headers.origin;
  res.setHeader('Vary', 'Origin');
  const allowed = allowList.allows(origin);
  if (allowed) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    if (options.exposeHeaders) {
      res.setHeader('Access-Control-Expose-Headers', options.exposeHeaders);
    }
  }
  if (req.method !== 'OPTIONS' || !req.headers['access-control-request-method']) {
    return false;
  }
  if (allowed) {
    res.setHeader('Access-Control-Allow-Methods', options.methods);
    const requested = req.headers['access-control-request-headers'];
    if (requested) {
      res.setHeader('Access-Control-Allow-Headers', requested);
    }
    res.setHeader('Access-Control-Max-Age', '3600');
  }
  res.writeHead(204, { 'Content-Length': 0 });
  res.end();
  return true;
}
