/**
 * The sample protected API on its own, trusting the access tokens of a Logto server: what
 * `npm start` runs beside the app when LOGTO_ENDPOINT names a real Logto (no local identity
 * server then), and what a test lane against a real Logto runs.
 *
 * Environment:
 * - LOGTO_ENDPOINT       the Logto endpoint; tokens must come from `${LOGTO_ENDPOINT}/oidc`
 * - SAMPLE_API_ISSUER    another issuer instead (default `${LOGTO_ENDPOINT}/oidc`)
 * - SAMPLE_API_JWKS_URI  where its signing keys are (default `${issuer}/jwks`, Logto's)
 * - SAMPLE_API_PORT      default identity.config.json ports.api (the app calls that port)
 * - SAMPLE_API_RESOURCE  the audience tokens must carry (default: the resource of
 *                        identity.config.json apis[0], the Bookstore API)
 * - DEV_IDP_HOST         address to bind (default 127.0.0.1)
 */
import { pathToFileURL } from 'node:url';

import { loadIdentityConfig } from './identity-config.ts';
import { startSampleApi, type RunningSampleApi } from './sample-api.ts';

export interface SampleApiSettings {
  readonly issuer: string;
  readonly jwksUri: string;
  readonly port: number;
  readonly resource: string;
  readonly host: string;
}

export class SampleApiSettingsError extends Error {
  override readonly name = 'SampleApiSettingsError';
}

/** Reads the settings above; throws a SampleApiSettingsError that says what is missing or wrong. */
export function sampleApiSettings(env: NodeJS.ProcessEnv): SampleApiSettings {
  const config = loadIdentityConfig();
  const endpoint = env['LOGTO_ENDPOINT']?.trim().replace(/\/+$/, '');
  const issuer = env['SAMPLE_API_ISSUER']?.trim() || (endpoint ? `${endpoint}/oidc` : '');
  if (!issuer) {
    throw new SampleApiSettingsError('Set LOGTO_ENDPOINT (the Logto server whose tokens the sample API accepts) or SAMPLE_API_ISSUER.');
  }
  for (const [name, value] of [
    ['issuer', issuer],
    ['SAMPLE_API_JWKS_URI', env['SAMPLE_API_JWKS_URI']?.trim()],
  ] as const) {
    if (value === undefined || value === '') continue;
    try {
      new URL(value);
    } catch {
      throw new SampleApiSettingsError(`The sample API's ${name} "${value}" is not a URL.`);
    }
  }
  const portText = env['SAMPLE_API_PORT']?.trim();
  const port = portText ? Number(portText) : config.ports.api;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new SampleApiSettingsError(`SAMPLE_API_PORT "${portText}" is not a port number.`);
  }
  return {
    issuer,
    jwksUri: env['SAMPLE_API_JWKS_URI']?.trim() || `${issuer}/jwks`,
    port,
    resource: env['SAMPLE_API_RESOURCE']?.trim() || config.apis[0]?.resource || 'https://api.bookstore.local',
    host: env['DEV_IDP_HOST'] || '127.0.0.1',
  };
}

async function main(): Promise<void> {
  let settings: SampleApiSettings;
  try {
    settings = sampleApiSettings(process.env);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  const log = (line: string) => console.log(line);
  let api: RunningSampleApi;
  try {
    api = await startSampleApi({ ...settings, log });
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    console.error(
      code === 'EADDRINUSE'
        ? `Port ${settings.port} is already in use: is another \`npm start\` running? Stop it, or free the port.`
        : `The sample API could not start: ${(error as Error).message}`,
    );
    process.exit(1);
  }
  console.log(
    [
      '',
      `Sample API: ${api.url}/bookshelf`,
      `  accepts access tokens issued by ${settings.issuer} (keys: ${settings.jwksUri})`,
      `  for the API resource ${settings.resource} with the read:books permission.`,
      `  Logto puts read:books into a person's token only through a role that grants it:`,
      `  \`npm run logto:setup\` creates one (docs/tenant-setup.md "Roles").`,
      '',
    ].join('\n'),
  );
  const stop = () => void api.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
