/**
 * Loads Logto's published `@logto/connector-aliyun-dm`, exactly as Logto core does:
 * `createConnector({ getConfig })` → `{ metadata, type, configGuard, sendMessage }`.
 * The package ships no type declarations; the slice we use is typed here.
 */
import { connectorRouting, installConnectorRouting, type RoutingMechanism } from './aliyun-routing.ts';

/** The part of a zod (v3) issue we turn into sentences. */
export interface GuardIssue {
  readonly code: string;
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly expected?: unknown;
  readonly received?: unknown;
  readonly options?: readonly unknown[];
}

export type GuardResult =
  | { readonly success: true; readonly data: unknown }
  | { readonly success: false; readonly error: { readonly issues: readonly GuardIssue[] } };

export interface AliyunDmConnector {
  readonly metadata: { readonly id: string; readonly target: string };
  readonly type: string;
  /** The connector's own zod schema for its config (what the Logto Console validates with). */
  readonly configGuard: { safeParse(value: unknown): GuardResult };
  sendMessage(
    data: { to: string; type: string; payload: { code: string } },
    config?: unknown,
  ): Promise<{ EnvId: string; RequestId: string }>;
}

type CreateConnector = (options: { getConfig: (id: string) => Promise<unknown> }) => Promise<AliyunDmConnector>;

const connectorPackage = '@logto/connector-aliyun-dm';

export interface LoadedConnector {
  readonly connector: AliyunDmConnector;
  /** How its HTTP requests can be routed to a local endpoint; undefined = they cannot. */
  readonly routing: RoutingMechanism | undefined;
}

export async function loadAliyunDmConnector(getConfig: () => Promise<unknown>): Promise<LoadedConnector> {
  installConnectorRouting();
  const module = (await import(connectorPackage)) as { default: CreateConnector };
  const connector = await module.default({ getConfig: async () => getConfig() });
  return { connector, routing: connectorRouting() };
}
