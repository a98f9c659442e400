/**
 * Counts what reaches the token and revocation endpoints, for tests such as "a restored session
 * makes exactly one refresh grant" or "parallel token reads never refresh concurrently".
 */
export class TokenTraffic {
  tokenRequests = 0;
  authorizationCodeGrants = 0;
  refreshGrants = 0;
  revocations = 0;

  #tick = 0;
  /** [start, end] of every refresh-grant request since the last reset (end = Infinity: still hanging). */
  #refreshIntervals: [number, number][] = [];

  /** A token request arrived; returns its start mark. */
  begin(): number {
    this.tokenRequests += 1;
    return ++this.#tick;
  }

  /** The request's grant type is known and it finished (or, with `hanging`, never will). */
  end(start: number, grantType: string | undefined, hanging = false): void {
    const end = hanging ? Number.POSITIVE_INFINITY : ++this.#tick;
    if (grantType === 'authorization_code') {
      this.authorizationCodeGrants += 1;
    } else if (grantType === 'refresh_token') {
      this.refreshGrants += 1;
      this.#refreshIntervals.push([start, end]);
    }
  }

  /** The most refresh-grant requests that were in flight at the same moment. */
  get maxConcurrentRefreshGrants(): number {
    const events = this.#refreshIntervals
      .flatMap(([start, end]): [number, number][] => [
        [start, 1],
        [end, -1],
      ])
      .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let current = 0;
    let max = 0;
    for (const [, delta] of events) {
      current += delta;
      max = Math.max(max, current);
    }
    return max;
  }

  reset(): void {
    this.tokenRequests = 0;
    this.authorizationCodeGrants = 0;
    this.refreshGrants = 0;
    this.revocations = 0;
    this.#refreshIntervals = [];
  }
}
