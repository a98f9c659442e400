import { formatValue, initials, otherClaims } from './claims';

describe('profile claims as shown on the home screen', () => {
  it('shows OIDC times given in seconds as dates', () => {
    expect(formatValue('iat', 1_764_000_000)).toBe('2025-11-24T16:00:00.000Z (1764000000)');
  });

  it("shows Logto's created_at and updated_at, given in milliseconds, as the right dates", () => {
    expect(formatValue('updated_at', 1_764_000_000_123)).toBe('2025-11-24T16:00:00.123Z (1764000000123)');
    expect(formatValue('created_at', 1_764_000_000_000)).toMatch(/^2025-11-24T16:00:00\.000Z/);
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
    expect(initials({ sub: 'u1', email: 'reader@example.com' })).toBe('RE');
  });
});
