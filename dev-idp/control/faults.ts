export type FaultTarget = 'token' | 'discovery' | 'jwks' | 'userinfo' | 'revocation';
/**
 * `lose-answer`: the request is processed (a refresh token is rotated, a code spent) and then the
 * connection drops before the answer leaves: a phone losing its network mid-request.
 */
export type FaultMode = 'error500' | 'hang' | 'slow' | 'lose-answer';

export interface Fault {
  readonly mode: FaultMode;
  readonly delayMs: number;
}

const defaultSlowDelayMs = 3000;

/** Which fault target a request to the provider (path below /oidc) belongs to; preflights never fault. */
export function faultTargetOf(method: string | undefined, oidcPath: string): FaultTarget | undefined {
  if (method === 'OPTIONS') {
    return undefined;
  }
  const path = oidcPath.split('?')[0];
  switch (path) {
    case '/token':
      return 'token';
    case '/token/revocation':
      return 'revocation';
    case '/me':
      return 'userinfo';
    case '/jwks':
      return 'jwks';
    case '/.well-known/openid-configuration':
    case '/.well-known/oauth-authorization-server':
      return 'discovery';
    default:
      return undefined;
  }
}

/** Faults the tests switch on: "the token endpoint answers 500", "discovery hangs", ... */
export class Faults {
  readonly #active = new Map<FaultTarget, Fault & { left: number }>();

  /** `times`: how many requests it hits before it clears itself; default every one until `clear()`. */
  set(target: FaultTarget, mode: FaultMode, delayMs?: number, times = Number.POSITIVE_INFINITY): void {
    this.#active.set(target, { mode, delayMs: delayMs ?? defaultSlowDelayMs, left: times });
  }

  clear(): void {
    this.#active.clear();
  }

  /** The fault for a request to `target`, counted as hit. */
  for(target: FaultTarget | undefined): Fault | undefined {
    const fault = target ? this.#active.get(target) : undefined;
    if (!fault || !target) return undefined;
    fault.left -= 1;
    if (fault.left <= 0) this.#active.delete(target);
    return { mode: fault.mode, delayMs: fault.delayMs };
  }
}
