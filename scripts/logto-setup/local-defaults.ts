/**
 * `--local`: the local identity server of `npm start` as the tenant. Fills in what a person would
 * otherwise copy from its banner: LOGTO_ENDPOINT (identity.config.json), the self-hosted
 * Management API indicator, and the M2M app the server keeps in its data directory
 * (DEV_IDP_DATA_DIR, default .dev-idp-data). Variables already set win.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { loadIdentityConfig } from '../../dev-idp/identity-config.ts';
import { SetupError } from './errors.ts';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
export const selfHostedManagementResource = 'https://default.logto.app/api';

interface SavedTenant {
  applications?: { id: string; type: string; secret?: string; managementApiAccess?: boolean }[];
}

export function withLocalDefaults(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const dataDir = resolve(projectRoot, env['DEV_IDP_DATA_DIR'] || '.dev-idp-data');
  const file = resolve(dataDir, 'tenant.json');
  let saved: SavedTenant;
  try {
    saved = JSON.parse(readFileSync(file, 'utf8')) as SavedTenant;
  } catch {
    throw new SetupError(`--local: no local tenant at ${file}. Start the local identity server first (npm start, with a data directory).`);
  }
  const m2m = saved.applications?.find((app) => app.type === 'MachineToMachine' && app.managementApiAccess && app.secret);
  if (!m2m) throw new SetupError(`--local: ${file} has no M2M app with the Management API role. Delete ${dataDir} and start again.`);
  const pick = (name: string, value: string) => (env[name]?.trim() ? env[name] : value);
  return {
    ...env,
    LOGTO_ENDPOINT: pick('LOGTO_ENDPOINT', loadIdentityConfig().logto.endpoint),
    LOGTO_MANAGEMENT_RESOURCE: pick('LOGTO_MANAGEMENT_RESOURCE', selfHostedManagementResource),
    LOGTO_M2M_APP_ID: pick('LOGTO_M2M_APP_ID', m2m.id),
    LOGTO_M2M_APP_SECRET: pick('LOGTO_M2M_APP_SECRET', m2m.secret!),
  };
}
