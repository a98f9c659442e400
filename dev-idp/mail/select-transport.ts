import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { aliyunDmEnvironment, readAliyunDmConfig } from './aliyun-config.ts';
import { createAliyunDmTransport } from './aliyun-transport.ts';
import type { MailTransport } from './types.ts';

/** Picked up without any environment variable when present (git-ignored: it may hold keys). */
export const defaultAliyunDmConfigPath = fileURLToPath(new URL('../aliyun-dm.json', import.meta.url));

/**
 * Chooses the extra mail transport for `npm start`: Logto's Aliyun Direct Mail connector when a
 * connector config exists (`ALIYUN_DM_CONFIG`, else dev-idp/aliyun-dm.json), otherwise none
 * (null: the dev mailbox delivers). A bad config throws an Error whose message names every
 * wrong field and template, so start-up stops with it.
 */
export async function selectMailTransport(
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
  { defaultConfigPath = defaultAliyunDmConfigPath }: { defaultConfigPath?: string } = {},
): Promise<MailTransport | null> {
  const configured = env[aliyunDmEnvironment.configPath]?.trim();
  const path = configured || (existsSync(defaultConfigPath) ? defaultConfigPath : undefined);
  const endpoint = env[aliyunDmEnvironment.endpoint]?.trim() || undefined;
  if (!path) {
    if (endpoint) {
      log(
        `aliyun-dm: ${aliyunDmEnvironment.endpoint} is set but there is no connector config (set ${aliyunDmEnvironment.configPath}); the local tenant's email connector delivers, or the dev mailbox without one`,
      );
    }
    return null;
  }
  const config = await readAliyunDmConfig(path, env, log);
  return createAliyunDmTransport(config, { log, endpoint });
}
