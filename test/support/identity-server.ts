import { startIdentityServer, type IdpOptions, type RunningIdp } from '../../dev-idp/factory.ts';

/**
 * For one spec file (or describe block): a local identity server on a free port, quiet unless
 * `options.log` says otherwise, started before its tests and stopped after them, which closes every
 * socket so Jest exits cleanly. Read `.idp` inside the tests: it is set once the server is up.
 */
export function useIdentityServer(options: IdpOptions = {}): { readonly idp: RunningIdp } {
  const state = {} as { idp: RunningIdp };
  beforeAll(async () => {
    state.idp = await startIdentityServer({ port: 0, log: () => undefined, ...options });
  });
  afterAll(async () => {
    await state.idp?.stop();
  });
  return state;
}
