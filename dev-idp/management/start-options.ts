/**
 * What `npm start` (dev-idp/main.ts) passes to the local tenant from the environment: the Aliyun
 * key pair its aliyun-direct-mail connector is seeded with on a first start (none → no connector,
 * the dev mailbox delivers, as before), and where that connector's requests go.
 */
import { aliyunDmEnvironment } from '../mail/aliyun-config.ts';
import type { IdpOptions } from '../factory.ts';

export function tenantStartOptions(env: NodeJS.ProcessEnv): Pick<IdpOptions, 'connectorSecrets' | 'connectorEndpoint'> {
  const accessKeyId = env[aliyunDmEnvironment.accessKeyId]?.trim();
  const accessKeySecret = env[aliyunDmEnvironment.accessKeySecret]?.trim();
  const endpoint = env[aliyunDmEnvironment.endpoint]?.trim();
  return {
    ...(accessKeyId && accessKeySecret ? { connectorSecrets: { accessKeyId, accessKeySecret } } : {}),
    ...(endpoint ? { connectorEndpoint: endpoint } : {}),
  };
}

/** The start-up banner's line about the Management API (no secret: it says where the secret is). */
export function managementBannerLine(
  idp: { endpoint: string; management: { resource: string; m2mApp?: { id: string } | undefined } },
  dataDir: string | undefined,
): string {
  const m2m = idp.management.m2mApp;
  return (
    `  Management API: ${idp.endpoint}/api (resource ${idp.management.resource})` +
    (m2m
      ? `; M2M app ${m2m.id}, secret in ${dataDir ? `${dataDir}/tenant.json` : 'memory only (no data directory)'}; npm run logto:setup -- --local uses them`
      : '')
  );
}
