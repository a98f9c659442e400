/**
 * MailTransport over Logto's real `@logto/connector-aliyun-dm`: the identity server hands it
 * `{ to, usageType, code }`, the connector renders the template and signs the DirectMail
 * request exactly as it does inside Logto, optionally routed to a local endpoint.
 */
import { getConfigTemplateByType, replaceSendMessageHandlebars } from '@logto/connector-kit';

import type { AliyunDmConfig } from './aliyun-config.ts';
import { loadAliyunDmConnector } from './aliyun-connector.ts';
import { deliveryMessages, toDeliveryError, type DeliveryContext } from './aliyun-delivery-errors.ts';
import { withDeliveryRoute, type DeliveryRoute } from './aliyun-routing.ts';
import { DeliveryError, type MailTransport, type OutgoingCode } from './types.ts';

export interface AliyunDmTransportOptions {
  log: (line: string) => void;
  /** Send to this DirectMail-compatible endpoint instead of Aliyun (ALIYUN_DM_ENDPOINT). */
  endpoint?: string | URL;
  /** Give up on a silent endpoint after this long; default 10 s. */
  timeoutMs?: number;
}

/** The connector's own region → endpoint map (it offers no way to override it). */
const regionEndpoints: Readonly<Record<string, string>> = {
  'cn-hangzhou': 'https://dm.aliyuncs.com/',
  'ap-southeast-1': 'https://dm.ap-southeast-1.aliyuncs.com/',
  'ap-southeast-2': 'https://dm.ap-southeast-2.aliyuncs.com/',
  'eu-central-1': 'https://dm.eu-central-1.aliyuncs.com/',
  'us-east-1': 'https://dm.us-east-1.aliyuncs.com/',
};

export async function createAliyunDmTransport(config: AliyunDmConfig, options: AliyunDmTransportOptions): Promise<MailTransport> {
  const endpoint = options.endpoint === undefined ? undefined : parseEndpoint(options.endpoint);
  const route: DeliveryRoute = { endpoint, timeoutMs: options.timeoutMs ?? 10_000 };
  const { connector, routing } = await loadAliyunDmConnector(async () => config);
  if (!routing && endpoint) {
    throw new Error(
      `ALIYUN_DM_ENDPOINT is ${endpoint.href}, but @logto/connector-aliyun-dm was imported before ` +
        'dev-idp/mail/aliyun-routing.ts could hand it a routable got, so it would talk to real Aliyun. ' +
        'Load the connector only through dev-idp/mail/aliyun-connector.ts.',
    );
  }
  const regionId = config.regionId ?? 'cn-hangzhou';
  const context: DeliveryContext = {
    endpoint: endpoint?.href ?? regionEndpoints[regionId] ?? regionId,
    accountName: config.accountName,
    regionId,
  };
  options.log(
    `aliyun-dm: email codes go through @logto/connector-aliyun-dm as ${config.accountName} to ${context.endpoint}` +
      (endpoint ? ` (routed by ${routing})` : '') +
      (routing ? '' : ' (no request timeout: the connector was loaded unrouted)'),
  );

  return {
    name: 'aliyun-dm',
    async send({ to, usageType, code }: OutgoingCode) {
      // Same lookup as the connector (Generic when no template has this usage type), so the
      // subject we report is the one it sends.
      const template = getConfigTemplateByType(usageType, { templates: [...config.templates] });
      if (!template) {
        throw new DeliveryError(deliveryMessages.misconfigured, `no ${usageType} and no Generic template in the config`);
      }
      try {
        const sent = await withDeliveryRoute(route, () => connector.sendMessage({ to, type: usageType, payload: { code } }));
        options.log(`aliyun-dm: sent a ${usageType} code to ${to} (EnvId ${sent.EnvId}, RequestId ${sent.RequestId})`);
        return { subject: replaceSendMessageHandlebars(template.subject, { code }) };
      } catch (error) {
        // The identity server logs `detail` and shows `userMessage` (types.ts contract).
        throw toDeliveryError(error, context);
      }
    },
  };
}

function parseEndpoint(value: string | URL): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`ALIYUN_DM_ENDPOINT "${String(value)}" is not a URL (e.g. http://127.0.0.1:3003/)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`ALIYUN_DM_ENDPOINT "${url.href}" must be an http(s) URL`);
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}
