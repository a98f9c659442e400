/**
 * The real-Logto test lane's view of the running server: `npm run logto:oss -- up` builds and
 * starts the open-source Logto server and writes a state file (JSON) that this module reads.
 * Specs call `realLogto()` and skip themselves when it answers undefined, so the lane's files can
 * sit in the repository without making the ordinary `npm test` depend on a Logto build.
 *
 * State file: env LOGTO_OSS_STATE, default `<LOGTO_OSS_DIR>/run/logto-oss.json` with the runner's
 * work dir LOGTO_OSS_DIR (default `.logto-oss` under the repo root), as the runner writes it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { startFakeAliyunDm, type FakeAliyunDm, type FakeAliyunDmOptions } from '../../../dev-idp/fake-aliyun/server.ts';
import { readLogtoAnswer } from './logto-answer.ts';

const projectRoot = fileURLToPath(new URL('../../..', import.meta.url));

export interface RealLogto {
  /** Logto core, e.g. http://localhost:3301 (the OIDC issuer is `${endpoint}/oidc`). */
  readonly endpoint: string;
  readonly adminEndpoint: string;
  /** The Management API indicator of a self-hosted tenant: https://default.logto.app/api */
  readonly managementResource: string;
  /** A machine-to-machine app with the role "Logto Management API access". */
  readonly m2mAppId: string;
  readonly m2mAppSecret: string;
  /** Where Logto's Aliyun DM connector is routed; the tests start the fake DirectMail there. */
  readonly aliyunFakeUrl: string;
  /** Where Logto's mock email connector writes each message (if it is linked). */
  readonly mockEmailFile?: string;
}

/**
 * The AccessKey pair the lane's fake DirectMail accepts and `npm run logto:setup` configures in
 * Logto's Aliyun DM connector. Test-only values: the fake is the only party that knows them.
 */
export const aliyunTestKeys = { id: 'LTAI-real-logto-lane', secret: 'aliyun-secret-for-the-real-logto-lane' } as const;

export const skipMessage =
  'skipped: the real Logto server is not running. Set LOGTO_SOURCE (a Logto source tarball or directory) and run `npm run test:logto`.';

export function stateFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(projectRoot, env['LOGTO_OSS_STATE'] || join(env['LOGTO_OSS_DIR'] || '.logto-oss', 'run', 'logto-oss.json'));
}

/** The running server as the runner recorded it; undefined when `logto:oss up` has not run. */
export function realLogto(env: NodeJS.ProcessEnv = process.env): RealLogto | undefined {
  const file = stateFilePath(env);
  if (!existsSync(file)) return undefined;
  const state = JSON.parse(readFileSync(file, 'utf8')) as Partial<RealLogto>;
  for (const key of ['endpoint', 'adminEndpoint', 'managementResource', 'm2mAppId', 'm2mAppSecret', 'aliyunFakeUrl'] as const) {
    if (typeof state[key] !== 'string' || !state[key]) throw new Error(`${file} has no "${key}": run \`npm run logto:oss -- up\` again.`);
  }
  return state as RealLogto;
}

/**
 * `describe` that runs only when the real server is up; otherwise one skipped test carrying the
 * reason, so a plain `jest` run says why nothing ran instead of passing silently.
 */
export function describeWithRealLogto(name: string, body: (logto: RealLogto) => void): void {
  const logto = realLogto();
  if (!logto) {
    describe(name, () => {
      it.skip(skipMessage, () => undefined);
    });
    return;
  }
  describe(name, () => body(logto));
}

/** A Management API access token (client credentials of the runner's M2M app). */
export async function managementToken(logto: RealLogto): Promise<string> {
  const response = await fetch(`${logto.endpoint}/oidc/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${logto.m2mAppId}:${logto.m2mAppSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource: logto.managementResource, scope: 'all' }),
  });
  if (!response.ok) throw new Error(`Management API token: HTTP ${response.status} from ${logto.endpoint}/oidc/token`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** Calls the Management API (`path` starts with /api/); throws with the status and Logto's error code. */
export async function managementApi<T = unknown>(
  logto: RealLogto,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<T> {
  const response = await fetch(`${logto.endpoint}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token ?? (await managementToken(logto))}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  // Some answers are not JSON: a role assignment is 201 with Koa's plain-text "Created".
  return readLogtoAnswer<T>(response, `${method} ${path}`);
}

/** The sender address the repo's connector config uses (tenant/aliyun-dm.json). */
export function repoSender(): string {
  const config = JSON.parse(readFileSync(resolve(projectRoot, 'tenant/aliyun-dm.json'), 'utf8')) as { accountName: string };
  return config.accountName;
}

/**
 * Starts the fake DirectMail on the port Logto's connector is routed to, knowing the lane's key
 * pair and the repo's sender. One per process at a time (the port is fixed).
 */
export function startLaneFakeAliyun(logto: RealLogto, options: Partial<FakeAliyunDmOptions> = {}): Promise<FakeAliyunDm> {
  const url = new URL(logto.aliyunFakeUrl);
  return startFakeAliyunDm({
    port: Number(url.port),
    host: url.hostname,
    accessKeys: { [aliyunTestKeys.id]: aliyunTestKeys.secret },
    accounts: [repoSender()],
    ...options,
  });
}

/** The environment `npm run logto:setup` needs to configure this instance. */
export function setupEnv(logto: RealLogto): Record<string, string> {
  return {
    LOGTO_ENDPOINT: logto.endpoint,
    LOGTO_M2M_APP_ID: logto.m2mAppId,
    LOGTO_M2M_APP_SECRET: logto.m2mAppSecret,
    LOGTO_MANAGEMENT_RESOURCE: logto.managementResource,
    ALIYUN_DM_ACCESS_KEY_ID: aliyunTestKeys.id,
    ALIYUN_DM_ACCESS_KEY_SECRET: aliyunTestKeys.secret,
  };
}
