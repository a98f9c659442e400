/**
 * The tenant's email connector as the transport the server mails with: whatever connector the
 * Management API last configured (Logto's real @logto/connector-aliyun-dm), or the dev mailbox
 * while the tenant has none. A config change takes effect on the next code sent.
 */
import { createAliyunDmTransport } from '../mail/aliyun-transport.ts';
import type { AliyunDmConfig } from '../mail/aliyun-config.ts';
import type { MailTransport } from '../mail/types.ts';
import type { TenantState } from './tenant-state.ts';

export interface TenantMailOptions {
  /** Where the connector's DirectMail requests go instead of Aliyun (ALIYUN_DM_ENDPOINT). */
  readonly endpoint?: string | undefined;
  readonly log: (line: string) => void;
}

export function tenantMailTransport(tenant: TenantState, fallback: MailTransport, options: TenantMailOptions): MailTransport {
  let cached: { key: string; transport: Promise<MailTransport> } | undefined;

  function connectorTransport(): Promise<MailTransport> | undefined {
    const connector = tenant.emailConnector;
    // The only connector package the local server has; another factory's config means nothing to it.
    if (connector?.connectorId !== 'aliyun-direct-mail') return undefined;
    const key = JSON.stringify(connector.config);
    if (cached?.key !== key) {
      cached = { key, transport: transportFor(connector.config as unknown as AliyunDmConfig, options) };
    }
    return cached.transport;
  }

  return {
    // The dev mailbox names the transport of each message it records.
    get name() {
      return tenant.emailConnector ? tenant.emailConnector.connectorId : fallback.name;
    },
    async send(message) {
      const transport = connectorTransport();
      return transport ? (await transport).send(message) : fallback.send(message);
    },
  };
}

/** One connector instance for a config: the Console's "Send" test and the sign-in pages share it. */
export function transportFor(config: AliyunDmConfig, options: TenantMailOptions): Promise<MailTransport> {
  return createAliyunDmTransport(config, { log: options.log, ...(options.endpoint ? { endpoint: options.endpoint } : {}) });
}
