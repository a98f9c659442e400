import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { FakeAliyunDm } from '../fake-aliyun/server.ts';
import { codeIn, consoleConfig, consoleTemplates, startTestAliyun, testKeys } from './aliyun-fixtures.ts';
import { selectMailTransport } from './select-transport.ts';

const exampleConfig = fileURLToPath(new URL('../aliyun-dm.example.json', import.meta.url));
const sendTestScript = fileURLToPath(new URL('./aliyun-send-test.ts', import.meta.url));
const keysInEnv = { ALIYUN_DM_ACCESS_KEY_ID: testKeys.accessKeyId, ALIYUN_DM_ACCESS_KEY_SECRET: testKeys.accessKeySecret };
const quiet = (): void => undefined;

let dir: string;
let fake: FakeAliyunDm | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'select-transport-'));
});
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
  await rm(dir, { recursive: true, force: true });
});

describe('choosing how the identity server sends codes', () => {
  it('without a connector config there is no extra transport: the dev mailbox delivers', async () => {
    const transport = await selectMailTransport({}, quiet, { defaultConfigPath: join(dir, 'aliyun-dm.json') });

    expect(transport).toBeNull();
  });

  it('uses dev-idp/aliyun-dm.json when it exists, with the keys from the environment', async () => {
    fake = await startTestAliyun();
    const defaultConfigPath = join(dir, 'aliyun-dm.json');
    const { accessKeyId: _id, accessKeySecret: _secret, ...secretFree } = consoleConfig();
    await writeFile(defaultConfigPath, JSON.stringify(secretFree));

    const transport = await selectMailTransport({ ...keysInEnv, ALIYUN_DM_ENDPOINT: fake.url }, quiet, { defaultConfigPath });
    await transport?.send({ to: 'reader@example.com', usageType: 'Register', code: '135790' });

    expect(transport?.name).toBe('aliyun-dm');
    expect(codeIn(fake.messages[0]?.html ?? '')).toBe('135790');
  });

  it('ALIYUN_DM_CONFIG names the config file', async () => {
    fake = await startTestAliyun({ accounts: ['no-reply@mail.example.com'] });

    const transport = await selectMailTransport({ ...keysInEnv, ALIYUN_DM_CONFIG: exampleConfig, ALIYUN_DM_ENDPOINT: fake.url }, quiet, {
      defaultConfigPath: join(dir, 'absent.json'),
    });
    const { subject } = await transport!.send({ to: 'reader@example.com', usageType: 'SignIn', code: '246802' });

    // Bilingual: the connector's templates have no language (see docs/aliyun-dm.md).
    expect(subject).toBe('Your Bookstore sign-in code · 你的 Bookstore 登录验证码');
    const html = fake.messages[0]?.html ?? '';
    expect(html).toMatch(/<div lang="en">.*246802.*<\/div><hr><div lang="zh-CN">.*246802.*验证码 10 分钟内有效/);
    expect(fake.messages[0]).toMatchObject({ accountName: 'no-reply@mail.example.com', fromAlias: 'Bookstore' });
  });

  it('a bad config stops start-up with a message naming the field and the template', async () => {
    const path = join(dir, 'bad.json');
    const templates = consoleTemplates().map((t) => (t.usageType === 'SignIn' ? { ...t, content: 'Hello' } : t));
    await writeFile(path, JSON.stringify(consoleConfig({ templates })));

    await expect(selectMailTransport({ ALIYUN_DM_CONFIG: path }, quiet)).rejects.toThrow(
      'templates[usageType=SignIn].content must contain {{code}}',
    );
  });

  it('a config path that does not exist stops start-up', async () => {
    await expect(selectMailTransport({ ALIYUN_DM_CONFIG: join(dir, 'typo.json') }, quiet)).rejects.toThrow(
      /typo\.json cannot be read: the file does not exist/,
    );
  });

  it('an ALIYUN_DM_ENDPOINT that is not a URL stops start-up', async () => {
    await expect(
      selectMailTransport({ ...keysInEnv, ALIYUN_DM_CONFIG: exampleConfig, ALIYUN_DM_ENDPOINT: '127.0.0.1:3003' }, quiet),
    ).rejects.toThrow('ALIYUN_DM_ENDPOINT "127.0.0.1:3003" is not a URL (e.g. http://127.0.0.1:3003/)');
  });
});

describe('outside Jest (plain Node, as npm start runs it)', () => {
  it('routes the real connector to ALIYUN_DM_ENDPOINT through the Node module hook', async () => {
    fake = await startTestAliyun({ accounts: ['no-reply@mail.example.com'] });

    const { stdout } = await run(process.execPath, [sendTestScript, '--to', 'reader@example.com', '--usage-type', 'SignIn'], {
      ...keysInEnv,
      ALIYUN_DM_CONFIG: exampleConfig,
      ALIYUN_DM_ENDPOINT: fake.url,
    });

    expect(stdout).toContain('(routed by node-module-hook)');
    const printedCode = /with code (\d{6})/.exec(stdout)?.[1];
    expect(printedCode).toBeDefined();
    expect(fake.requests.map((r) => r.status)).toEqual([200]);
    expect(codeIn(fake.messages[0].html)).toBe(printedCode);
  });
});

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { env: { PATH: process.env.PATH, ...env }, timeout: 20_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stdout}\n${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}
