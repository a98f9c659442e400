/**
 * The boot reader (before the first screen, without the adapter) and the adapter's full restore
 * must never disagree: when the boot reader answers, the app shows its answer and never asks the
 * adapter. Both go through one decision (restore-decision.ts `decideRestore`); this runs both over every
 * combination of stored items and fails on the first launch where the boot reader's answer
 * differs from the full restore's over the same storage.
 */
import { Preferences } from '@capacitor/preferences';

import type { RestoreResult } from '../../src/app/auth/core/port.ts';
import { createLogtoAuth, createMemoryStorage } from '../../src/app/auth/logto/index.ts';
import { readBootSession } from '../../src/app/auth/logto/restore-decision.ts';
import { nativeShell } from '../native-shell/shell.ts';
import { nativeConfig } from './harness.ts';
import { SIGN_IN_URI } from '../support/constants.ts';

const NOW = Date.now();
const CLAIMS = {
  iss: 'https://idp.example/oidc',
  sub: 'u1',
  aud: 'app',
  exp: 2_000_000_000,
  iat: 1_700_000_000,
  email: 'jane@example.com',
};
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** Unsigned: both readers only decode a stored ID token (it was verified when it was stored). */
const VALID_ID_TOKEN = `${base64url({ alg: 'none' })}.${base64url(CLAIMS)}.sig`;
const SDK_SIGN_IN_SESSION = JSON.stringify({ redirectUri: SIGN_IN_URI, codeVerifier: 'v'.repeat(43), state: 'state-1' });
const OUR_PENDING_RECORD = JSON.stringify({ options: {}, startedAt: NOW - 60_000 });
const LAUNCH_CALLBACK = `${SIGN_IN_URI}?code=code-1&state=state-1`;

const choices = {
  idToken: { valid: VALID_ID_TOKEN, unreadable: 'not-a-jwt', missing: null },
  refreshToken: { stored: 'r'.repeat(43), missing: null },
  legacyMigrated: { done: '1', 'not yet': null },
  pendingSignIn: { ours: OUR_PENDING_RECORD, none: null },
  signInSession: { "the SDK's": SDK_SIGN_IN_SESSION, none: null },
  refreshUnanswered: { marked: '1', none: null },
  /** What an older install left in Preferences: the migration moves it (a sign-in that was in flight during the update). */
  preferences: { empty: null, 'a sign-in in flight': SDK_SIGN_IN_SESSION },
  launchUrl: { none: null, 'the sign-in callback': LAUNCH_CALLBACK },
} as const;

type Choice = { [K in keyof typeof choices]: keyof (typeof choices)[K] };

function* combinations(): Generator<Choice> {
  const keys = Object.keys(choices) as (keyof typeof choices)[];
  const walk = function* (index: number, partial: Partial<Choice>): Generator<Choice> {
    if (index === keys.length) {
      yield partial as Choice;
      return;
    }
    const key = keys[index];
    for (const option of Object.keys(choices[key])) yield* walk(index + 1, { ...partial, [key]: option });
  };
  yield* walk(0, {});
}

function storedItems(choice: Choice): Record<string, string> {
  const items: Record<string, string> = {};
  for (const key of ['idToken', 'refreshToken', 'legacyMigrated', 'pendingSignIn', 'signInSession', 'refreshUnanswered'] as const) {
    const value = (choices[key] as Record<string, string | null>)[choice[key]];
    if (value !== null) items[key] = value;
  }
  return items;
}

async function fullRestore(choice: Choice, items: Record<string, string>): Promise<RestoreResult> {
  nativeShell.reset();
  const preferences = choices.preferences[choice.preferences];
  if (preferences !== null) nativeShell.preferences.set('signInSession', preferences);
  const launchUrl = choices.launchUrl[choice.launchUrl];
  if (launchUrl !== null) nativeShell.relaunch({ launchUrl });
  const auth = createLogtoAuth(nativeConfig({ endpoint: 'https://idp.example', appId: 'app' }), {
    storage: createMemoryStorage(items),
    legacyPreferences: Preferences,
    fetch: () => Promise.reject(new Error('restore must not use the network')),
    now: () => NOW,
    log: () => undefined,
  });
  try {
    return await auth.port.restore();
  } finally {
    auth.dispose();
  }
}

describe('the boot reader and the full restore', () => {
  afterAll(() => nativeShell.reset());

  it('give the same answer over every combination of stored items the boot reader answers', async () => {
    let answered = 0;
    let total = 0;
    const disagreements: string[] = [];
    for (const choice of combinations()) {
      total += 1;
      const items = storedItems(choice);
      const boot = await readBootSession(createMemoryStorage(items));
      if (boot === null) continue;
      answered += 1;
      const full = await fullRestore(choice, items);
      if (JSON.stringify(full) !== JSON.stringify(boot)) {
        disagreements.push(`${JSON.stringify(choice)}: boot ${JSON.stringify(boot)}, full restore ${JSON.stringify(full)}`);
      }
    }
    expect(disagreements).toEqual([]);
    expect(total).toBe(3 * 2 * 2 * 2 * 2 * 2 * 2 * 2);
    // The launch the boot reader exists for (a stored session, nothing in flight) under every
    // Preferences content and launch URL; the test would pass vacuously if it answered none.
    expect(answered).toBe(4);
  });
});
