import type { SignInOptions } from '../core/port';
import { StorageKey, type TokenStorage } from './token-storage';

/**
 * Our record of the sign-in in flight, next to the SDK's `signInSession` (PKCE verifier + state).
 * It survives the app being killed, so the launch URL can still complete that sign-in and Retry
 * can repeat it with the same options; `startedAt` makes it stale after `pendingSignInMaxAge`.
 */
export interface PendingSignInRecord {
  readonly options: SignInOptions;
  readonly startedAt: number;
}

/** The SDK's `signInSession` (written by its `signIn`): PKCE verifier + state of the sign-in in flight. */
export interface StoredSignInSession {
  readonly redirectUri: string;
  readonly state: string;
  readonly codeVerifier: string;
}

function parsePendingRecord(raw: string | null): PendingSignInRecord | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<PendingSignInRecord>;
    if (typeof value.startedAt !== 'number' || typeof value.options !== 'object' || value.options === null) return null;
    return { options: value.options, startedAt: value.startedAt };
  } catch {
    return null;
  }
}

export async function writePendingSignIn(storage: TokenStorage, record: PendingSignInRecord): Promise<void> {
  await storage.setItem(StorageKey.pendingSignIn, JSON.stringify(record));
}

function parseSignInSession(raw: string | null): StoredSignInSession | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as { redirectUri?: unknown; state?: unknown; codeVerifier?: unknown };
    if (typeof value.redirectUri !== 'string' || typeof value.state !== 'string' || typeof value.codeVerifier !== 'string') return null;
    return { redirectUri: value.redirectUri, state: value.state, codeVerifier: value.codeVerifier };
  } catch {
    return null;
  }
}

/** The SDK's stored sign-in session, when complete. */
export async function readSignInSession(storage: TokenStorage): Promise<StoredSignInSession | null> {
  return parseSignInSession(await storage.getItem(StorageKey.signInSession));
}

export async function forgetPendingSignIn(storage: TokenStorage): Promise<void> {
  await Promise.all([storage.removeItem(StorageKey.pendingSignIn), storage.removeItem(StorageKey.signInSession)]);
}

function isStale(record: PendingSignInRecord, now: number, maxAge: number): boolean {
  return now - record.startedAt > maxAge || record.startedAt > now + 60_000;
}

export type PendingSignIn =
  | { readonly ok: true; readonly record: PendingSignInRecord; readonly session: StoredSignInSession }
  /** `none`: nothing pending; `broken`: half of it missing or for another redirect URI; `stale`: too old. */
  | { readonly ok: false; readonly reason: 'none' | 'broken' | 'stale' };

/** What decides whether a pending sign-in can still complete. */
export interface PendingSignInRule {
  readonly now: number;
  readonly maxAge: number;
  readonly redirectUri: string;
}

/**
 * The one rule for "a sign-in is pending and can still complete", over the two stored items: our
 * record and the SDK's session are both there, for this redirect URI, and not older than
 * `maxAge`. Restore forgets what fails it; callback admission refuses callbacks for it.
 */
export function pendingSignInOf(
  items: { readonly pendingSignIn: string | null; readonly signInSession: string | null },
  rule: PendingSignInRule,
): PendingSignIn {
  const record = parsePendingRecord(items.pendingSignIn);
  const session = parseSignInSession(items.signInSession);
  if (!record && !session) return { ok: false, reason: 'none' };
  if (!record || !session || session.redirectUri !== rule.redirectUri) return { ok: false, reason: 'broken' };
  if (isStale(record, rule.now, rule.maxAge)) return { ok: false, reason: 'stale' };
  return { ok: true, record, session };
}

/** `pendingSignInOf` over what `storage` holds now. */
export async function readPendingSignInState(storage: TokenStorage, rule: PendingSignInRule): Promise<PendingSignIn> {
  const [pendingSignIn, signInSession] = await Promise.all([
    storage.getItem(StorageKey.pendingSignIn),
    storage.getItem(StorageKey.signInSession),
  ]);
  return pendingSignInOf({ pendingSignIn, signInSession }, rule);
}
