import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { JsonFile } from '../persistence/json-file.ts';

interface StoredEntry {
  readonly payload: AdapterPayload;
  /** epoch ms; absent = no expiry */
  readonly expiresAt?: number;
  /** epoch ms of the last `consume` (a used authorization code, a rotated refresh token) */
  readonly consumedAt?: number;
}

export interface ModelStoreFile {
  readonly version: 1;
  readonly models: Record<string, Record<string, StoredEntry>>;
}

// Same slack as oidc-provider's own memory adapter, so its expiry checks decide, not the store.
const clockToleranceSeconds = 15;

/**
 * Logto's refresh-token reuse leeway (its `oidc-model-instance` queries, hard-coded there too): a
 * refresh token counts as consumed only 3 s after it was rotated. Within those 3 s presenting it
 * again succeeds and yields another new token (and restarts the 3 s, because the grant consumes
 * it again); after them oidc-provider sees `consumed`, answers `invalid_grant` and revokes the
 * whole grant, the newest refresh token included. Other models (authorization codes) are consumed
 * at once.
 */
export const refreshTokenReuseSeconds = 3;

/**
 * oidc-provider's storage (sessions, grants, codes, tokens, interactions), one instance per server
 * — unlike the library's memory adapter, which is shared by every provider in the process.
 * Backed by a JSON file when the server has a data directory, so refresh tokens and sessions
 * survive a restart.
 */
export class ModelStore {
  readonly #models = new Map<string, Map<string, StoredEntry>>();
  readonly #file: JsonFile<ModelStoreFile> | undefined;

  constructor(file?: JsonFile<ModelStoreFile>) {
    this.#file = file;
    const saved = file?.read();
    if (saved?.version === 1) {
      const now = Date.now();
      for (const [model, entries] of Object.entries(saved.models)) {
        const live = new Map(Object.entries(entries).filter(([, entry]) => !isExpired(entry, now)));
        this.#models.set(model, live);
      }
    }
  }

  /** oidc-provider's `adapter` option: a synchronous factory. */
  readonly adapterFactory = (name: string): Adapter => new StoreAdapter(name, this);

  model(name: string): Map<string, StoredEntry> {
    let entries = this.#models.get(name);
    if (!entries) {
      entries = new Map();
      this.#models.set(name, entries);
    }
    return entries;
  }

  /** Live payloads of one model, e.g. every Grant, for server-side revocation. */
  *payloads(name: string): Generator<[string, AdapterPayload]> {
    const now = Date.now();
    for (const [id, entry] of this.model(name)) {
      if (!isExpired(entry, now)) {
        yield [id, entry.payload];
      }
    }
  }

  changed(): void {
    this.#file?.save(() => this.#snapshot());
  }

  async flush(): Promise<void> {
    await this.#file?.flush();
  }

  #snapshot(): ModelStoreFile {
    const now = Date.now();
    const models: Record<string, Record<string, StoredEntry>> = {};
    for (const [name, entries] of this.#models) {
      models[name] = Object.fromEntries([...entries].filter(([, entry]) => !isExpired(entry, now)));
    }
    return { version: 1, models };
  }
}

function isExpired(entry: StoredEntry, now: number): boolean {
  return entry.expiresAt !== undefined && entry.expiresAt <= now;
}

function copy(payload: AdapterPayload): AdapterPayload {
  return structuredClone(payload);
}

function isConsumed(model: string, consumedAt: number | undefined, now: number): boolean {
  if (consumedAt === undefined) {
    return false;
  }
  return model !== 'RefreshToken' || consumedAt + refreshTokenReuseSeconds * 1000 < now;
}

/** What oidc-provider reads: the payload, with `consumed` set as Logto's adapter sets it. */
function withConsumed(model: string, entry: StoredEntry, now: number): AdapterPayload {
  const payload = copy(entry.payload);
  return isConsumed(model, entry.consumedAt, now) ? { ...payload, consumed: true } : payload;
}

class StoreAdapter implements Adapter {
  readonly #name: string;
  readonly #store: ModelStore;

  constructor(name: string, store: ModelStore) {
    this.#name = name;
    this.#store = store;
  }

  get #entries(): Map<string, StoredEntry> {
    return this.#store.model(this.#name);
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const expiresAt = typeof expiresIn === 'number' ? Date.now() + (expiresIn + clockToleranceSeconds) * 1000 : undefined;
    // Like Logto's upsert, saving again keeps when the entry was consumed.
    const consumedAt = this.#entries.get(id)?.consumedAt;
    this.#entries.set(id, {
      payload: copy(payload),
      ...(expiresAt === undefined ? {} : { expiresAt }),
      ...(consumedAt === undefined ? {} : { consumedAt }),
    });
    this.#store.changed();
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const entry = this.#entries.get(id);
    if (!entry) {
      return undefined;
    }
    const now = Date.now();
    if (isExpired(entry, now)) {
      this.#entries.delete(id);
      return undefined;
    }
    return withConsumed(this.#name, entry, now);
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.#findWhere((payload) => payload.uid === uid);
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return this.#findWhere((payload) => payload.userCode === userCode);
  }

  async consume(id: string): Promise<void> {
    const entry = this.#entries.get(id);
    if (entry) {
      // Every consume restarts the refresh token's leeway, as Logto's `consumedAt = now()` does.
      this.#entries.set(id, { ...entry, consumedAt: Date.now() });
      this.#store.changed();
    }
  }

  async destroy(id: string): Promise<void> {
    if (this.#entries.delete(id)) {
      this.#store.changed();
    }
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    let removed = false;
    for (const [id, entry] of this.#entries) {
      if (entry.payload.grantId === grantId) {
        this.#entries.delete(id);
        removed = true;
      }
    }
    if (removed) {
      this.#store.changed();
    }
  }

  #findWhere(predicate: (payload: AdapterPayload) => boolean): AdapterPayload | undefined {
    const now = Date.now();
    for (const [, entry] of this.#entries) {
      if (!isExpired(entry, now) && predicate(entry.payload)) {
        return withConsumed(this.#name, entry, now);
      }
    }
    return undefined;
  }
}
