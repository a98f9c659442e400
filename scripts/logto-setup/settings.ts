/** The environment `npm run logto:setup` reads, checked up front so a missing variable is named. */
import { SetupError } from './errors.ts';

export interface SetupSettings {
  /** e.g. https://abc123.logto.app (no trailing slash, no /api) */
  readonly endpoint: string;
  readonly m2mAppId: string;
  readonly m2mAppSecret: string;
  /** The Management API indicator: https://<tenant-id>.logto.app/api (Cloud), https://default.logto.app/api (self-hosted). */
  readonly managementResource: string;
}

const variables = {
  LOGTO_ENDPOINT: "the tenant's endpoint, e.g. https://<tenant-id>.logto.app (Console → Applications → your M2M app)",
  LOGTO_M2M_APP_ID: 'the App ID of a machine-to-machine app that has the Management API role',
  LOGTO_M2M_APP_SECRET: 'that M2M app’s App secret',
  LOGTO_MANAGEMENT_RESOURCE:
    'the Management API indicator: https://<tenant-id>.logto.app/api on Logto Cloud, https://default.logto.app/api self-hosted',
  ALIYUN_DM_ACCESS_KEY_ID: 'the AccessKey ID of a RAM user allowed to send with DirectMail',
  ALIYUN_DM_ACCESS_KEY_SECRET: 'its AccessKey secret',
} as const;

export function readSettings(env: NodeJS.ProcessEnv): SetupSettings {
  const missing = Object.keys(variables).filter((name) => !env[name]?.trim()) as (keyof typeof variables)[];
  if (missing.length > 0) {
    throw new SetupError(
      [
        `Missing environment variable${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`,
        ...missing.map((name) => `  ${name}: ${variables[name]}`),
      ].join('\n'),
    );
  }
  const endpoint = urlSetting(env, 'LOGTO_ENDPOINT').replace(/\/+$/, '');
  if (/\/(api|oidc)$/.test(endpoint)) {
    throw new SetupError(
      `LOGTO_ENDPOINT ${endpoint} ends in ${/\/(api|oidc)$/.exec(endpoint)![0]}: give the tenant's endpoint without it.`,
    );
  }
  return {
    endpoint,
    m2mAppId: env['LOGTO_M2M_APP_ID']!.trim(),
    m2mAppSecret: env['LOGTO_M2M_APP_SECRET']!.trim(),
    managementResource: urlSetting(env, 'LOGTO_MANAGEMENT_RESOURCE'),
  };
}

function urlSetting(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name]!.trim();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SetupError(`${name} "${value}" is not a URL (${variables[name as keyof typeof variables]}).`);
  }
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    throw new SetupError(`${name} "${value}" must use https (plain http only for localhost).`);
  }
  return value;
}
