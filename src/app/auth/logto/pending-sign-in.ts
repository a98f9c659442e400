import type { SignInOptions } from '../core/port';
import { StorageKey, type SessionStorage } from './session-storage';

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

export async function readPendingSignIn(storage: SessionStorage): Promise<PendingSignInRecord | null> {
  const raw = await storage.getItem(StorageKey.pendingSignIn);
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<PendingSignInRecord>;
    if (typeof value.startedAt !== 'number' || typeof value.options !== 'object' || value.options === null) return null;
    return { options: value.options, startedAt: value.startedAt };
  } catch {
    return null;
  }
}

export async function writePendingSignIn(storage: SessionStorage, record: PendingSignInRecord): Promise<void> {
  await storage.setItem(StorageKey.pendingSignIn, JSON.stringify(record));
}

/** The SDK's stored sign-in session, when complete. */
export async function readSignInSession(storage: SessionStorage): Promise<StoredSignInSession | null> {
  const raw = await storage.getItem(StorageKey.signInSession);
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as { redirectUri?: unknown; state?: unknown; codeVerifier?: unknown };
    if (typeof value.redirectUri !== 'string' || typeof value.state !== 'string' || typeof value.codeVerifier !== 'string') return null;
    return { redirectUri: value.redirectUri, state: value.state, codeVerifier: value.codeVerifier };
  } catch {
    return null;
  }
}

export async function forgetPendingSignIn(storage: SessionStorage): Promise<void> {
  await Promise.all([storage.removeItem(StorageKey.pendingSignIn), storage.removeItem(StorageKey.signInSession)]);
}

function isStale(record: PendingSignInRecord, now: number, maxAge: number): boolean {
  return now - record.startedAt > maxAge || record.startedAt > now + 60_000;
}

export type PendingSignIn =
  | { readonly ok: true; readonly record: PendingSignInRecord; readonly session: StoredSignInSession }
  /** `none`: nothing pending; `broken`: half of it missing or for another redirect URI; `stale`: too old. */
  | { readonly ok: false; readonly reason: 'none' | 'broken' | 'stale' };

/**
 * The one rule for "a sign-in is pending and can still complete": our record and the SDK's
 * session are both there, for this redirect URI, and not older than `maxAge`. Restore forgets
 * what fails it; callback admission refuses callbacks for it.
 */
export async function readPendingSignInState(
  storage: SessionStorage,
  rule: { readonly now: number; readonly maxAge: number; readonly redirectUri: string },
): Promise<PendingSignIn> {
  const [record, session] = await Promise.all([readPendingSignIn(storage), readSignInSession(storage)]);
  if (!record && !session) return { ok: false, reason: 'none' };
  if (!record || !session || session.redirectUri !== rule.redirectUri) return { ok: false, reason: 'broken' };
  if (isStale(record, rule.now, rule.maxAge)) return { ok: false, reason: 'stale' };
  return { ok: true, record, session };
}
