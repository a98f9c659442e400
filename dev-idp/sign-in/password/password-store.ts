/**
 * Password hashes of the local server's users (scrypt, per-user salt), kept apart from the user
 * records so an email-code-only server never writes one. Persisted in the data directory
 * (passwords.json) once someone has a password.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

import type { JsonFile } from '../../persistence/json-file.ts';

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;
const keyLength = 32;

export interface PasswordStoreFile {
  readonly version: 1;
  readonly hashes: Record<string, { readonly salt: string; readonly hash: string }>;
}

export class PasswordStore {
  readonly #hashes = new Map<string, { salt: string; hash: string }>();
  readonly #file: JsonFile<PasswordStoreFile> | undefined;

  constructor(file?: JsonFile<PasswordStoreFile>) {
    this.#file = file;
    for (const [userId, entry] of Object.entries(file?.read()?.hashes ?? {})) this.#hashes.set(userId, entry);
  }

  has(userId: string): boolean {
    return this.#hashes.has(userId);
  }

  async set(userId: string, password: string): Promise<void> {
    const salt = randomBytes(16);
    const hash = await scrypt(password.normalize('NFKC'), salt, keyLength);
    this.#hashes.set(userId, { salt: salt.toString('base64'), hash: hash.toString('base64') });
    this.#file?.save(() => ({ version: 1, hashes: Object.fromEntries(this.#hashes) }));
  }

  /** False for a user without a password too; the same work either way, so timing tells nothing. */
  async verify(userId: string | undefined, password: string): Promise<boolean> {
    const entry = userId === undefined ? undefined : this.#hashes.get(userId);
    const salt = entry ? Buffer.from(entry.salt, 'base64') : randomBytes(16);
    const hash = await scrypt(password.normalize('NFKC'), salt, keyLength);
    return entry ? timingSafeEqual(hash, Buffer.from(entry.hash, 'base64')) : false;
  }

  async flush(): Promise<void> {
    await this.#file?.flush();
  }
}
