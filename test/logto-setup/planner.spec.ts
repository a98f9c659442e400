import { loadIdentityConfig } from '../../dev-idp/identity-config.ts';
import { defaultTenantFile, DesiredStateError, loadDesiredTenant, type DesiredTenant } from '../../scripts/logto-setup/desired-state.ts';
import { planTenant, PlanError, type CurrentTenant, type Operation } from '../../scripts/logto-setup/planner.ts';

const desired: DesiredTenant = loadDesiredTenant();
const connectorConfig: Record<string, unknown> = { ...desired.emailConnector.config, accessKeyId: 'id-1', accessKeySecret: 'secret-1' };
const options = { connectorConfig, replaceEmailConnector: false };

/** What a brand-new Logto Cloud tenant holds: nothing of ours, username + password sign-in. */
const newTenant: CurrentTenant = {
  applications: [],
  resources: [],
  roles: [],
  connectors: [],
  signInExperience: {
    signInMode: 'SignInAndRegister',
    signUp: { identifiers: ['username'], password: true, verify: false },
    signIn: { methods: [{ identifier: 'username', password: true, verificationCode: false, isPasswordPrimary: true }] },
    forgotPasswordMethods: null,
  },
};

/** Applies operations the way Logto would, giving the tenant after the run. */
function applied(tenant: CurrentTenant, operations: readonly Operation[]): CurrentTenant {
  let next = { ...tenant, resources: tenant.resources.map((r) => ({ ...r, scopes: [...r.scopes] })) };
  let id = 0;
  for (const op of operations) {
    id += 1;
    switch (op.kind) {
      case 'create-application':
        next = { ...next, applications: [...next.applications, { id: `app${id}`, ...op.body }] };
        break;
      case 'update-application':
        next = { ...next, applications: next.applications.map((app) => (app.id === op.id ? { ...app, ...op.body } : app)) };
        break;
      case 'create-resource':
        next = { ...next, resources: [...next.resources, { id: `res${id}`, ...op.body, scopes: [] }] };
        break;
      case 'create-scope':
        next.resources.find((r) => r.indicator === op.resourceIndicator)!.scopes.push({ id: `scope${id}`, ...op.body });
        break;
      case 'create-role':
        next = {
          ...next,
          roles: [
            ...next.roles,
            {
              id: `role${id}`,
              ...op.body,
              scopes: op.permissions.map((p, i) => ({ id: `rs${id}-${i}`, name: p.scope, resourceIndicator: p.resourceIndicator })),
            },
          ],
        };
        break;
      case 'update-role':
        next = { ...next, roles: next.roles.map((role) => (role.id === op.id ? { ...role, ...op.body } : role)) };
        break;
      case 'add-role-permissions':
        next = {
          ...next,
          roles: next.roles.map((role) =>
            role.id === op.id
              ? {
                  ...role,
                  scopes: [
                    ...role.scopes,
                    ...op.permissions.map((p) => ({ id: 'x', name: p.scope, resourceIndicator: p.resourceIndicator })),
                  ],
                }
              : role,
          ),
        };
        break;
      case 'create-connector':
        next = {
          ...next,
          connectors: [...next.connectors.filter((c) => c.type !== 'Email'), { id: `con${id}`, type: 'Email', ...op.body }],
        };
        break;
      case 'update-connector':
        next = { ...next, connectors: next.connectors.map((c) => (c.id === op.id ? { ...c, ...op.body } : c)) };
        break;
      case 'update-sign-in-experience':
        next = { ...next, signInExperience: { ...op.body } };
        break;
    }
  }
  return next;
}

