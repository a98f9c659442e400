import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { faultTargetOf, type Faults } from '../control/faults.ts';
import type { TokenTraffic } from '../control/token-traffic.ts';
import type { OriginAllowList } from '../http/cors.ts';
import { readForm, sendJson } from '../http/http-util.ts';

export const oidcMountPath = '/oidc';

export interface OidcMount {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Cancels pending "slow" faults (their sockets are closed by the server). */
  cancelDelays(): void;
}

/**
 * Serves oidc-provider under /oidc on plain node:http, with the test controls in front of it
 * (fault injection, counters) and Logto's wire details added around it.
 */
export function mountProvider(provider: Provider, faults: Faults, traffic: TokenTraffic, origins: OriginAllowList): OidcMount {
  const tokenRequestStarts = new WeakMap<IncomingMessage, number>();
  const delays = new Set<{ timer: NodeJS.Timeout; resolve: (go: boolean) => void }>();

  provider.use(async (ctx, next) => {
    const origin = ctx.get('Origin');
    try {
      await next();
    } finally {
      const start = tokenRequestStarts.get(ctx.req);
      if (start !== undefined) {
        const params = (ctx as Partial<KoaContextWithOIDC>).oidc?.params;
        traffic.end(start, typeof params?.['grant_type'] === 'string' ? params['grant_type'] : undefined);
      }
    }
    // CORS for the app's origins only: the library answers every preflight and opens
    // discovery/JWKS to any origin, so strip whatever it granted to another origin.
    if (origin && !origins.allows(origin)) {
      for (const header of Object.keys(ctx.response.headers)) {
        if (header.toLowerCase().startsWith('access-control-')) {
          ctx.remove(header);
        }
      }
    }
    // Logto's error body: the SDK reads `code`/`message` (e.g. `oidc.invalid_grant`); keep the OAuth fields too.
    const body: unknown = ctx.body;
    if (ctx.status >= 400 && isOAuthError(body)) {
      ctx.body = { ...body, code: `oidc.${body.error}`, message: body.error_description ?? body.error };
    }
  });

  const callback = provider.callback();

  function delay(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          delays.delete(entry);
          resolve(true);
        }, ms),
        resolve,
      };
      delays.add(entry);
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const oidcPath = (req.url ?? '/').slice(oidcMountPath.length) || '/';
    const target = faultTargetOf(req.method, oidcPath);
    const start = target === 'token' && req.method === 'POST' ? traffic.begin() : undefined;
    if (target === 'revocation' && req.method === 'POST') {
      traffic.revocations += 1;
    }

    const fault = faults.for(target);
    if (fault?.mode === 'slow') {
      if (!(await delay(fault.delayMs))) {
        return;
      }
    } else if (fault?.mode === 'lose-answer') {
      // Processed in full; the answer never arrives.
      res.end = (() => {
        res.socket?.destroy();
        return res;
      }) as typeof res.end;
    } else if (fault) {
      const grantType = start === undefined ? undefined : await grantTypeOf(req);
      if (start !== undefined) {
        traffic.end(start, grantType, fault.mode === 'hang');
      }
      if (fault.mode === 'hang') {
        return; // never answered; the server closes the socket on stop
      }
      const origin = req.headers.origin;
      sendJson(
        res,
        500,
        {
          error: 'server_error',
          error_description: `injected fault: the ${target} endpoint is failing`,
          code: 'oidc.server_error',
          message: `injected fault: the ${target} endpoint is failing`,
        },
        origins.allows(origin) ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' } : { Vary: 'Origin' },
      );
      return;
    }

    if (start !== undefined) {
      tokenRequestStarts.set(req, start);
    }
    // oidc-provider derives its mount path from originalUrl (see docs/dev-idp.md).
    (req as IncomingMessage & { originalUrl?: string }).originalUrl = req.url;
    req.url = oidcPath;
    await callback(req, res);
  }

  return {
    handle,
    cancelDelays() {
      for (const entry of delays) {
        clearTimeout(entry.timer);
        entry.resolve(false);
      }
      delays.clear();
    },
  };
}

async function grantTypeOf(req: IncomingMessage): Promise<string | undefined> {
  try {
    return (await readForm(req)).get('grant_type') ?? undefined;
  } catch {
    return undefined;
  }
}

function isOAuthError(body: unknown): body is { error: string; error_description?: string } {
  return (
    typeof body === 'object' &&
    body !== null &&
    !Buffer.isBuffer(body) &&
    typeof (body as { error?: unknown }).error === 'string' &&
    !('code' in body)
  );
}
