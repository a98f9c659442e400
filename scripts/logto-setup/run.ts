/**
 * `npm run logto:setup`: make a Logto tenant (Cloud, self-hosted, or the local identity server)
 * match tenant/tenant.json + identity.config.json. Reads, plans, prints the plan, applies it
 * (unless --dry-run), then prints the app id and the command that runs the app against it.
 * In-process and I/O-injected so the tests drive exactly what a person runs.
 */
import { loadIdentityConfig } from '../../dev-idp/identity-config.ts';
import { AliyunDmConfigError } from '../../dev-idp/mail/aliyun-config.ts';
import { DesiredStateError, loadDesiredTenant, resolveConnectorConfig, type DesiredTenant } from './desired-state.ts';
import { SetupError } from './errors.ts';
import { findApplication, findRole, planTenant, PlanError, type Operation } from './planner.ts';
import { withLocalDefaults } from './local-defaults.ts';
import { readSettings, type SetupSettings } from './settings.ts';
import { permissionKey, TenantClient, type KnownIds } from './tenant-client.ts';

export interface SetupIo {
  readonly env: NodeJS.ProcessEnv;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** Another desired-state file (tests); default tenant/tenant.json. */
  readonly tenantFile?: string;
}

export const helpText = `npm run logto:setup [-- options]

Makes a Logto tenant match this repository: tenant/tenant.json (the app's name, refresh-token
rotation, the Aliyun Direct Mail connector config file, the sign-in experience) plus what
identity.config.json says (redirect URIs, post sign-out redirect URIs, CORS origins, the API
resources and their read:books permission). Works against Logto Cloud, a self-hosted Logto and
the local identity server of \`npm start\`. Safe to re-run: a second run prints "Nothing to
change." and sends no write; a run that failed part-way is completed by the next.

It creates or updates, in this order:
  - the API resources of identity.config.json and their permissions (read:books)
  - the user role of tenant/tenant.json ("Bookstore reader"), granting those permissions and
    marked default: Logto puts a permission into a person's access token only through a role,
    and gives default roles to every user created afterwards
  - the Native application (matched by name and type): redirect URIs, post sign-out redirect
    URIs, CORS allowed origins, customClientMetadata.rotateRefreshToken
  - the email connector aliyun-direct-mail (config + the access key pair from the environment,
    checked by the connector's own guard and the {{code}} rule before anything is sent)
  - the sign-in experience: email identifier, verification code, password only if configured,
    verify at sign-up

Environment (all required):
  LOGTO_ENDPOINT               the tenant's endpoint, e.g. https://<tenant-id>.logto.app
  LOGTO_M2M_APP_ID             App ID of a machine-to-machine app with the Management API role
  LOGTO_M2M_APP_SECRET         its App secret
  LOGTO_MANAGEMENT_RESOURCE    Logto Cloud: https://<tenant-id>.logto.app/api
                               self-hosted (and the local server): https://default.logto.app/api
  ALIYUN_DM_ACCESS_KEY_ID      DirectMail AccessKey ID (never stored in the repo)
  ALIYUN_DM_ACCESS_KEY_SECRET  its AccessKey secret

Options:
  --local                     the local identity server of \`npm start\`: LOGTO_ENDPOINT,
                              LOGTO_MANAGEMENT_RESOURCE and the M2M app id/secret default to
                              what it keeps in its data directory (DEV_IDP_DATA_DIR, default
                              .dev-idp-data); the Aliyun key pair is still needed
  --dry-run                   print the plan, change nothing
  --replace-email-connector   a tenant has one email connector: replace another one (e.g. a
                              SendGrid connector) with aliyun-direct-mail; without this flag
                              the command stops instead
  --assign-role-to-existing-users
                              also give the user role to the users who exist already (a
                              default role reaches only users created afterwards); safe to
                              repeat: users who have it are skipped
  --send-test-email ADDRESS   first have Logto send a test code (000000, Generic template) to
                              ADDRESS through a connector built from the config and key pair,
                              like the Console's "Send" button; only if it arrives is anything
                              saved, so a wrong key pair never replaces a working connector
  --help                      this text

At the end it prints the app id and the command that runs the app against the tenant.
`;

