import { mkdirSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * One JSON document on disk, for the data directory of a dev server people restart.
 * Writes are coalesced and atomic (temp file + rename), so a Ctrl-C mid-write never leaves
 * half a file; `flush()` waits for the last one.
 */
export class JsonFile<T> {
  readonly #path: string;
  readonly #onError: (error: Error) => void;
  #snapshot: (() => T) | undefined;
  #writing: Promise<void> | undefined;
  #dirty = false;

  constructor(path: string, onError: (error: Error) => void) {
    this.#path = path;
    this.#onError = onError;
    mkdirSync(dirname(path), { recursive: true });
  }

  /** Synchronous so a server can load its state before it accepts a request. */
  read(): T | undefined {
    try {
      return JSON.parse(readFileSync(this.#path, 'utf8')) as T;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return undefined;
      }
      throw new Error(`Cannot read ${this.#path}: ${(error as Error).message}. Delete it to start afresh.`);
    }
  }

  /** Schedules a write of whatever `snapshot()` returns when the write happens. */
  save(snapshot: () => T): void {
    this.#snapshot = snapshot;
    this.#dirty = true;
    this.#writing ??= this.#drain();
  }

  async flush(): Promise<void> {
    while (this.#writing) {
      await this.#writing;
    }
  }

  async #drain(): Promise<void> {
    try {
      while (this.#dirty && this.#snapshot) {
        this.#dirty = false;
        const temp = `${this.#path}.${process.pid}.tmp`;
        await writeFile(temp, JSON.stringify(this.#snapshot(), null, 2), { mode: 0o600 });
        await rename(temp, this.#path);
      }
    } catch (error) {
      this.#onError(error as Error);
    } finally {
      this.#writing = undefined;
    }
  }
}
