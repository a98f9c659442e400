import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';
import type { JWK } from 'oidc-provider';
import type { JsonFile } from '../persistence/json-file.ts';

export interface ServerSecrets {
  /** Private signing keys (JWK), ES384 like a Logto tenant's default. */
  readonly jwks: { readonly keys: JWK[] };
  /** Keys that sign the session and interaction cookies. */
  readonly cookieKeys: string[];
}

/**
 * The server's signing key and cookie keys. With a data directory they are reused across
 * restarts, so tokens and sessions issued before a restart still verify.
 */
export async function loadOrCreateSecrets(file: JsonFile<ServerSecrets> | undefined): Promise<ServerSecrets> {
  const saved = file?.read();
  if (saved?.jwks?.keys?.length && saved.cookieKeys?.length) {
    return saved;
  }
  const secrets: ServerSecrets = {
    jwks: { keys: [await generateSigningKey()] },
    cookieKeys: [randomBytes(32).toString('base64url')],
  };
  if (file) {
    file.save(() => secrets);
    await file.flush();
  }
  return secrets;
}

async function generateSigningKey(): Promise<JWK> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const jwk = privateKey.export({ format: 'jwk' });
  const kid = await calculateJwkThumbprint({ kty: jwk.kty!, crv: jwk.crv!, x: jwk.x!, y: jwk.y! });
  return { ...jwk, kid, alg: 'ES384', use: 'sig' } as JWK;
}
