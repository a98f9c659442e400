/**
 * The session layer against the real local identity server over HTTP (real SDK, simulated
 * native shell): how long a full email-code sign-in takes end to end, and what 50 parallel
 * getAccessToken calls across the 3 resources cost after the tokens expired (grants, time).
 * Targets (read, not asserted): sign-in (pages + code + exchange) < 500 ms on loopback;
 * 50 parallel calls after expiry: 3 refresh grants (one per resource), never 2 at once, < 500 ms.
 */
import { startIdentityServer } from '../dev-idp/factory.ts';
import { HttpBrowser, mailboxCodeReader } from '../test/support/http-browser.ts';
import type { PlatformEvent } from '../src/app/auth/core/port';
import { createLogtoAuth, createMemoryStorage } from '../src/app/auth/logto/index';
import { httpPerson } from '../test/native-shell/http-person.ts';
import { nativeConfig } from '../test/adapter/harness.ts';
import { nativeShell, settle } from '../test/native-shell/shell.ts';
import { RESOURCES } from '../test/support/constants.ts';

const idp = await startIdentityServer({ port: 0, log: () => undefined, ttl: { accessToken: 2 } });

function openApp() {
  const events: PlatformEvent[] = [];
  // The adapter tests' configuration (native redirect URIs, the three resources).
  const auth = createLogtoAuth(nativeConfig(idp, { timers: { refreshMargin: 0 } }), {
    storage: createMemoryStorage(),
    log: () => undefined,
  });
  auth.port.subscribe((event) => events.push(event));
  return { auth, events };
}

async function signIn(email: string) {
  nativeShell.reset(); // before the app subscribes: reset drops every listener
  const app = openApp();
  nativeShell.use('android-url-first');
  nativeShell.person = httpPerson(new HttpBrowser(), { email, readCode: mailboxCodeReader(idp.endpoint) });
  const started = performance.now();
  await app.auth.port.startSignIn({ firstScreen: 'identifier:sign_in', identifiers: ['email'], loginHint: email });
  let ref: string | undefined;
  while (!ref) {
    ref = app.events.flatMap((e) => (e.type === 'CALLBACK_RECEIVED' ? [e.callback] : []))[0];
    if (!ref && performance.now() - started > 10_000) throw new Error(`no callback within 10 s for ${email}`);
    if (!ref) await settle(2);
  }
  await app.auth.port.completeSignIn(ref);
  return { app, ms: performance.now() - started };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

try {
  const signInTimes: number[] = [];
  for (let i = 0; i < 6; i++) {
    const { app, ms } = await signIn(`bench-${i}@example.com`);
    if (i > 0) signInTimes.push(ms); // the first one warms up the server's key and JIT
    app.auth.dispose();
  }
  console.log(
    `email-code sign-in, end to end:   median ${median(signInTimes).toFixed(0)} ms (${signInTimes.map((t) => t.toFixed(0)).join(', ')})`,
  );

  const { app } = await signIn('parallel@example.com');
  const rounds: { ms: number; grants: number; maxConcurrent: number }[] = [];
  for (let round = 0; round < 4; round++) {
    for (const resource of RESOURCES) await app.auth.getAccessToken(resource);
    await settle(2_600); // past the 2 s access-token lifetime
    idp.counters.reset();
    const started = performance.now();
    await Promise.all(Array.from({ length: 50 }, (_, i) => app.auth.getAccessToken(RESOURCES[i % 3])));
    rounds.push({
      ms: performance.now() - started,
      grants: idp.counters.refreshGrants,
      maxConcurrent: idp.counters.maxConcurrentRefreshGrants,
    });
  }
  console.log(
    `50 parallel getAccessToken after expiry: median ${median(rounds.map((r) => r.ms)).toFixed(0)} ms; ` +
      `refresh grants per round ${rounds.map((r) => r.grants).join(', ')}; max in flight ${Math.max(...rounds.map((r) => r.maxConcurrent))}`,
  );
  app.auth.dispose();
} finally {
  await idp.stop();
}
