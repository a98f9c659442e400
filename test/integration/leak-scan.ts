/**
 * What must never show a secret, and the secrets to look for: the integration suite's leak scan.
 * The ledger collects every real secret value the stack produced (from device storage writes,
 * token-endpoint traffic and deep links); the transcript holds, as text, everything the app
 * logged and every XState inspection event. A leak is any ledger value inside the transcript.
 */
import type { InspectionEvent } from 'xstate';

import { StorageKey } from '../../src/app/auth/logto/token-storage.ts';

export type SecretKind =
  'access token' | 'refresh token' | 'ID token' | 'authorization code' | 'code verifier' | 'callback URL' | 'sign-in state';

/** Every secret value the stack produced, by kind. Reports leaks by kind only (never the value). */
export class SecretLedger {
  readonly #values = new Map<string, SecretKind>();

  add(kind: SecretKind, value: unknown): void {
    // Short strings would match by accident (and no real secret here is that short).
    if (typeof value === 'string' && value.length >= 16) this.#values.set(value, kind);
  }

  get size(): number {
    return this.#values.size;
  }

  kinds(): Set<SecretKind> {
    return new Set(this.#values.values());
  }

  /** The kinds of secrets found in `text`, with how often. */
  leaksIn(text: string): string[] {
    const found = new Map<SecretKind, number>();
    for (const [value, kind] of this.#values) {
      if (text.includes(value)) found.set(kind, (found.get(kind) ?? 0) + 1);
    }
    return [...found].map(([kind, count]) => `${count} ${kind}${count > 1 ? 's' : ''}`);
  }

  noteStored(key: string, value: string): void {
    switch (key) {
      case StorageKey.idToken:
        return this.add('ID token', value);
      case StorageKey.refreshToken:
        return this.add('refresh token', value);
      case StorageKey.accessToken:
        for (const entry of Object.values(parseJson(value) ?? {})) this.add('access token', (entry as { token?: unknown })?.token);
        return;
      case StorageKey.signInSession: {
        const session = parseJson(value) ?? {};
        this.add('code verifier', session['codeVerifier']);
        this.add('sign-in state', session['state']);
        return;
      }
    }
  }

  noteTokenRequest(body: string): void {
    const params = new URLSearchParams(body);
    this.add('authorization code', params.get('code'));
    this.add('code verifier', params.get('code_verifier'));
    this.add('refresh token', params.get('refresh_token'));
    // Revocation sends the refresh token as `token`.
    this.add('refresh token', params.get('token'));
  }

  noteTokenResponse(body: unknown): void {
    const tokens = (body ?? {}) as Record<string, unknown>;
    this.add('access token', tokens['access_token']);
    this.add('refresh token', tokens['refresh_token']);
    this.add('ID token', tokens['id_token']);
  }

  /** A URL delivered to the app as a deep link: the sign-in callback carries a code and a state. */
  noteCallbackUrl(url: string): void {
    if (!URL.canParse(url)) return;
    const params = new URL(url).searchParams;
    if (!params.has('code') && !params.has('state') && !params.has('error')) return;
    this.add('callback URL', url);
    this.add('authorization code', params.get('code'));
    this.add('sign-in state', params.get('state'));
  }
}

function parseJson(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Keys that lead from an inspection event into the machine's definition or the actor system, not into data. */
const STRUCTURE_KEYS = new Set([
  'actorRef',
  'sourceRef',
  '_transitions',
  'machine',
  'system',
  '_parent',
  'logic',
  '_actorScope',
  '_nodes',
  'historyValue',
  'children',
]);

/** Every string reachable in `value` (errors with message and stack), for scanning. */
export function stringsIn(value: unknown, out: string[] = [], seen = new WeakSet<object>(), depth = 0): string[] {
  if (typeof value === 'string') {
    out.push(value);
    return out;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    out.push(String(value));
    return out;
  }
  if (typeof value !== 'object' || value === null || depth > 16 || seen.has(value)) return out;
  seen.add(value);
  if (value instanceof Error) out.push(value.name, value.message, value.stack ?? '');
  if (value instanceof Error && value.cause !== undefined) stringsIn(value.cause, out, seen, depth + 1);
  if (value instanceof URL || value instanceof URLSearchParams) out.push(value.toString());
  if (value instanceof Map) {
    for (const [key, child] of value) {
      stringsIn(key, out, seen, depth + 1);
      stringsIn(child, out, seen, depth + 1);
    }
  }
  if (value instanceof Set) for (const child of value) stringsIn(child, out, seen, depth + 1);
  for (const [key, child] of Object.entries(value)) {
    if (STRUCTURE_KEYS.has(key) || typeof child === 'function') continue;
    out.push(key);
    stringsIn(child, out, seen, depth + 1);
  }
  return out;
}

/** Everything the app logged and every inspector event, as text, per test and for the file. */
export class Transcript {
  readonly #chunks: string[] = [];
  consoleCalls = 0;
  inspectionEvents = 0;

  readonly consoleLines: string[] = [];

  addConsole(method: string, args: unknown[]): void {
    this.consoleCalls += 1;
    const line = `console.${method}: ${stringsIn(args).join(' ')}`;
    this.consoleLines.push(line);
    this.#chunks.push(line);
  }

  addInspection(event: InspectionEvent): void {
    this.inspectionEvents += 1;
    this.#chunks.push(`${event.type}: ${stringsIn(event).join(' ')}`);
  }

  addText(source: string, text: string): void {
    this.#chunks.push(`${source}: ${text}`);
  }

  text(): string {
    return this.#chunks.join('\n');
  }
}

export interface FileLeakReport {
  readonly secretKinds: Set<SecretKind>;
  readonly inspectionEvents: number;
  /** Kinds of secrets found in anything logged or inspected during the file's tests. */
  readonly leaks: string[];
  /** Raw callback URLs or query strings of one, whatever their values. */
  readonly callbackShapes: boolean;
}

const CALLBACK_SHAPE = /com\.example\.app:\/\/callback\?|[?&](code|code_verifier|refresh_token)=/;

/**
 * One spec file's leak scan: the secrets the file's stacks produced (a ledger for the whole
 * file, so a secret from an earlier test is still caught in a later one) and what was logged or
 * inspected, per test and for the file. Owned by the suite hooks; handed to each stack.
 */
export class LeakScan {
  readonly ledger = new SecretLedger();
  readonly #file = new Transcript();
  #test = new Transcript();

  startTest(): void {
    this.#test = new Transcript();
  }

  addConsole(method: string, args: unknown[]): void {
    this.#test.addConsole(method, args);
    this.#file.addConsole(method, args);
  }

  addInspection(event: InspectionEvent): void {
    this.#test.addInspection(event);
    this.#file.addInspection(event);
  }

  addText(source: string, text: string): void {
    this.#test.addText(source, text);
    this.#file.addText(source, text);
  }

  /** What the app printed to the console during the current test. */
  get consoleLines(): readonly string[] {
    return this.#test.consoleLines;
  }

  /** Problems in what the current test logged or inspected (any secret seen so far in the file). */
  testProblems(): string[] {
    const text = this.#test.text();
    const problems: string[] = [];
    const leaks = this.ledger.leaksIn(text);
    if (leaks.length) problems.push(`secrets in logs or inspector events: ${leaks.join(', ')}`);
    if (/com\.example\.app:\/\/callback\?/.test(text)) problems.push('a callback URL with a query in logs or inspector events');
    return problems;
  }

  fileReport(): FileLeakReport {
    const text = this.#file.text();
    return {
      secretKinds: this.ledger.kinds(),
      inspectionEvents: this.#file.inspectionEvents,
      leaks: this.ledger.leaksIn(text),
      callbackShapes: CALLBACK_SHAPE.test(text),
    };
  }
}
