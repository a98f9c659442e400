import type { Mailbox } from './dev-mailbox.ts';
import type { MailTransport, OutgoingCode } from './types.ts';

export type DeliverCode = (message: OutgoingCode) => Promise<void>;

/**
 * Sends a code through the transport, then records what was sent in the dev mailbox.
 * A failed delivery is not recorded (nothing was sent) and rejects with the transport's error,
 * normally a DeliveryError whose `userMessage` the code page shows.
 */
export function createCodeDelivery(transport: MailTransport, mailbox: Mailbox): DeliverCode {
  return async (message) => {
    const { subject } = await transport.send(message);
    mailbox.record(
      { to: message.to, usageType: message.usageType, subject, code: message.code, sentAt: new Date().toISOString() },
      transport.name,
    );
  };
}
