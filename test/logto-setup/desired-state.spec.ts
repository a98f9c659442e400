/** tenant/tenant.json is validated on load, and what it derives comes from identity.config.json. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { loadIdentityConfig } from '../../dev-idp/identity-config.ts';
import { DesiredStateError, loadDesiredTenant } from '../../scripts/logto-setup/desired-state.ts';

const identity = loadIdentityConfig();

describe('the desired tenant state', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'desired-'));
    await writeFile(join(dir, 'aliyun-dm.json'), await readFile(new URL('../../tenant/aliyun-dm.json', import.meta.url), 'utf8'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function load(tenant: unknown, connector?: unknown) {
    if (connector !== undefined) await writeFile(join(dir, 'aliyun-dm.json'), JSON.stringify(connector));
    await writeFile(join(dir, 'tenant.json'), JSON.stringify(tenant));
    return loadDesiredTenant(join(dir, 'tenant.json'));
  }

  it('derives redirect URIs, CORS origins, resources and the read:books permission from identity.config.json', () => {
    const desired = loadDesiredTenant();
    expect(desired.application).toMatchObject({ type: 'Native', rotateRefreshToken: true, corsAllowedOrigins: identity.appOrigins });
    expect(desired.resources.map((resource) => resource.indicator)).toEqual(identity.resources);
    // `email` is a user scope, not an API permission.
    expect(desired.resources.every((resource) => resource.scopes.map((scope) => scope.name).join() === 'read:books')).toBe(true);
    expect(desired.signInExperience).toEqual({
      signInMode: 'SignInAndRegister',
      signUp: { identifiers: ['email'], password: false, verify: true },
      signIn: { methods: [{ identifier: 'email', password: false, verificationCode: true, isPasswordPrimary: false }] },
      forgotPasswordMethods: [],
      // The app's languages and brand (identity.config.json); no logo without a hosted URL.
      languageInfo: { autoDetect: true, fallbackLanguage: 'en' },
      color: { primaryColor: '#3451c9', isDarkModeEnabled: true, darkPrimaryColor: '#9db4ff' },
    });
  });

  it('names every problem of a bad tenant.json', async () => {
    const error = await load({
      application: { name: '', rotateRefreshToken: 'yes' },
      emailConnector: { connectorId: 'aliyun-direct-mail', configFile: 'aliyun-dm.json' },
      signInExperience: { identifier: 'phone', password: false, verificationCode: false },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DesiredStateError);
    const message = (error as Error).message;
    expect(message).toContain('application.name must be a non-empty string');
    expect(message).toContain('application.rotateRefreshToken must be true or false');
    expect(message).toContain('signInExperience.identifier "phone" is not supported');
    expect(message).toContain('signInExperience needs a password or a verificationCode');
  });

  it('refuses a committed connector config that holds the access key pair', async () => {
    const connector = JSON.parse(await readFile(new URL('../../tenant/aliyun-dm.json', import.meta.url), 'utf8')) as Record<
      string,
      unknown
    >;
    const error = await load(
      { application: { name: 'App' }, emailConnector: { connectorId: 'aliyun-direct-mail', configFile: 'aliyun-dm.json' } },
      { ...connector, accessKeySecret: 'committed-by-mistake' },
    ).catch((caught: unknown) => caught);
    expect((error as Error).message).toContain('holds accessKeySecret: keep secrets out of the repo');
    expect((error as Error).message).not.toContain('committed-by-mistake');
  });

  it('turns a password on with forgot-password by email code, password first', async () => {
    const desired = await load({
      application: { name: 'App' },
      emailConnector: { connectorId: 'aliyun-direct-mail', configFile: 'aliyun-dm.json' },
      signInExperience: { password: true },
    });
    expect(desired.signInExperience.signIn.methods[0]).toEqual({
      identifier: 'email',
      password: true,
      verificationCode: true,
      isPasswordPrimary: true,
    });
    expect(desired.signInExperience.forgotPasswordMethods).toEqual(['EmailVerificationCode']);
  });
});
