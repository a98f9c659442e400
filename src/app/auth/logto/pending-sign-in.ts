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

export interface StoredSignInSession {
  readonly redirectUri: string;
  readonly state: string;
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

/** The state and redirect URI of the SDK's stored sign-in session (the verifier is left alone). */
export async function readSignInSession(storage: SessionStorage): Promise<StoredSignInSession | null> {
  const raw = await storage.getItem(StorageKey.signInSession);
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as { redirectUri?: unknown; state?: unknown; codeVerifier?: unknown };
    if (typeof value.redirectUri !== 'string' || typeof value.state !== 'string' || typeof value.codeVerifier !== 'string') return null;
    return { redirectUri: value.redirectUri, state: value.state };
  } catch {
    return null;
  }
}

export async function forgetPendingSignIn(storage: SessionStorage): Promise<void> {
  await Promise.all([storage.removeItem(StorageKey.pendingSignIn), storage.removeItem(StorageKey.signInSession)]);
}

export function isStale(record: PendingSignInRecord, now: number, maxAge: number): boolean {
  return now - record.startedAt > maxAge || record.startedAt > now + 60_000;
}
