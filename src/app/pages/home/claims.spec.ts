import { breakableParts } from '../shared/breakable-text';
import { formatValue, initials, otherClaims } from './claims';

describe('profile claims as shown on the home screen', () => {
  /** The reader's words, with dates pinned to one zone so the test reads the same everywhere. */
  const inZone = (timeZone: string) => ({
    t: (key: string) => key,
    dateTime: (value: Date | number, options: Intl.DateTimeFormatOptions) =>
      new Intl.DateTimeFormat('en-GB', { ...options, timeZone }).format(value),
  });

  it("shows OIDC times given in seconds as dates in the reader's zone, the raw number kept", () => {
    expect(formatValue('iat', 1_764_000_000, inZone('UTC'))).toBe('24 Nov 2025, 16:00:00 UTC (1764000000)');
    expect(formatValue('iat', 1_764_000_000, inZone('Asia/Shanghai'))).toMatch(/^25 Nov 2025, 00:00:00 (CST|GMT\+8) \(1764000000\)$/);
  });

  it("shows Logto's created_at and updated_at, given in milliseconds, as the right dates", () => {
    expect(formatValue('updated_at', 1_764_000_000_123, inZone('UTC'))).toBe('24 Nov 2025, 16:00:00 UTC (1764000000123)');
    expect(formatValue('created_at', 1_764_000_000_000, inZone('UTC'))).toMatch(/^24 Nov 2025, 16:00:00 UTC/);
  });

  it('breaks an address after "@" and before dots, never inside a word', () => {
    expect(breakableParts('ana.first@example.com')).toEqual(['ana', '.first@', 'example', '.com']);
    expect(breakableParts('x@y.co.uk').join('')).toBe('x@y.co.uk');
    expect(breakableParts('no-address')).toEqual(['no-address']);
  });

  it('lists the other claims sorted, without the ones in the header', () => {
    const rows = otherClaims({ sub: 'u1', name: 'Jane', email: 'j@example.com', aud: 'bookstore-dev', email_verified: true });
    expect(rows).toEqual([
      { name: 'aud', value: 'bookstore-dev' },
      { name: 'email_verified', value: 'true' },
      { name: 'sub', value: 'u1' },
    ]);
  });

  it('makes initials from the name, or from the email when there is no name', () => {
    expect(initials({ sub: 'u1', name: 'Jane Doe' })).toBe('JD');
    expect(initials({ sub: 'u1', name: 'Jean-Luc  Picard', email: 'jl@example.com' })).toBe('JP');
    expect(initials({ sub: 'u1', username: 'margaret_hamilton' })).toBe('MH');
    expect(initials({ sub: 'u1', email: 'margaret.hamilton@gmail.com' })).toBe('MH');
    expect(initials({ sub: 'u1', email: 'reader@example.com' })).toBe('R');
  });

  // Avatars of odd addresses showed "A5" or "12", like a badge.
  it.each([
    ['a one-word name', { name: 'Plato' }, 'P'],
    ['a lower-case one-word name', { name: 'ñandú' }, 'Ñ'],
    ['letters and digits', { email: 'a5@x.io' }, 'A'],
    ['digits only: the domain', { email: '123456@x.io' }, 'X'],
    ['a word of digits and letters', { email: 'e2e-61202a60@example.com' }, 'E'],
    ['a word starting with a digit', { email: '5a@x.io' }, 'X'],
    ['a quoted name', { name: '"Ada" (Lovelace)' }, 'AL'],
    ['a numbered address', { email: 'alexandra.konstantinopoulou.c3f2a9@example.com' }, 'AK'],
    ['a suffix after a number', { email: 'alexandra.konstantinopoulou.364ccbaf-d@example.com' }, 'AK'],
    ['a year after the name', { email: 'jane.doe.1987@example.com' }, 'JD'],
    ['digits after a name', { email: 'john.smith99@example.com' }, 'J'],
    ['a +tag address', { email: 'jane+news@example.com' }, 'J'],
    ['a +tag on a two-part address', { email: 'jane.doe+shop@example.com' }, 'JD'],
    ['nothing before the +tag', { email: '+tag@mail.example' }, 'M'],
    ['a name of digits: the address', { name: '12345', email: 'kim@example.com' }, 'K'],
    ['an emoji name', { name: '🦄 ✨', email: 'uni@example.com' }, 'U'],
    ['ß keeps one letter', { name: 'ßtraße' }, 'ß'],
    ['digits everywhere: one digit', { email: '42@1.2' }, '4'],
    ['nothing at all', {}, '?'],
  ])('initials for %s are 1-2 letters', (_case, claims, expected) => {
    const result = initials({ sub: 'u1', ...claims });
    expect(result).toBe(expected);
    expect([...result].length).toBeLessThanOrEqual(2);
  });
});
