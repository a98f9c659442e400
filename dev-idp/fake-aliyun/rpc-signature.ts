/**
 * Aliyun's RPC-style request signature (SignatureMethod HMAC-SHA1, SignatureVersion 1.0),
 * written from Aliyun's specification rather than from the connector's code, so that the
 * fake endpoint checks the connector instead of agreeing with it by construction.
 *
 *   canonical    = sorted(percentEncode(name) "=" percentEncode(value)), joined by "&"
 *   stringToSign = METHOD "&" percentEncode("/") "&" percentEncode(canonical)
 *   Signature    = base64(HMAC-SHA1(key = AccessKeySecret + "&", stringToSign))
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const UNRESERVED = /[A-Za-z0-9\-_.~]/;

/** RFC 3986 percent-encoding of the UTF-8 bytes: only unreserved characters stay literal. */
export function percentEncode(value: string): string {
  let encoded = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const character = String.fromCharCode(byte);
    encoded += byte < 0x80 && UNRESERVED.test(character) ? character : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

/** Every parameter except `Signature`, sorted by encoded name (byte order, as Aliyun does). */
export function canonicalQuery(parameters: ReadonlyMap<string, string>): string {
  return [...parameters]
    .filter(([name]) => name !== 'Signature')
    .map(([name, value]) => [percentEncode(name), percentEncode(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

export function stringToSign(method: string, parameters: ReadonlyMap<string, string>): string {
  return `${method.toUpperCase()}&${percentEncode('/')}&${percentEncode(canonicalQuery(parameters))}`;
}

export function signRpcRequest(method: string, parameters: ReadonlyMap<string, string>, accessKeySecret: string): string {
  return createHmac('sha1', `${accessKeySecret}&`).update(stringToSign(method, parameters), 'utf8').digest('base64');
}

/** Constant-time comparison of the received signature with our own computation. */
export function signatureMatches(method: string, parameters: ReadonlyMap<string, string>, accessKeySecret: string): boolean {
  const received = Buffer.from(parameters.get('Signature') ?? '', 'utf8');
  const expected = Buffer.from(signRpcRequest(method, parameters, accessKeySecret), 'utf8');
  return received.length === expected.length && timingSafeEqual(received, expected);
}