interface Flags {
  readonly local: boolean;
  readonly dryRun: boolean;
  readonly replaceEmailConnector: boolean;
  readonly assignRoleToExistingUsers: boolean;
  readonly testEmail: string | undefined;
  readonly help: boolean;
}

function parseFlags(argv: readonly string[]): Flags {
  const flags = {
    local: false,
    dryRun: false,
    replaceEmailConnector: false,
    assignRoleToExistingUsers: false,
    testEmail: undefined as string | undefined,
    help: false,
  };
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index]!;
    if (arg === '--dry-run') flags.dryRun = true;
    else if (arg === '--local') flags.local = true;
    else if (arg === '--replace-email-connector') flags.replaceEmailConnector = true;
    else if (arg === '--assign-role-to-existing-users') flags.assignRoleToExistingUsers = true;
    else if (arg === '--help' || arg === '-h') flags.help = true;
    else if (arg === '--send-test-email' || arg.startsWith('--send-test-email=')) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++index];
      if (!value || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value))
        throw new SetupError('--send-test-email needs an email address, e.g. --send-test-email you@example.com');
      flags.testEmail = value;
    } else throw new SetupError(`Unknown option ${arg}. See npm run logto:setup -- --help`);
  }
  return flags;
}

/** Returns the exit code. */
export async function runSetup(argv: readonly string[], io: SetupIo): Promise<number> {
  try {
    const flags = parseFlags(argv);
    if (flags.help) {
      io.out(helpText);
      return 0;
    }
    return await setup(flags, io);
  } catch (error) {
    if (error instanceof SetupError || error instanceof DesiredStateError || error instanceof PlanError) {
      io.err(error.message);
    } else if (error instanceof AliyunDmConfigError) {
      io.err(`${error.message}\nNothing was sent to Logto.`);
    } else {
      // Not expected: still no stack trace, but enough to report it.
      io.err(`logto:setup failed unexpectedly: ${(error as Error)?.message ?? String(error)}`);
    }
    return 1;
  }
}

async function setup(flags: Flags, io: SetupIo): Promise<number> {
  const env = flags.local ? withLocalDefaults(io.env) : io.env;
  const settings = readSettings(env);
  const desired = loadDesiredTenant(io.tenantFile);
  const connectorConfig = { ...(await resolveConnectorConfig(desired, env)) };
  const client = new TenantClient(settings, [String(connectorConfig['accessKeySecret'] ?? '')]);
  await client.connect();
  const current = await client.readTenant(
    desired.resources.map((resource) => resource.indicator),
    desired.userRole.name,
  );
  const plan = planTenant(desired, current, { connectorConfig, replaceEmailConnector: flags.replaceEmailConnector });

  io.out(`Logto tenant ${settings.endpoint}`);
  if (plan.operations.length === 0) {
    io.out('Nothing to change: the tenant matches tenant/tenant.json and identity.config.json.');
  } else {
    io.out(`Plan (${plan.operations.length} change${plan.operations.length > 1 ? 's' : ''}):`);
    for (const operation of plan.operations) io.out(`  ${symbol(operation)} ${operation.summary}`);
  }
  if (plan.conflict) {
    io.err(plan.conflict);
    return 1;
  }

  if (flags.testEmail) {
    if (flags.dryRun) {
      io.out(`Dry run: no test email sent to ${flags.testEmail}.`);
    } else {
      // Before anything is saved: the connector Logto builds for the test is made from this config.
      await client.sendTestEmail(desired.emailConnector.connectorId, flags.testEmail, connectorConfig);
      io.out(`Test email sent to ${flags.testEmail} through ${desired.emailConnector.connectorId} (Generic template, code 000000).`);
    }
  }

  let appId = findApplication(desired.application, current.applications)?.id;
  let roleId = findRole(desired.userRole, current.roles)?.id;
  if (flags.dryRun) {
    io.out(plan.operations.length === 0 ? 'Dry run.' : 'Dry run: nothing was changed.');
  } else if (plan.operations.length > 0) {
    const ids: KnownIds = {
      resources: new Map(current.resources.map((resource) => [resource.indicator, resource.id])),
      scopes: new Map(
        current.resources.flatMap((resource) =>
          resource.scopes.map((scope) => [permissionKey({ resourceIndicator: resource.indicator, scope: scope.name }), scope.id] as const),
        ),
      ),
    };
    for (const operation of plan.operations) {
      const id = await client.apply(operation, ids);
      if (operation.kind === 'create-application') appId = id;
      if (operation.kind === 'create-role') roleId = id;
      io.out(`  ✓ ${operation.summary}`);
    }
    io.out(`Done: ${client.writes} change${client.writes > 1 ? 's' : ''} applied.`);
  }

  await existingUsers(io, client, desired, roleId, flags);
  printRunLine(io, settings, desired, appId);
  return 0;
}

