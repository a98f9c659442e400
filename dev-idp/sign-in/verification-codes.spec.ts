import { randomSixDigitCode, VerificationCodes } from './verification-codes.ts';

describe('verification codes', () => {
  let now: number;
  let codes: VerificationCodes;
  const request = { email: 'a@example.com', usageType: 'SignIn' as const, flowPath: '/sign-in' };
  const decoy = { ...request, email: 'decoy@example.com' };
  const minute = 60_000;

  beforeEach(() => {
    now = 1_000_000;
    let next = 100000;
    codes = new VerificationCodes({
      ttlSeconds: 600,
      maxAttempts: 10,
      now: () => now,
      generate: () => String(next++),
    });
  });

  /** Issues a code as the sign-in pages do: only when the address may receive one. */
  function issue(interactionId: string, to = request) {
    expect(codes.sendRefusal(to.email)).toBeUndefined();
    return codes.issue(interactionId, to);
  }

  it('generates six digits, zero-padded', () => {
    for (let i = 0; i < 50; i += 1) {
      expect(randomSixDigitCode()).toMatch(/^\d{6}$/);
    }
  });

  it('accepts the code once, within ten minutes', () => {
    issue('i1');
    now += 599_000;
    expect(codes.check('i1', '100000')).toMatchObject({ status: 'ok', pending: { email: 'a@example.com' } });
    expect(codes.check('i1', '100000')).toEqual({ status: 'missing' });
  });

  it('expires the code after its lifetime', () => {
    issue('i1');
    now += 600_000;
    expect(codes.check('i1', '100000')).toEqual({ status: 'expired' });
  });

  it('counts down attempts; the 10th wrong code refuses the address for 10 minutes, even with the right code', () => {
    issue('i1');
    expect(codes.check('i1', '999999')).toEqual({ status: 'wrong', attemptsLeft: 9 });
    for (let i = 0; i < 8; i += 1) {
      codes.check('i1', '999999');
    }
    expect(codes.check('i1', '999999')).toEqual({
      status: 'wrong',
      attemptsLeft: 0,
      locked: { until: now + 10 * minute, secondsLeft: 600 },
    });
    expect(codes.check('i1', '100000')).toEqual({ status: 'locked', until: now + 10 * minute, secondsLeft: 600 });
  });

  it('refuses the 11th try on one code when the address has budget left (a test may raise the budget)', () => {
    codes = new VerificationCodes({ ttlSeconds: 600, maxAttempts: 10, wrongCodesPerHour: 50, now: () => now, generate: () => '100000' });
    issue('i1');
    for (let i = 0; i < 10; i += 1) {
      codes.check('i1', '999999');
    }
    expect(codes.check('i1', '100000')).toEqual({ status: 'exhausted' });
  });

  it('never resets the wrong attempts of an address when a new code is issued, in any interaction', () => {
    issue('i1');
    for (let i = 0; i < 4; i += 1) codes.check('i1', '999999');
    now += minute;
    // The decoy in between used to reset the victim's attempts.
    issue('i1', decoy);
    now += minute;
    issue('i1');
    expect(codes.check('i1', '999999')).toEqual({ status: 'wrong', attemptsLeft: 5 });
    now += minute;
    issue('i2');
    for (let i = 0; i < 4; i += 1) codes.check('i2', '999999');
    expect(codes.check('i2', '999999')).toMatchObject({ status: 'wrong', attemptsLeft: 0, locked: { secondsLeft: 600 } });
    expect(codes.check('i1', '100002')).toMatchObject({ status: 'locked' });
    expect(codes.check('i2', '100003')).toMatchObject({ status: 'locked' });
    expect(codes.sendRefusal('a@example.com')).toMatchObject({ reason: 'locked', secondsLeft: 600 });
    // Another address is not affected.
    expect(codes.sendRefusal('decoy@example.com')).toBeUndefined();
  });

  it('lets the right code in after the lockout; while the hour is spent, a wrong one locks again at once', () => {
    issue('i1');
    for (let i = 0; i < 10; i += 1) codes.check('i1', '999999');
    now += 10 * minute;
    expect(codes.sendRefusal('a@example.com')).toBeUndefined();
    issue('i2');
    expect(codes.check('i2', '999999')).toMatchObject({ status: 'wrong', attemptsLeft: 0, locked: { until: now + 10 * minute } });
    now += 10 * minute;
    issue('i3');
    expect(codes.check('i3', '100002')).toMatchObject({ status: 'ok' });
    // The owner proved the inbox: a typo now counts from zero.
    issue('i4', decoy);
    now += minute;
    issue('i5');
    expect(codes.check('i5', '999999')).toEqual({ status: 'wrong', attemptsLeft: 9 });
  });

  it('counts the 60 s resend countdown per interaction: a new sign-in for the same address may send at once (as Logto)', () => {
    issue('i1');
    now += 30_000;
    expect(codes.resendIn('i1')).toBe(30);
    expect(codes.resendIn('i2')).toBe(0);
    expect(codes.sendRefusal('a@example.com')).toBeUndefined();
    issue('i2');
    expect(codes.resendIn('i2')).toBe(60);
    now += 30_000;
    expect(codes.resendIn('i1')).toBe(0);
  });

  it("mails at most 10 codes to one address per 10 minutes (Logto's message rate guard), and says when the next one may go", () => {
    const first = now;
    for (let i = 0; i < 10; i += 1) {
      issue(`i${i}`);
      now += 30_000;
    }
    expect(codes.sendRefusal('a@example.com')).toEqual({ reason: 'quota', until: first + 10 * minute, secondsLeft: 5 * 60 });
    expect(codes.sendRefusal('b@example.com')).toBeUndefined();
    now = first + 10 * minute;
    expect(codes.sendRefusal('a@example.com')).toBeUndefined();
  });

  it('gives a send back when its delivery failed, and puts back the code the person still has', () => {
    const kept = issue('i1');
    now += minute;
    const failed = codes.issue('i1', request);
    codes.restore('i1', kept, failed);
    expect(codes.get('i1')).toBe(kept);
    expect(codes.sendRefusal('a@example.com')).toBeUndefined();
    const limited = new VerificationCodes({ ttlSeconds: 600, maxAttempts: 10, codesPerWindow: 1, now: () => now });
    const lost = limited.issue('i1', request);
    limited.restore('i1', undefined, lost);
    expect(limited.get('i1')).toBeUndefined();
    expect(limited.sendRefusal('a@example.com')).toBeUndefined();
  });

  it('keeps codes of different interactions apart', () => {
    codes.issue('i1', request);
    codes.issue('i2', decoy);
    expect(codes.check('i1', '100001')).toMatchObject({ status: 'wrong' });
    expect(codes.check('i2', '100001')).toMatchObject({ status: 'ok' });
  });
});
