/**
 * Turns whatever the Aliyun connector throws into a DeliveryError: a sentence the person on the
 * code page can act on, and a detail line (Aliyun Code, RequestId, what to check) for the log.
 * Never a stack trace, never the code or the message body.
 */
import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';

import { DeliveryError } from './types.ts';

export const deliveryMessages = {
  tryAgain: 'We could not send the email. Please try again in a minute.',
  unreachable: 'We could not reach the email service. Please try again in a minute.',
  timeout: 'The email service did not answer in time. Please try again in a minute.',
  unavailable: 'The email service is temporarily unavailable. Please try again in a minute.',
  quota: 'We cannot send more emails right now because the sending limit has been reached. Please try again later.',
  misconfigured: "Email delivery is misconfigured, so we could not send your code. Please let the site's administrator know.",
  badRecipient: 'We could not send an email to this address. Please check it and try again.',
} as const;

export interface DeliveryContext {
  /** The URL the request went to (the fake endpoint or Aliyun's regional one). */
  readonly endpoint: string;
  readonly accountName: string;
  readonly regionId: string;
}

/** What Aliyun's error codes mean for the person waiting for a code, and what to fix. */
function classifyAliyunCode(code: string, context: DeliveryContext): { userMessage: string; hint?: string } {
  const misconfigured = (hint: string) => ({ userMessage: deliveryMessages.misconfigured, hint });
  if (code.startsWith('Throttling')) return { userMessage: deliveryMessages.tryAgain, hint: 'Aliyun flow control; retry later' };
  if (code === 'InvalidSendMail.Spam' || /quota/i.test(code)) {
    return {
      userMessage: deliveryMessages.quota,
      hint: 'DirectMail refused the send: daily quota or frequency limit reached, or the account is restricted',
    };
  }
  if (code.startsWith('InvalidMailAddress')) {
    return misconfigured(
      `accountName "${context.accountName}" is not a usable sender address in region ${context.regionId}; check accountName and regionId against the DirectMail console (Sender Addresses)`,
    );
  }
  if (code.startsWith('InvalidAccessKeyId')) return misconfigured('check accessKeyId (ALIYUN_DM_ACCESS_KEY_ID)');
  if (code === 'SignatureDoesNotMatch' || code === 'Signature' || code === 'IncompleteSignature') {
    return misconfigured('the signature was refused: check accessKeySecret (ALIYUN_DM_ACCESS_KEY_SECRET)');
  }
  if (code.startsWith('Forbidden')) return misconfigured('the access key may not send mail: grant the RAM user AliyunDirectMailFullAccess');
  if (code.startsWith('InvalidTimeStamp')) return misconfigured("this machine's clock is more than 15 minutes off");
  if (code.startsWith('InvalidFromAlias')) return misconfigured('fromAlias is refused (at most 15 characters)');
  if (code.startsWith('InvalidSubject') || code === 'InvalidBody')
    return misconfigured('a template subject or content is refused (subject at most 100 characters)');
  if (code.startsWith('InvalidToAddress') || code.startsWith('InvalidReceiver')) {
    return { userMessage: deliveryMessages.badRecipient };
  }
  if (code === 'ServiceUnavailable' || code === 'InternalError') return { userMessage: deliveryMessages.unavailable };
  if (code === 'SignatureNonceUsed') return { userMessage: deliveryMessages.tryAgain, hint: 'a request was replayed' };
  if (code.startsWith('Missing') || code.startsWith('InvalidApi') || code === 'InvalidVersion' || code === 'InvalidParameter') {
    return misconfigured('the request was refused as malformed; is the endpoint really Aliyun DirectMail?');
  }
  return { userMessage: deliveryMessages.tryAgain };
}

const unreachableCodes = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ECONNABORTED',
]);

export function toDeliveryError(error: unknown, context: DeliveryContext): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const where = `Aliyun DirectMail at ${context.endpoint}`;

  if (error instanceof ConnectorError) {
    const data: Record<string, unknown> =
      typeof error.data === 'object' && error.data !== null ? (error.data as Record<string, unknown>) : {};
    if (error.code === ConnectorErrorCodes.General && typeof data.Code === 'string') {
      const { userMessage, hint } = classifyAliyunCode(data.Code, context);
      const facts = [`RequestId ${String(data.RequestId ?? 'none')}`, data.HostId ? `HostId ${String(data.HostId)}` : undefined]
        .filter(Boolean)
        .join(', ');
      const description = typeof data.errorDescription === 'string' ? ` "${data.errorDescription}"` : '';
      return new DeliveryError(
        userMessage,
        `${where} refused SingleSendMail: ${data.Code}${description} (${facts})${hint ? ` — ${hint}` : ''}`,
      );
    }
    if (error.code === ConnectorErrorCodes.InvalidConfig || error.code === ConnectorErrorCodes.TemplateNotFound) {
      return new DeliveryError(deliveryMessages.misconfigured, `the connector refused its config (${error.code})`);
    }
    return new DeliveryError(deliveryMessages.tryAgain, `${where} gave an answer the connector could not read (${error.code})`);
  }

  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : undefined;
  const name = error instanceof Error ? error.name : typeof error;
  if (name === 'TimeoutError' || code === 'ETIMEDOUT') {
    return new DeliveryError(deliveryMessages.timeout, `${where} did not answer in time (${code ?? name})`);
  }
  if (code && unreachableCodes.has(code)) {
    return new DeliveryError(deliveryMessages.unreachable, `could not reach ${where} (${code})`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new DeliveryError(deliveryMessages.tryAgain, `sending through ${where} failed: ${name}${code ? ` ${code}` : ''}: ${message}`);
}
