/**
 * Failures a person can act on: one message, no stack trace, never a secret. Whatever the
 * command cannot explain becomes a SetupError too (see toSetupError), so nothing escapes raw.
 */
export class SetupError extends Error {
  override readonly name = 'SetupError';
}

/** Node's fetch wraps the socket error in `cause`; this names it the way a person reads it. */
export function networkReason(error: unknown): string | undefined {
  // By name, not instanceof: fetch's TypeError may come from another realm (Jest's VM context).
  if (typeof error !== 'object' || error === null || (error as { name?: unknown }).name !== 'TypeError') return undefined;
  type Cause = { code?: string; message?: string; errors?: Cause[] };
  const outer = (error as { cause?: Cause }).cause;
  // "localhost" tries ::1 and 127.0.0.1: Node reports an AggregateError of both.
  const cause = outer?.code ? outer : (outer?.errors?.[0] ?? outer);
  switch (cause?.code) {
    case 'ECONNREFUSED':
      return 'the connection was refused (nothing listens there)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name does not resolve';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'the connection timed out';
    case 'ECONNRESET':
      return 'the connection was reset';
    case 'CERT_HAS_EXPIRED':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
      return `its TLS certificate is not trusted (${cause.code})`;
    default:
      return (error as { message?: unknown }).message === 'fetch failed' ? (cause?.message ?? 'the request failed') : undefined;
  }
}
