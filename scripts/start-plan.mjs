// What `npm start` runs (scripts/start.mjs), as data so it can be tested without starting
// anything: the local identity server + sample API (dev-idp/main.ts), or, with LOGTO_ENDPOINT
// naming a real Logto, the sample API alone trusting that Logto's tokens; and the app (ng serve)
// on identity.config.json's port.
import { namesLocalIdentityServer } from './dev-hosts.mjs';

/**
 * Variables the Angular dev server would obey over the command line: `PORT` moves it off
 * `--port` ("Environment variable PORT detected. Using port …"), and the app's redirect URIs,
 * CORS origins and sample API all expect identity.config.json's port. Another tool's PORT in the
 * shell must not move the app.
 */
export const strayAppVariables = ['PORT'];

/**
 * @param {NodeJS.ProcessEnv} env
 * @param {{ ports: { app: number, api: number }, logto: { appId: string } }} identity identity.config.json
 * @param {string} root the project root (with a trailing slash)
 */
export function startPlan(env, identity, root) {
  const endpoint = env.LOGTO_ENDPOINT?.trim();
  const useLocalIdp = !endpoint || namesLocalIdentityServer(identity, endpoint);
  const appEnv = { ...env };
  for (const name of strayAppVariables) delete appEnv[name];
  const ignored = strayAppVariables.filter((name) => env[name] !== undefined && env[name] !== '');
  return {
    useLocalIdp,
    notes: [
      ...(useLocalIdp
        ? []
        : [
            `Using Logto at ${endpoint} (app id ${env.LOGTO_APP_ID ?? identity.logto.appId}); no local identity server.`,
            `The sample API (http://localhost:${identity.ports.api}) accepts that Logto's access tokens.`,
          ]),
      ...ignored.map(
        (name) =>
          `Ignoring ${name}=${env[name]} from the environment: the app always runs on port ${identity.ports.app} (identity.config.json).`,
      ),
    ],
    children: [
      useLocalIdp
        ? { name: 'identity server', args: ['dev-idp/main.ts'], env }
        : { name: 'sample API', args: ['dev-idp/sample-api-main.ts'], env },
      {
        name: 'app',
        args: [
          `${root}node_modules/@angular/cli/bin/ng.js`,
          'serve',
          '--port',
          String(identity.ports.app),
          '--host',
          env.APP_HOST ?? 'localhost',
        ],
        env: appEnv,
      },
    ],
  };
}
