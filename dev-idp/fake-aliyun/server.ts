/**
 * A local stand-in for Aliyun DirectMail's `SingleSendMail` RPC endpoint, for tests and for
 * trying the Aliyun connector without an Aliyun account. It verifies what the connector sends
 * the way Aliyun does (signature, key, timestamp window, nonce replay, required parameters,
 * sender account) and answers with Aliyun's JSON shapes; it never accepts a request Aliyun
 * would refuse.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import {
  gatewayErrors,
  injectableFailures,
  missingParameter,
  singleSendMailErrors,
  type AliyunError,
  type FakeFailure,
} from './aliyun-errors.ts';
import { signatureMatches } from './rpc-signature.ts';

export type { FakeFailure } from './aliyun-errors.ts';

/** Header our connector routing adds so the fake can tell which regional host was meant. */
export const originalHostHeader = 'x-aliyun-dm-original-host';

export interface ReceivedRequest {
  readonly method: string;
  /** e.g. `dm.aliyuncs.com`; undefined when the client talked to the fake directly. */
  readonly originalHost: string | undefined;
  readonly parameters: Readonly<Record<string, string>>;
  readonly rawBody: string;
}

export interface AnsweredRequest extends ReceivedRequest {
  /** HTTP status sent back (0 while a `hang` failure holds the request) and Aliyun's Code. */
  readonly status: number;
  readonly code: string | undefined;
  readonly requestId: string;
}

export interface AcceptedMail {
  readonly to: string;
  readonly subject: string;
  readonly html: string;
  readonly accountName: string;
  readonly fromAlias: string | undefined;
  readonly regionId: string | undefined;
  readonly envId: string;
  readonly requestId: string;
  /** ISO 8601 */
  readonly receivedAt: string;
}

export interface FakeAliyunDmOptions {
  /** 0 (default) = a free port. */
  port?: number;
  host?: string;
  /** AccessKeyId → AccessKeySecret pairs the fake knows. */
  accessKeys: Readonly<Record<string, string>>;
  /** Sender addresses (AccountName) configured "in the console". */
  accounts: readonly string[];
  /** Decide a failure per request (after authentication, like Aliyun's flow control). */
  failWith?: (request: ReceivedRequest) => FakeFailure | null;
  log?: (line: string) => void;
}

export interface FakeAliyunDm {
  /** e.g. `http://127.0.0.1:40123/` — what ALIYUN_DM_ENDPOINT gets. */
  readonly url: string;
  readonly port: number;
  /** Every request, oldest first, with the answer it got. */
  readonly requests: readonly AnsweredRequest[];
  /** Messages accepted for delivery, oldest first. */
  readonly messages: readonly AcceptedMail[];
  /** Fail every following request with this kind until set back to null. */
  setFailure(kind: FakeFailure | null): void;
  stop(): Promise<void>;
}

/** Aliyun refuses requests whose Timestamp is more than 15 minutes away from its clock. */
const timestampWindowMs = 15 * 60 * 1000;
const maxBodyBytes = 1024 * 1024;
const commonParameters = [
  'AccessKeyId',
  'Action',
  'Version',
  'SignatureMethod',
  'SignatureVersion',
  'SignatureNonce',
  'Timestamp',
  'Signature',
] as const;
const sendMailParameters = ['AccountName', 'AddressType', 'ReplyToAddress', 'ToAddress', 'Subject'] as const;
const emailAddress = /^[^@\s,]+@[^@\s,]+\.[^@\s,]+$/;

type Verdict = { readonly kind: 'error'; readonly error: AliyunError } | { readonly kind: 'hang' } | { readonly kind: 'accept' };

