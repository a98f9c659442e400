/**
 * `npm start`'s identity-server half: the local Logto-compatible identity server on 3001 and the
 * sample protected API on 3002 (ports from identity.config.json), until Ctrl-C.
 *
 * Environment:
 * - DEV_IDP_HOST       address to bind (default 127.0.0.1; 0.0.0.0 for devices on the LAN)
 * - DEV_IDP_DATA_DIR   where users, keys and sessions persist (default .dev-idp-data in the
 *                      project; empty = in memory only)
 * - LOGTO_ENDPOINT     a real Logto tenant: no local identity server; the sample API trusts
 *                      that tenant's tokens instead
 * - LOGTO_APP_ID       the app id the local server registers (default from identity.config.json)
 * - ALIYUN_DM_CONFIG   see mail/select-transport.ts (codes by Aliyun Direct Mail); overrides the
 *                      local tenant's email connector
 * - ALIYUN_DM_ACCESS_KEY_ID / _SECRET  on a first start, seed the local tenant's
 *                      aliyun-direct-mail connector (tenant/aliyun-dm.json) with this key pair
 * - ALIYUN_DM_ENDPOINT where the tenant connector's DirectMail requests go (the fake, say)
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startIdentityServer, type RunningIdp } from './factory.ts';
import { DevHostAllowList } from './http/dev-hosts.ts';
import { loadIdentityConfig } from './identity-config.ts';
import { managementBannerLine, tenantStartOptions } from './management/start-options.ts';
import { selectMailTransport } from './mail/select-transport.ts';
import { startSampleApi, type RunningSampleApi } from './sample-api.ts';
import { safeLog } from './http/log-line.ts';

const config = loadIdentityConfig();
const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const log = safeLog((line: string) => console.log(line));
const host = process.env['DEV_IDP_HOST'] || '127.0.0.1';
const dataDirSetting = process.env['DEV_IDP_DATA_DIR'] ?? '.dev-idp-data';
const dataDir = dataDirSetting === '' ? undefined : resolve(projectRoot, dataDirSetting);
const externalEndpoint = process.env['LOGTO_ENDPOINT']?.replace(/\/+$/, '');

/**
 * LOGTO_ENDPOINT=http://<a dev host>:<idp port> is this server seen from a device (the
 * physical-device recipe of docs/native.md: the LAN address in devHosts), not a Logto tenant.
 */
function namesThisServer(endpoint: string): boolean {
  try {
    const url = new URL(endpoint);
    return url.protocol === 'http:' && new DevHostAllowList(config.devHosts).allows(url.host) && url.port === String(config.ports.idp);
  } catch {
    return false;
  }
}

let idp: RunningIdp | undefined;
let api: RunningSampleApi | undefined;

async function start(): Promise<void> {
  if (externalEndpoint && externalEndpoint !== config.logto.endpoint && !namesThisServer(externalEndpoint)) {
    const issuer = `${externalEndpoint}/oidc`;
    api = await startSampleApi({ port: config.ports.api, host, issuer, log });
    console.log(
      [
        '',
        `LOGTO_ENDPOINT is set: no local identity server. The app signs in with ${externalEndpoint}.`,
        `  Sample API: ${api.url}/bookshelf, trusting tokens from ${issuer}`,
        `  (the tenant needs the API resource ${config.apis[0]?.resource ?? 'https://api.bookstore.local'} with the read:books permission)`,
        '',
      ].join('\n'),
    );
    return;
  }

  const mail = await selectMailTransport(process.env, log);
  idp = await startIdentityServer({
    port: config.ports.idp,
    host,
    mail,
    log,
    ...(dataDir ? { dataDir } : {}),
    ...(process.env['LOGTO_APP_ID'] ? { appId: process.env['LOGTO_APP_ID'] } : {}),
    ...tenantStartOptions(process.env),
  });
  api = await startSampleApi({ port: config.ports.api, host, issuer: idp.issuer, log });
  console.log(
    [
      '',
      'Local identity server (Logto-compatible) is running:',
      `  Endpoint:      ${idp.endpoint}   (the app's Logto endpoint)`,
      `  Issuer:        ${idp.issuer}`,
      `  App id:        ${idp.appId}`,
      `  Sign-in codes: ${mail ? `sent by ${mail.name}, and ` : ''}printed below as they are sent, and listed at ${idp.endpoint}/dev/mailbox`,
      `  Sample API:    ${api.url}/bookshelf`,
      managementBannerLine(idp, dataDir),
      `  Data:          ${dataDir ? `${dataDir} (delete it to start afresh)` : 'in memory (DEV_IDP_DATA_DIR is empty)'}`,
      `  Bound to:      ${host} (DEV_IDP_HOST to change). Android emulator: adb reverse tcp:${config.ports.idp} tcp:${config.ports.idp} and tcp:${config.ports.api} tcp:${config.ports.api}`,
      'Ctrl-C stops both.',
      '',
    ].join('\n'),
  );
}

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) {
    process.exit(1); // a second Ctrl-C: do not wait
  }
  stopping = true;
  console.log(`\n${signal}: stopping the identity server and the sample API…`);
  await Promise.allSettled([api?.stop(), idp?.stop()]);
  process.exit(0);
}

process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));

try {
  await start();
} catch (error) {
  const { code, port } = error as NodeJS.ErrnoException & { port?: number };
  if (code === 'EADDRINUSE') {
    console.error(`Port ${port ?? ''} is already in use: is another \`npm start\` running? Stop it, or free the port.`);
  } else {
    console.error(`The identity server could not start: ${(error as Error).message}`);
  }
  await Promise.allSettled([api?.stop(), idp?.stop()]);
  process.exit(1);
}