describe('the Logto tenant planner', () => {
  it('plans everything for a new tenant: resources, the Native app, the connector, then the sign-in experience', () => {
    const plan = planTenant(desired, newTenant, options);
    expect(plan.conflict).toBeUndefined();
    const kinds = plan.operations.map((op) => op.kind);
    expect(kinds.filter((kind) => kind === 'create-resource')).toHaveLength(desired.resources.length);
    expect(kinds.indexOf('create-application')).toBeGreaterThan(kinds.lastIndexOf('create-scope'));
    expect(kinds.at(-2)).toBe('create-connector');
    expect(kinds.at(-1)).toBe('update-sign-in-experience');
    const app = plan.operations.find((op) => op.kind === 'create-application');
    expect(app?.body.oidcClientMetadata.redirectUris).toEqual(['com.example.app://callback', 'http://localhost:8100/callback']);
    expect(app?.body.customClientMetadata['rotateRefreshToken']).toBe(true);
  });

  it("gives the sign-in experience the app's languages and brand colours (identity.config.json), no logo without a URL", () => {
    const plan = planTenant(desired, newTenant, options);
    const update = plan.operations.find((op) => op.kind === 'update-sign-in-experience');
    expect(update?.summary).toContain('languages, brand colours');
    expect(update?.body).toMatchObject({
      languageInfo: { autoDetect: true, fallbackLanguage: 'en' },
      color: { primaryColor: '#3451c9', isDarkModeEnabled: true, darkPrimaryColor: '#9db4ff' },
    });
    expect(update?.body).not.toHaveProperty('branding');
  });

  it('sets the logo URLs when brand.logoUrl is given, keeping the favicon the tenant has; a drifted colour is one change', () => {
    const identity = loadIdentityConfig();
    const branded = loadDesiredTenant(defaultTenantFile, {
      ...identity,
      brand: { ...identity.brand, logoUrl: 'https://cdn.example.com/logo.svg', darkLogoUrl: 'https://cdn.example.com/logo-dark.svg' },
    });
    const after = applied(newTenant, planTenant(desired, newTenant, options).operations);
    const withFavicon = {
      ...after,
      signInExperience: { ...after.signInExperience, branding: { favicon: 'https://cdn.example.com/favicon.ico' } },
    };
    const plan = planTenant(branded, withFavicon, options);
    expect(plan.operations).toHaveLength(1);
    expect(plan.operations[0]!.summary).toBe('update sign-in experience: logos');
    expect((plan.operations[0] as { body?: unknown }).body).toMatchObject({
      branding: {
        favicon: 'https://cdn.example.com/favicon.ico',
        logoUrl: 'https://cdn.example.com/logo.svg',
        darkLogoUrl: 'https://cdn.example.com/logo-dark.svg',
      },
    });
    const drifted = {
      ...after,
      signInExperience: {
        ...after.signInExperience,
        color: { primaryColor: '#6139F6', isDarkModeEnabled: false, darkPrimaryColor: '#8476FF' },
      },
    };
    expect(planTenant(desired, drifted, options).operations.map((op) => op.summary)).toEqual(['update sign-in experience: brand colours']);
  });

  it('refuses a brand colour Logto would refuse, before anything is sent', () => {
    const identity = loadIdentityConfig();
    expect(() => loadDesiredTenant(defaultTenantFile, { ...identity, brand: { ...identity.brand, primaryColor: 'blue' } })).toThrow(
      DesiredStateError,
    );
  });

  it('is idempotent: the tenant after a run needs nothing more', () => {
    const after = applied(newTenant, planTenant(desired, newTenant, options).operations);
    expect(planTenant(desired, after, options)).toEqual({ operations: [] });
  });

  it('never puts connector values (the access key pair) in a summary', () => {
    const after = applied(newTenant, planTenant(desired, newTenant, options).operations);
    const rotated = { ...options, connectorConfig: { ...connectorConfig, accessKeySecret: 'secret-2' } };
    const plan = planTenant(desired, after, rotated);
    expect(plan.operations.map((op) => op.summary)).toEqual([
      expect.stringMatching(/^update email connector aliyun-direct-mail .*: accessKeySecret$/),
    ]);
    expect(JSON.stringify(plan.operations.map((op) => op.summary))).not.toContain('secret-2');
  });

  it('updates the existing app (matched by name and type) instead of creating a second one, and sets rotation explicitly', () => {
    const after = applied(newTenant, planTenant(desired, newTenant, options).operations);
    const drifted: CurrentTenant = {
      ...after,
      applications: after.applications.map((app) => ({
        ...app,
        oidcClientMetadata: {
          redirectUris: ['com.example.app://old'],
          postLogoutRedirectUris: app.oidcClientMetadata.postLogoutRedirectUris,
        },
        customClientMetadata: { corsAllowedOrigins: desired.application.corsAllowedOrigins },
      })),
    };
    const plan = planTenant(desired, drifted, options);
    expect(plan.operations).toHaveLength(1);
    expect(plan.operations[0]).toMatchObject({ kind: 'update-application', id: after.applications[0]!.id });
    expect(plan.operations[0]!.summary).toContain('redirect URIs, refresh-token rotation → on');
    // Same name but another type is another application.
    const spa = { ...after, applications: after.applications.map((app) => ({ ...app, type: 'SPA' })) };
    expect(planTenant(desired, spa, options).operations.map((op) => op.kind)).toEqual(['create-application']);
  });

  it('refuses two applications with the same name and type', () => {
    const after = applied(newTenant, planTenant(desired, newTenant, options).operations);
    const twice = { ...after, applications: [...after.applications, { ...after.applications[0]!, id: 'other' }] };
    expect(() => planTenant(desired, twice, options)).toThrow(PlanError);
  });

  it('does not replace another email connector unless asked to', () => {
    const withSendGrid: CurrentTenant = {
      ...newTenant,
      connectors: [
        { id: 'sg1', connectorId: 'sendgrid-email-service', type: 'Email', config: {} },
        { id: 'gh1', connectorId: 'github-universal', type: 'Social', config: {} },
      ],
    };
    const refused = planTenant(desired, withSendGrid, options);
    expect(refused.conflict).toMatch(/already has an email connector, sendgrid-email-service \(sg1\).*--replace-email-connector/);

    const replaced = planTenant(desired, withSendGrid, { ...options, replaceEmailConnector: true });
    expect(replaced.conflict).toBeUndefined();
    expect(replaced.operations.find((op) => op.kind === 'create-connector')).toMatchObject({
      replaces: { id: 'sg1', connectorId: 'sendgrid-email-service' },
    });
    // A social connector is never an email connector.
    expect(planTenant(desired, { ...newTenant, connectors: [withSendGrid.connectors[1]!] }, options).conflict).toBeUndefined();
  });

  it('updates an existing aliyun-direct-mail connector in place, naming the templates that changed', () => {
    const after = applied(newTenant, planTenant(desired, newTenant, options).operations);
    const templates = (connectorConfig.templates as { usageType: string; subject: string }[]).map((t) =>
      t.usageType === 'SignIn' ? { ...t, subject: 'Old subject' } : t,
    );
    const stale = { ...after, connectors: after.connectors.map((c) => ({ ...c, config: { ...c.config, templates } })) };
    const plan = planTenant(desired, stale, options);
    expect(plan.operations).toEqual([
      expect.objectContaining({ kind: 'update-connector', summary: expect.stringContaining('templates[usageType=SignIn]') }),
    ]);
  });

  it('compares the connector config as Logto stores it (cleanDeep drops empty fields)', () => {
    const withEmptyAlias = { ...options, connectorConfig: { ...connectorConfig, fromAlias: '' } };
    const after = applied(newTenant, planTenant(desired, newTenant, withEmptyAlias).operations);
    const stored = { ...after, connectors: after.connectors.map((c) => ({ ...c, config: { ...c.config, fromAlias: undefined } })) };
    expect(planTenant(desired, stored, withEmptyAlias).operations).toEqual([]);
  });

  it('adds only the missing permission to an existing API resource', () => {
    const after = applied(newTenant, planTenant(desired, newTenant, options).operations);
    const missing = { ...after, resources: after.resources.map((r, i) => (i === 0 ? { ...r, scopes: [] } : r)) };
    expect(planTenant(desired, missing, options).operations).toEqual([
      expect.objectContaining({
        kind: 'create-scope',
        resourceIndicator: desired.resources[0]!.indicator,
        body: expect.objectContaining({ name: 'read:books' }),
      }),
    ]);
  });

  it('creates a default user role granting every permission, after the permissions and before the app', () => {
    const plan = planTenant(desired, newTenant, options);
    const kinds = plan.operations.map((op) => op.kind);
    expect(kinds.indexOf('create-role')).toBeGreaterThan(kinds.lastIndexOf('create-scope'));
    expect(kinds.indexOf('create-role')).toBeLessThan(kinds.indexOf('create-application'));
    const role = plan.operations.find((op) => op.kind === 'create-role');
    expect(role).toMatchObject({ body: { name: 'Bookstore reader', type: 'User', isDefault: true } });
    expect(role?.kind === 'create-role' && role.permissions).toEqual(
      desired.resources.map((resource) => ({ resourceIndicator: resource.indicator, scope: 'read:books' })),
    );
    expect(role?.summary).toContain('(default: given to every new user) granting read:books on https://api.bookstore.local');
  });

  it('repairs a drifted role: default again, and only the missing permission added', () => {
    const after = applied(newTenant, planTenant(desired, newTenant, options).operations);
    const drifted: CurrentTenant = {
      ...after,
      roles: after.roles.map((role) => ({ ...role, isDefault: false, scopes: role.scopes.slice(1) })),
    };
    const plan = planTenant(desired, drifted, options);
    expect(plan.operations).toEqual([
      expect.objectContaining({ kind: 'update-role', body: { isDefault: true } }),
      expect.objectContaining({
        kind: 'add-role-permissions',
        permissions: [{ resourceIndicator: desired.resources[0]!.indicator, scope: 'read:books' }],
      }),
    ]);
    expect(planTenant(desired, applied(drifted, plan.operations), options).operations).toEqual([]);
    // A permission granted beyond ours is left alone.
    const extra = {
      ...after,
      roles: after.roles.map((role) => ({ ...role, scopes: [...role.scopes, { id: 'w', name: 'write:books', resourceIndicator: 'x' }] })),
    };
    expect(planTenant(desired, extra, options).operations).toEqual([]);
  });

  it('refuses a machine-to-machine role with the user role name', () => {
    const m2mRole = { id: 'r1', name: desired.userRole.name, description: '', type: 'MachineToMachine', isDefault: false, scopes: [] };
    expect(() => planTenant(desired, { ...newTenant, roles: [m2mRole] }, options)).toThrow(
      /MachineToMachine role named "Bookstore reader"/,
    );
  });
});
