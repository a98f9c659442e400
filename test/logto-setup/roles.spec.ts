/**
 * Permissions come from roles, on the local identity server as in Logto: a person's token for
 * the Bookstore API carries read:books only through a role that grants it. What a newcomer,
 * an existing user without the role, and the users of a data directory from before roles see;
 * and `npm run logto:setup -- --assign-role-to-existing-users` giving the role to existing users.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startFakeAliyunDm, type FakeAliyunDm } from '../../dev-idp/fake-aliyun/server.ts';
import { startIdentityServer, type RunningIdp } from '../../dev-idp/factory.ts';
import { HttpBrowser, mailboxCodeReader } from '../support/http-browser.ts';
import { createNodeLogtoClient } from '../support/node-logto-client.ts';
import { runSetupAgainst } from './support/run-setup.ts';

const bookstore = 'https://api.bookstore.local';
const m2m = { id: 'roles-m2m', secret: 'm2m-secret-for-the-roles-test', managementApiAccess: true };
const aliyunKeys = { accessKeyId: 'LTAI-roles', accessKeySecret: 'aliyun-secret-roles' };
const oldUser = {
  id: 'olduser00001',
  primaryEmail: 'old.reader@example.com',
  username: null,
  name: null,
  avatar: null,
  createdAt: 0,
  updatedAt: 0,
  lastSignInAt: null,
};

/** The scopes of a Bookstore API token for `email`, signed in with the dev mailbox's code. */
async function bookstoreScopes(idp: RunningIdp, email: string): Promise<string[]> {
  let authUrl = '';
  const { client } = createNodeLogtoClient(
    { endpoint: idp.endpoint, appId: idp.appId, scopes: ['email', 'read:books'], resources: [bookstore] },
    (url) => {
      authUrl = url;
    },
  );
  await client.signIn('com.example.app://callback');
  const { redirectedTo } = await new HttpBrowser().signIn(authUrl, { email, readCode: mailboxCodeReader(idp.endpoint) });
  await client.handleSignInCallback(redirectedTo!);
  const token = await client.getAccessToken(bookstore);
  const scope = (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { scope?: string }).scope ?? '';
  return scope.split(' ').filter(Boolean);
}

async function run(argv: string[], idp: RunningIdp): Promise<{ code: number; out: string; err: string }> {
  const { code, out, err } = await runSetupAgainst(argv, {
    endpoint: idp.endpoint,
    m2m,
    managementResource: idp.management.resource,
    aliyunKey: { id: aliyunKeys.accessKeyId, secret: aliyunKeys.accessKeySecret },
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('permissions through roles on the local identity server', () => {
  let dataDir: string;
  let fake: FakeAliyunDm;
  const logs: string[] = [];
  // The seeded tenant's connector has the key pair the command is given, mailing the fake DirectMail
  // (the dev mailbox records every code too): the command then has nothing to change there.
  const start = (port = 0) =>
    startIdentityServer({
      port,
      dataDir,
      m2mApps: [m2m],
      connectorSecrets: aliyunKeys,
      connectorEndpoint: fake.url,
      // The same person signs in again within a minute (before and after getting the role).
      codeLimits: { resendCooldownSeconds: 0 },
      log: (line) => logs.push(line),
    });

  beforeAll(async () => {
    const sender = (JSON.parse(await readFile(new URL('../../tenant/aliyun-dm.json', import.meta.url), 'utf8')) as { accountName: string })
      .accountName;
    fake = await startFakeAliyunDm({ accessKeys: { [aliyunKeys.accessKeyId]: aliyunKeys.accessKeySecret }, accounts: [sender] });
  });

  afterAll(async () => {
    await fake?.stop();
  });

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'roles-'));
    logs.length = 0;
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  /** A data directory as `npm start` leaves it, then edited (as an older server or a person would have left it). */
  async function prepared(edit: (tenant: Record<string, unknown>) => void): Promise<number> {
    const first = await start();
    await first.stop();
    const file = join(dataDir, 'tenant.json');
    const tenant = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    edit(tenant);
    await writeFile(file, JSON.stringify(tenant));
    await writeFile(join(dataDir, 'users.json'), JSON.stringify({ version: 1, users: [oldUser] }));
    return first.port;
  }

  it("`npm start`'s seeded tenant has the default role: a newcomer's Bookstore token carries read:books", async () => {
    const idp = await start();
    try {
      expect(await bookstoreScopes(idp, 'newcomer@example.com')).toEqual(['read:books']);
      // And `npm run logto:setup --local` finds the role as the repository describes it.
      expect((await run([], idp)).out).toContain('Nothing to change');
    } finally {
      await idp.stop();
    }
  });

  it('a data directory from before roles: its users get the default role once, and the server says so', async () => {
    const port = await prepared((tenant) => {
      delete tenant['roles'];
      delete tenant['usersRoles'];
    });
    const idp = await start(port);
    try {
      expect(logs.join('\n')).toContain('[tenant] gave the default role "Bookstore reader" to the 1 existing user');
      expect(await bookstoreScopes(idp, oldUser.primaryEmail)).toEqual(['read:books']);
    } finally {
      await idp.stop();
    }
  });

  it('an existing user without the role gets no permission; --assign-role-to-existing-users gives it (idempotent)', async () => {
    const port = await prepared((tenant) => {
      const roles = tenant['roles'] as { isDefault: boolean }[];
      roles[0]!.isDefault = false;
    });
    const idp = await start(port);
    try {
      expect(await bookstoreScopes(idp, oldUser.primaryEmail)).toEqual([]);
      // A newcomer while the role is not default: no permission either.
      expect(await bookstoreScopes(idp, 'early@example.com')).toEqual([]);

      const repaired = await run([], idp);
      expect(repaired.code).toBe(0);
      expect(repaired.out).toContain('~ update role "Bookstore reader"');
      expect(repaired.out).toContain('make it default (given to every new user)');
      expect(repaired.out).toContain(
        '2 existing users of 2 lack the role "Bookstore reader": their access tokens carry none of its permissions (the API answers 403). ' +
          'Run again with --assign-role-to-existing-users to give it to them.',
      );
      expect(await bookstoreScopes(idp, 'newer@example.com')).toEqual(['read:books']);

      const dry = await run(['--assign-role-to-existing-users', '--dry-run'], idp);
      expect(dry.out).toContain('Dry run: would give the role "Bookstore reader" to 2 existing users (1 have it).');
      const assigned = await run(['--assign-role-to-existing-users'], idp);
      expect(assigned.out).toContain('Gave the role "Bookstore reader" to 2 existing users (1 had it already).');
      expect(await bookstoreScopes(idp, oldUser.primaryEmail)).toEqual(['read:books']);
      const again = await run(['--assign-role-to-existing-users'], idp);
      expect(again.out).toContain('Every existing user (3) has the role "Bookstore reader".');
      expect(idp.management.requests.filter((request) => request.method === 'POST' && request.path.endsWith('/users'))).toHaveLength(1);
    } finally {
      await idp.stop();
    }
  });
});