export async function startFakeAliyunDm(options: FakeAliyunDmOptions): Promise<FakeAliyunDm> {
  const log = options.log ?? (() => undefined);
  const accounts = new Set(options.accounts.map((account) => account.toLowerCase()));
  const usedNonces = new Map<string, number>();
  const requests: AnsweredRequest[] = [];
  const messages: AcceptedMail[] = [];
  const sockets = new Set<Socket>();
  let failure: FakeFailure | null = null;
  let nextEnvId = 600_000_000_000 + randomInt(1_000_000_000);

  function remember(nonceKey: string, now: number): boolean {
    for (const [key, expiresAt] of usedNonces) if (expiresAt < now) usedNonces.delete(key);
    if (usedNonces.has(nonceKey)) return false;
    usedNonces.set(nonceKey, now + 2 * timestampWindowMs);
    return true;
  }

  function judge(request: ReceivedRequest, parameters: ReadonlyMap<string, string>): Verdict {
    const reject = (error: AliyunError): Verdict => ({ kind: 'error', error });
    for (const name of commonParameters) if (!parameters.get(name)) return reject(missingParameter(name));
    if (parameters.get('SignatureMethod') !== 'HMAC-SHA1' || parameters.get('SignatureVersion') !== '1.0') {
      return reject(gatewayErrors.signatureMethod);
    }
    const timestamp = parameters.get('Timestamp') ?? '';
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(timestamp) || Number.isNaN(Date.parse(timestamp))) {
      return reject(gatewayErrors.timestampFormat);
    }
    const now = Date.now();
    if (Math.abs(now - Date.parse(timestamp)) > timestampWindowMs) return reject(gatewayErrors.timestampExpired);
    const accessKeyId = parameters.get('AccessKeyId') ?? '';
    const secret = Object.hasOwn(options.accessKeys, accessKeyId) ? options.accessKeys[accessKeyId] : undefined;
    if (secret === undefined) return reject(gatewayErrors.accessKeyNotFound);
    if (!signatureMatches(request.method, parameters, secret)) return reject(gatewayErrors.signatureDoesNotMatch);
    if (!remember(`${accessKeyId}\n${parameters.get('SignatureNonce')}`, now)) {
      return reject(gatewayErrors.signatureNonceUsed);
    }
    if (parameters.get('Action') !== 'SingleSendMail') return reject(gatewayErrors.apiNotFound);
    if (parameters.get('Version') !== '2015-11-23') return reject(gatewayErrors.versionNotFound);

    const injected = failure ?? options.failWith?.(request) ?? null;
    if (injected === 'hang') return { kind: 'hang' };
    if (injected) return reject(injectableFailures[injected]);

    for (const name of sendMailParameters) if (!parameters.get(name)) return reject(missingParameter(name));
    if (!parameters.get('HtmlBody') && !parameters.get('TextBody')) return reject(missingParameter('HtmlBody'));
    if (!accounts.has((parameters.get('AccountName') ?? '').toLowerCase())) {
      return reject(singleSendMailErrors.unknownSender);
    }
    const recipients = (parameters.get('ToAddress') ?? '').split(',');
    if (recipients.length > 100 || !recipients.every((address) => emailAddress.test(address.trim()))) {
      return reject(singleSendMailErrors.invalidToAddress);
    }
    if ((parameters.get('Subject') ?? '').length > 100) return reject(singleSendMailErrors.invalidSubject);
    if ((parameters.get('FromAlias') ?? '').length > 15) return reject(singleSendMailErrors.invalidFromAlias);
    return { kind: 'accept' };
  }

  function answer(response: ServerResponse, status: number, body: object): void {
    const json = JSON.stringify(body);
    response.writeHead(status, {
      'content-type': 'application/json;charset=utf-8',
      'content-length': Buffer.byteLength(json),
    });
    response.end(json);
  }

  async function handle(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
    const requestId = randomUUID().toUpperCase();
    const url = new URL(incoming.url ?? '/', 'http://fake-aliyun-dm');
    const rawBody = await readBody(incoming);
    const parameters = new Map(url.searchParams);
    if ((incoming.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
      for (const [name, value] of new URLSearchParams(rawBody)) parameters.set(name, value);
    }
    const originalHeader = incoming.headers[originalHostHeader];
    const received: ReceivedRequest = {
      method: incoming.method ?? 'GET',
      originalHost: typeof originalHeader === 'string' ? originalHeader : undefined,
      parameters: Object.fromEntries(parameters),
      rawBody,
    };
    const hostId = received.originalHost ?? 'dm.aliyuncs.com';
    const verdict: Verdict =
      url.pathname !== '/' || !['GET', 'POST'].includes(received.method)
        ? { kind: 'error', error: gatewayErrors.apiNotFound }
        : judge(received, parameters);

    if (verdict.kind === 'hang') {
      requests.push({ ...received, status: 0, code: undefined, requestId });
      log(`fake-aliyun-dm: ${requestId} held without an answer (failure "hang")`);
      return;
    }
    if (verdict.kind === 'error') {
      const { status, code, message } = verdict.error;
      requests.push({ ...received, status, code, requestId });
      log(`fake-aliyun-dm: ${requestId} refused: ${status} ${code}`);
      answer(response, status, {
        RequestId: requestId,
        HostId: hostId,
        Code: code,
        Message: message,
        Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(code)}&product=Dm`,
      });
      return;
    }
    const envId = String(nextEnvId++);
    requests.push({ ...received, status: 200, code: undefined, requestId });
    messages.push({
      to: parameters.get('ToAddress') ?? '',
      subject: parameters.get('Subject') ?? '',
      html: parameters.get('HtmlBody') ?? parameters.get('TextBody') ?? '',
      accountName: parameters.get('AccountName') ?? '',
      fromAlias: parameters.get('FromAlias'),
      regionId: parameters.get('RegionId'),
      envId,
      requestId,
      receivedAt: new Date().toISOString(),
    });
    log(`fake-aliyun-dm: ${requestId} accepted mail to ${parameters.get('ToAddress')} (EnvId ${envId})`);
    answer(response, 200, { EnvId: envId, RequestId: requestId });
  }

  const server = createServer((incoming, response) => {
    handle(incoming, response).catch((error: unknown) => {
      log(`fake-aliyun-dm: could not handle a request: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) answer(response, 400, { Code: 'InvalidParameter', Message: 'Malformed request.' });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;

  return {
    url: `http://${host}:${port}/`,
    port,
    requests,
    messages,
    setFailure(kind) {
      failure = kind;
    },
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Held ("hang") requests and idle keep-alive sockets would otherwise keep close() waiting.
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

async function readBody(incoming: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) throw new Error('request body larger than 1 MB');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
