import { randomInt } from 'node:crypto';
import type { JsonFile } from '../persistence/json-file.ts';

/** A Logto-shaped user record (only what an email-code sign-in produces). */
export interface User {
  /** 12 lowercase letters and digits, like Logto user ids. */
  readonly id: string;
  readonly primaryEmail: string;
  readonly username: string | null;
  readonly name: string | null;
  readonly avatar: string | null;
  /** epoch ms, as Logto reports `created_at` */
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly lastSignInAt: number | null;
}

export interface UserStoreFile {
  readonly version: 1;
  readonly users: User[];
}

const idAlphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Users in memory; persisted to the data directory when the server has one. */
export class UserStore {
  readonly #byId = new Map<string, User>();
  readonly #file: JsonFile<UserStoreFile> | undefined;
  readonly #created = new Set<(user: User) => void>();

  constructor(file?: JsonFile<UserStoreFile>) {
    this.#file = file;
    for (const user of file?.read()?.users ?? []) {
      this.#byId.set(user.id, user);
    }
  }

  /** Every user, e.g. for the Management API's user list. */
  all(): User[] {
    return [...this.#byId.values()];
  }

  /** Called for each new user (the local tenant gives it the default roles, as Logto does). */
  onCreate(listener: (user: User) => void): void {
    this.#created.add(listener);
  }

  findById(id: string): User | undefined {
    return this.#byId.get(id);
  }

  findByEmail(email: string): User | undefined {
    const wanted = normalizeEmail(email);
    return [...this.#byId.values()].find((user) => user.primaryEmail === wanted);
  }

  create(email: string): User {
    const now = Date.now();
    const user: User = {
      id: newUserId(),
      primaryEmail: normalizeEmail(email),
      username: null,
      name: null,
      avatar: null,
      createdAt: now,
      updatedAt: now,
      lastSignInAt: null,
    };
    this.#byId.set(user.id, user);
    this.#changed();
    for (const listener of this.#created) listener(user);
    return user;
  }

  recordSignIn(id: string): void {
    const user = this.#byId.get(id);
    if (user) {
      this.#byId.set(id, { ...user, lastSignInAt: Date.now() });
      this.#changed();
    }
  }

  async flush(): Promise<void> {
    await this.#file?.flush();
  }

  #changed(): void {
    this.#file?.save(() => ({ version: 1, users: [...this.#byId.values()] }));
  }
}

function newUserId(): string {
  return Array.from({ length: 12 }, () => idAlphabet[randomInt(idAlphabet.length)]).join('');
}
