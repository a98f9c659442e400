import { runSetup } from '../../../scripts/logto-setup/run.ts';

/** What `npm run logto:setup` reads from its environment: the Logto tenant and the Aliyun DM key. */
export interface SetupTarget {
  readonly endpoint: string;
  readonly m2m: { readonly id: string; readonly secret: string };
  readonly managementResource: string;
  readonly aliyunKey: { readonly id: string; readonly secret: string };
}

/** `npm run logto:setup` in-process against `target`, with every line it printed (stdout, stderr). */
export async function runSetupAgainst(
  argv: readonly string[],
  target: SetupTarget,
  tenantFile?: string,
): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runSetup(argv, {
    env: {
      LOGTO_ENDPOINT: target.endpoint,
      LOGTO_M2M_APP_ID: target.m2m.id,
      LOGTO_M2M_APP_SECRET: target.m2m.secret,
      LOGTO_MANAGEMENT_RESOURCE: target.managementResource,
      ALIYUN_DM_ACCESS_KEY_ID: target.aliyunKey.id,
      ALIYUN_DM_ACCESS_KEY_SECRET: target.aliyunKey.secret,
    },
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    ...(tenantFile ? { tenantFile } : {}),
  });
  return { code, out, err };
}
