/**
 * Preload for Logto core (`node --import <this file> .`): routes the Aliyun DirectMail
 * connector's HTTP requests to the project's fake DirectMail instead of the hard-coded
 * https://dm.aliyuncs.com/.
 *
 * Same technique as dev-idp/mail/aliyun-routing.ts: a module resolution hook hands the connector
 * package — and only it — a `got` extended with a `beforeRequest` hook that rewrites requests for
 * dm*.aliyuncs.com to LOGTO_OSS_ALIYUN_URL. The connector's files are not modified and nothing
 * global (https, DNS) is patched; every other `got` user in Logto gets the real module.
 *
 * Logto loads connectors through symlinks (packages/core/connectors/@logto-connector-aliyun-dm →
 * packages/connectors/connector-aliyun-dm); Node resolves the real path, so the importing file is
 * .../connector-aliyun-dm/lib/index.js and `got` resolves in that package's node_modules.
 */
import { registerHooks } from 'node:module';

const target = process.env.LOGTO_OSS_ALIYUN_URL;
const connectorFile = /\/connector-aliyun-dm\/lib\//;
const substitutePrefix = 'logto-oss-routed-got:';

if (target) {
  registerHooks({
    resolve(specifier, context, nextResolve) {
      if (specifier === 'got' && context.parentURL && connectorFile.test(context.parentURL)) {
        const real = nextResolve(specifier, context);
        return { url: `${substitutePrefix}${real.url}`, format: 'module', shortCircuit: true };
      }
      return nextResolve(specifier, context);
    },
    load(url, context, nextLoad) {
      if (!url.startsWith(substitutePrefix)) return nextLoad(url, context);
      const realUrl = JSON.stringify(url.slice(substitutePrefix.length));
      const source = `
        import { got as realGot } from ${realUrl};
        const target = ${JSON.stringify(target)};
        const aliyunHost = /^dm(\\.[a-z0-9-]+)?\\.aliyuncs\\.com$/;
        const routed = realGot.extend({
          hooks: {
            beforeRequest: [
              (options) => {
                const url = options.url;
                if (!(url instanceof URL) || !aliyunHost.test(url.hostname)) return;
                // Lets the fake check which regional host the connector chose.
                options.headers['x-aliyun-dm-original-host'] = url.host;
                options.url = new URL(url.pathname.replace(/^\\//, '') + url.search, target);
                // got has no default timeout: a silent endpoint would hold the sign-in page forever.
                options.timeout = { request: 15000 };
              },
            ],
          },
        });
        export * from ${realUrl};
        export { routed as got };
        export default routed;
      `;
      return { format: 'module', source, shortCircuit: true };
    },
  });
  process.stderr.write(`logto-oss: Aliyun DirectMail requests are routed to ${target}\n`);
}
