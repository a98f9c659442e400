/** What the real-Logto lane's global setup hands to the workers (through one environment variable). */
export const LANE_STACK_ENV = 'E2E_LOGTO_STACK';

export interface LaneStack {
  /** http://localhost:<port>, the production web build */
  readonly appUrl: string;
  /** Logto core, e.g. http://localhost:3301 */
  readonly logtoEndpoint: string;
  /** The app id `npm run logto:setup` registered */
  readonly appId: string;
  /** http://localhost:<port>/, the sample API trusting this Logto */
  readonly apiUrl: string;
}

/** Undefined when the real Logto server is not running (the specs skip themselves). */
export function readLaneStack(): LaneStack | undefined {
  const raw = process.env[LANE_STACK_ENV];
  return raw ? (JSON.parse(raw) as LaneStack) : undefined;
}
