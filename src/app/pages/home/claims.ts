import type { IdTokenClaims } from '../../auth/angular';

/** Claims shown in the profile header rather than in the list. */
const HEADLINE_CLAIMS = new Set(['name', 'email', 'picture']);
/** Time claims. OIDC says seconds since the epoch; Logto sends created_at/updated_at in milliseconds. */
const TIME_CLAIMS = new Set(['iat', 'exp', 'auth_time', 'nbf', 'updated_at', 'created_at']);
/** Below this a time is in seconds (1e11 s is the year 5138), above it in milliseconds. */
const MILLISECONDS_THRESHOLD = 1e11;

export interface ClaimRow {
  readonly name: string;
  readonly value: string;
}

export function displayName(claims: IdTokenClaims): string {
  for (const key of ['name', 'username', 'email']) {
    const value = claims[key];
    if (typeof value === 'string' && value.trim()) return value.trim();
  }
  return 'Signed in';
}

/** One or two letters for the avatar when there is no picture. */
export function initials(claims: IdTokenClaims): string {
  const name = displayName(claims).split('@')[0];
  const words = name.split(/[\s._-]+/).filter(Boolean);
  const letters = words.length > 1 ? words[0][0] + words[words.length - 1][0] : (words[0] ?? '?').slice(0, 2);
  return letters.toUpperCase();
}

export function pictureUrl(claims: IdTokenClaims): string | null {
  const picture = claims['picture'];
  return typeof picture === 'string' && /^https?:\/\//.test(picture) ? picture : null;
}

export function formatValue(name: string, value: unknown): string {
  if (TIME_CLAIMS.has(name) && typeof value === 'number' && Number.isFinite(value)) {
    const ms = value >= MILLISECONDS_THRESHOLD ? value : value * 1000;
    return `${new Date(ms).toISOString()} (${value})`;
  }
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** The other claims, sorted by name, as text. */
export function otherClaims(claims: IdTokenClaims): ClaimRow[] {
  return Object.keys(claims)
    .filter((name) => !HEADLINE_CLAIMS.has(name))
    .sort()
    .map((name) => ({ name, value: formatValue(name, claims[name]) }));
}

export function rows(record: Record<string, unknown>): ClaimRow[] {
  return Object.keys(record)
    .sort()
    .map((name) => ({ name, value: formatValue(name, record[name]) }));
}
