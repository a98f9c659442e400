/** Callback admission on its own: parse, exact redirect URI, canonical form, replay, pending sign-in, state. */
import { CallbackAdmission } from '../../../src/app/auth/logto/callback-admission.ts';
import { CallbackVault } from '../../../src/app/auth/logto/callback-admission.ts';
import { writePendingSignIn } from '../../../src/app/auth/logto/pending-sign-in.ts';
import { createMemoryStorage } from '../../../src/app/auth/logto/token-storage.ts';
import { SIGN_IN_URI } from '../../support/constants.ts';

const MAX_AGE = 15 * 60_000;

async function setUp(options: { startedAt?: number; redirectUri?: string; session?: boolean } = {}) {
  const storage = createMemoryStorage();
  const now = 1_800_000_000_000;
  if (options.session !== false) {
    await storage.setItem(
      'signInSession',
      JSON.stringify({ redirectUri: options.redirectUri ?? SIGN_IN_URI, state: 'st-1', codeVerifier: 'v' }),
    );
  }
  await writePendingSignIn(storage, { options: {}, startedAt: options.startedAt ?? now });
  const logs: string[] = [];
  const vault = new CallbackVault();
  const admission = new CallbackAdmission({
    storage,
    vault,
    redirectUri: SIGN_IN_URI,
    pendingSignInMaxAge: MAX_AGE,
    now: () => now,
    log: (_level, message) => logs.push(message),
  });
  return { admission, vault, logs, now };
}

const good = `${SIGN_IN_URI}?code=c-1&state=st-1`;

describe('CallbackAdmission', () => {
  it('admits the answer to the pending sign-in under an opaque ref', async () => {
    const { admission, vault } = await setUp();
    const result = await admission.admit(good, 'deep-link');
    expect(result).toEqual({ ok: true, ref: 'cb-1' });
    expect(vault.isOpen('cb-1')).toBe(true);
  });

  it.each([
    ['not the redirect URI', 'com.example.app://callback/sign-out?code=c-1&state=st-1', 'it is not the sign-in redirect URI'],
    ['a look-alike that parses to the same URL', 'COM.EXAMPLE.APP://callback?code=c-1&state=st-1', 'the URL is not in its canonical form'],
    ['another state', `${SIGN_IN_URI}?code=c-1&state=st-2`, 'its state does not match the pending sign-in'],
    ['no state', `${SIGN_IN_URI}?code=c-1`, 'it carries no state'],
    ['a fragment', `${good}#x`, 'the URL is malformed'],
  ])('refuses %s, with the reason in the log', async (_name, url, reason) => {
    const { admission, logs } = await setUp();
    expect(await admission.admit(url, 'deep-link')).toEqual({ ok: false });
    expect(logs).toEqual([`refused a sign-in callback: ${reason}`]);
  });

  it('refuses a replay, but lets the launch URL repeat a deep link still being exchanged', async () => {
    const { admission } = await setUp();
    const [first, second] = await Promise.all([admission.admit(good, 'deep-link'), admission.admit(good, 'deep-link')]);
    expect([first.ok, second.ok]).toEqual([true, false]);
    expect(await admission.admit(good, 'launch')).toEqual(first);
  });

  it('refuses callbacks for a stale, half-missing or other-URI pending sign-in (the one rule restore uses too)', async () => {
    const stale = await setUp({ startedAt: 1_800_000_000_000 - MAX_AGE - 1 });
    expect(await stale.admission.admit(good, 'deep-link')).toEqual({ ok: false });
    expect(stale.logs).toEqual(['refused a sign-in callback: the pending sign-in is too old']);
    const half = await setUp({ session: false });
    expect(await half.admission.admit(good, 'deep-link')).toEqual({ ok: false });
    const other = await setUp({ redirectUri: 'http://localhost:8100/callback' });
    expect(await other.admission.admit(good, 'deep-link')).toEqual({ ok: false });
    expect(other.logs).toEqual(['refused a sign-in callback: no sign-in is pending']);
  });
});
