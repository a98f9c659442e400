import { randomSixDigitCode, VerificationCodes } from './verification-codes.ts';

describe('verification codes', () => {
  let now: number;
  let codes: VerificationCodes;
  const request = { email: 'a@example.com', usageType: 'SignIn' as const, flowPath: '/sign-in' };

  beforeEach(() => {
    now = 1_000_000;
    let next = 100000;
    codes = new VerificationCodes({
      ttlSeconds: 600,
      maxAttempts: 10,
      resendCooldownSeconds: 60,
      now: () => now,
      generate: () => String(next++),
    });
  });

  it('generates six digits, zero-padded', () => {
    for (let i = 0; i < 50; i += 1) {
      expect(randomSixDigitCode()).toMatch(/^\d{6}$/);
    }
  });

  it('accepts the code once, within ten minutes', () => {
    codes.issue('i1', request);
    now += 599_000;
    expect(codes.check('i1', '100000')).toMatchObject({ status: 'ok', pending: { email: 'a@example.com' } });
    expect(codes.check('i1', '100000')).toEqual({ status: 'missing' });
  });

  it('expires the code after its lifetime', () => {
    codes.issue('i1', request);
    now += 600_000;
    expect(codes.check('i1', '100000')).toEqual({ status: 'expired' });
  });

  it('counts down attempts and refuses the 11th even when right', () => {
    codes.issue('i1', request);
    expect(codes.check('i1', '999999')).toEqual({ status: 'wrong', attemptsLeft: 9 });
    for (let i = 0; i < 9; i += 1) {
      codes.check('i1', '999999');
    }
    expect(codes.check('i1', '100000')).toEqual({ status: 'exhausted' });
  });

  it('holds a resend to the same address for the cool-down; a new code resets the attempts', () => {
    codes.issue('i1', request);
    codes.check('i1', '999999');
    now += 30_000;
    expect(codes.cooldownLeft('i1', 'a@example.com')).toBe(30);
    expect(codes.cooldownLeft('i1', 'b@example.com')).toBe(0);
    now += 30_000;
    expect(codes.cooldownLeft('i1', 'a@example.com')).toBe(0);
    codes.issue('i1', request);
    expect(codes.check('i1', '100000')).toEqual({ status: 'wrong', attemptsLeft: 9 });
    expect(codes.check('i1', '100001')).toMatchObject({ status: 'ok' });
  });

  it('keeps codes of different interactions apart', () => {
    codes.issue('i1', request);
    codes.issue('i2', request);
    expect(codes.check('i1', '100001')).toMatchObject({ status: 'wrong' });
    expect(codes.check('i2', '100001')).toMatchObject({ status: 'ok' });
  });
});
