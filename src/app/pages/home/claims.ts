import type { IdTokenClaims } from '../../auth/angular';
import { homeEn } from '../../i18n/en/home';

type MessageKey = keyof typeof homeEn;

/** What the formatting here needs of the i18n service: words and dates in the reader's language. */
export interface Wording {
  t(key: MessageKey): string;
  dateTime(value: Date | number, options: Intl.DateTimeFormatOptions): string;
}

/** English with the device's own formats: for callers without a language (tests, logs). */
export const PLAIN_WORDING: Wording = {
  t: (key) => homeEn[key],
  dateTime: (value, options) => new Intl.DateTimeFormat(undefined, options).format(value),
};

/** Claims shown in the profile header rather than in the list. */
const HEADLINE_CLAIMS = new Set(['name', 'email', 'picture']);
/** Time claims. OIDC says seconds since the epoch; Logto sends created_at/updated_at in milliseconds. */
const TIME_CLAIMS = new Set(['iat', 'exp', 'auth_time', 'nbf', 'updated_at', 'created_at']);
/** Below this a time is in seconds (1e11 s is the year 5138), above it in milliseconds. */
const MILLISECONDS_THRESHOLD = 1e11;

export interface ClaimRow {
  readonly name: string;
  readonly value: string;
  /** A person's label for it (account facts only). */
  readonly label?: string;
}

/** A name other than the address: `name` or `username`. */
export function hasPersonalName(claims: IdTokenClaims): boolean {
  return ['name', 'username'].some((key) => typeof claims[key] === 'string' && (claims[key] as string).trim() !== '');
}

function toDate(value: unknown): Date | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  return new Date(value >= MILLISECONDS_THRESHOLD ? value : value * 1000);
}

// Formatters are made on first use (in the i18n service): a formatter costs tens of milliseconds
// on a slow phone, not worth paying before the first screen.

/** What a person recognises about their account, in words and local dates (raw claims stay in the disclosure). */
export function accountFacts(claims: IdTokenClaims, words: Wording = PLAIN_WORDING): ClaimRow[] {
  const facts: ClaimRow[] = [];
  // The address itself is in the header already; here only whether it was proven.
  if (typeof claims['email'] === 'string' && claims['email']) {
    facts.push({
      name: 'email_verified',
      label: words.t('facts.email'),
      value: words.t(claims['email_verified'] === true ? 'facts.verified' : 'facts.notVerified'),
    });
  }
  const created = toDate(claims['created_at']);
  if (created)
    facts.push({ name: 'created_at', label: words.t('facts.memberSince'), value: words.dateTime(created, { dateStyle: 'long' }) });
  const signedIn = toDate(claims['auth_time']) ?? toDate(claims['iat']);
  if (signedIn)
    facts.push({
      name: 'auth_time',
      label: words.t('facts.signedIn'),
      value: words.dateTime(signedIn, { dateStyle: 'medium', timeStyle: 'short' }),
    });
  return facts;
}

export function displayName(claims: IdTokenClaims, fallback = 'Signed in'): string {
  for (const key of ['name', 'username', 'email']) {
    const value = claims[key];
    if (typeof value === 'string' && value.trim()) return value.trim();
  }
  return fallback;
}

/**
 * One or two letters for the avatar when there is no picture: the first and last word's initials,
 * or one letter for a one-word name. Letters only, from words that start with one: digits, "+tag"
 * suffixes and address punctuation made avatars like "12" or "A5" that read as badges. From the
 * name, else the username, else the address (before "+", then its domain); a digit only when
 * nothing has a letter.
 */
export function initials(claims: IdTokenClaims): string {
  const text = (key: string) => (typeof claims[key] === 'string' ? (claims[key] as string).normalize('NFC') : '');
  const [local = '', domain = ''] = text('email').split('@');
  const sources = [text('name'), text('username'), local.split('+')[0] ?? '', domain.split('.')[0] ?? ''];
  for (const source of sources) {
    const words = source.split(/[\s._\-+]+/).filter(Boolean);
    // The name ends at the first later word with a digit: what follows ('.1987', '.c3f2-d',
    // '-61202a60') is a number or suffix, not a name.
    const end = words.findIndex((word, index) => index > 0 && /\p{N}/u.test(word));
    // A word counts when it starts with a letter: 'a5' gives A, '5a' nothing.
    const letters = (end === -1 ? words : words.slice(0, end))
      .map((word) => /^[^\p{L}\p{N}]*(\p{L})/u.exec(word)?.[1])
      .filter((letter): letter is string => letter !== undefined);
    if (letters.length === 0) continue;
    return (letters.length > 1 ? [letters[0]!, letters[letters.length - 1]!] : [letters[0]!]).map(upper).join('');
  }
  return sources.join('').match(/\d/)?.[0] ?? '?';
}

/** Upper case, unless that makes two letters of one (German ß → SS). */
function upper(letter: string): string {
  const result = letter.toLocaleUpperCase();
  return [...result].length === 1 ? result : letter;
}

export function pictureUrl(claims: IdTokenClaims): string | null {
  const picture = claims['picture'];
  return typeof picture === 'string' && /^https?:\/\//.test(picture) ? picture : null;
}

/** A date with the time to the second and the zone's name (it is a developer's view). */
const CLAIM_TIME: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  timeZoneName: 'short',
};

/** A claim's value as text; times in the reader's zone and language, with the raw number kept for developers. */
export function formatValue(name: string, value: unknown, words: Wording = PLAIN_WORDING): string {
  if (TIME_CLAIMS.has(name) && typeof value === 'number' && Number.isFinite(value)) {
    const ms = value >= MILLISECONDS_THRESHOLD ? value : value * 1000;
    return `${words.dateTime(ms, CLAIM_TIME)} (${value})`;
  }
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return words.t('claims.notSet');
  return JSON.stringify(value);
}

/** The other claims, sorted by name, as text. */
export function otherClaims(claims: IdTokenClaims, words: Wording = PLAIN_WORDING): ClaimRow[] {
  return Object.keys(claims)
    .filter((name) => !HEADLINE_CLAIMS.has(name))
    .sort()
    .map((name) => ({ name, value: formatValue(name, claims[name], words) }));
}

export function rows(record: Record<string, unknown>, words: Wording = PLAIN_WORDING): ClaimRow[] {
  return Object.keys(record)
    .sort()
    .map((name) => ({ name, value: formatValue(name, record[name], words) }));
}