/**
 * A default role reaches only users created after it became default: say how many existing users
 * lack it (their tokens carry none of its permissions), and give it to them when asked.
 */
async function existingUsers(io: SetupIo, client: TenantClient, desired: DesiredTenant, roleId: string | undefined, flags: Flags) {
  const role = desired.userRole.name;
  const users = await client.userIds();
  const holders = new Set(roleId ? await client.roleUserIds(roleId) : []);
  const without = users.filter((id) => !holders.has(id));
  if (without.length === 0) {
    if (flags.assignRoleToExistingUsers) io.out(`Every existing user (${users.length}) has the role "${role}".`);
    return;
  }
  const count = `${without.length} existing user${without.length > 1 ? 's' : ''}`;
  if (!flags.assignRoleToExistingUsers) {
    io.out(
      `${count} of ${users.length} lack${without.length > 1 ? '' : 's'} the role "${role}": their access tokens carry none of its permissions ` +
        `(the API answers 403). Run again with --assign-role-to-existing-users to give it to them.`,
    );
    return;
  }
  if (flags.dryRun || !roleId) {
    io.out(`Dry run: would give the role "${role}" to ${count} (${holders.size} have it).`);
    return;
  }
  await client.assignRole(roleId, without);
  io.out(`Gave the role "${role}" to ${count} (${holders.size} had it already).`);
}

function printRunLine(io: SetupIo, settings: SetupSettings, desired: DesiredTenant, appId: string | undefined): void {
  if (!appId) {
    io.out(`The application "${desired.application.name}" does not exist yet (dry run): run without --dry-run to create it.`);
    return;
  }
  io.out('');
  io.out(`App id: ${appId}`);
  io.out('Run the app against this tenant:');
  // npm start starts the local identity server only while LOGTO_ENDPOINT is unset: for that
  // server, setting it would run the app without it.
  const identity = loadIdentityConfig();
  const local = settings.endpoint === identity.logto.endpoint || settings.endpoint === `http://localhost:${identity.ports.idp}`;
  if (local) {
    io.out(`  LOGTO_APP_ID=${appId} npm start`);
    return;
  }
  io.out(`  LOGTO_ENDPOINT=${settings.endpoint} LOGTO_APP_ID=${appId} npm start`);
  io.out(
    `  (the app on http://localhost:${identity.ports.app}, and the sample API on http://localhost:${identity.ports.api} accepting this ` +
      `tenant's tokens for ${identity.apis[0]?.resource ?? 'the Bookstore API'}; no local identity server)`,
  );
}

function symbol(operation: Operation): string {
  return operation.kind.startsWith('create') || operation.kind.startsWith('add') ? '+' : '~';
}
