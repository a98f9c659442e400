import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { AliyunDmConfigError, readAliyunDmConfig, validateAliyunDmConfig } from './aliyun-config.ts';
import { consoleConfig, consoleTemplates, testKeys } from './aliyun-fixtures.ts';

const noEnv: NodeJS.ProcessEnv = {};
const keysInEnv: NodeJS.ProcessEnv = {
  ALIYUN_DM_ACCESS_KEY_ID: testKeys.accessKeyId,
  ALIYUN_DM_ACCESS_KEY_SECRET: testKeys.accessKeySecret,
};

async function problemsOf(raw: unknown, env: NodeJS.ProcessEnv = noEnv): Promise<readonly string[]> {
  const error = await validateAliyunDmConfig(raw, { env, source: 'test.json' }).then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof AliyunDmConfigError)) throw new Error('expected the config to be refused');
  return error.problems;
}

describe('Aliyun DM connector config', () => {
  it('accepts the JSON a Logto Console user enters', async () => {
    const config = await validateAliyunDmConfig(consoleConfig(), { env: noEnv, source: 'test.json' });

    expect(config).toEqual(consoleConfig());
  });

  it.each(['Register', 'SignIn', 'ForgotPassword', 'Generic'])('refuses a config without a %s template', async (usageType) => {
    const templates = consoleTemplates().filter((t) => t.usageType !== usageType);

    expect(await problemsOf(consoleConfig({ templates }))).toEqual([
      `templates has no ${usageType} template (Logto requires Register, SignIn, ForgotPassword and Generic)`,
    ]);
  });

  it('names every missing template at once', async () => {
    const templates = consoleTemplates().filter((t) => t.usageType === 'SignIn');

    expect(await problemsOf(consoleConfig({ templates }))).toEqual([
      'templates has no Register, ForgotPassword and Generic templates (Logto requires Register, SignIn, ForgotPassword and Generic)',
    ]);
  });

  it('refuses a template whose content lacks {{code}}, naming the template by usage type', async () => {
    const templates = consoleTemplates().map((t) => (t.usageType === 'SignIn' ? { ...t, content: 'Welcome back!' } : t));

    expect(await problemsOf(consoleConfig({ templates }))).toEqual(['templates[usageType=SignIn].content must contain {{code}}']);
  });

  it('accepts {{ code }} with spaces, which the connector substitutes too', async () => {
    const templates = consoleTemplates().map((t) => ({ ...t, content: 'Your code: {{ code }}' }));

    await expect(validateAliyunDmConfig(consoleConfig({ templates }), { env: noEnv, source: 't' })).resolves.toBeDefined();
  });

  it('refuses an unknown region and lists the ones the connector knows', async () => {
    expect(await problemsOf(consoleConfig({ regionId: 'xx-north-9' }))).toEqual([
      'regionId "xx-north-9" is not one of cn-hangzhou, ap-southeast-1, ap-southeast-2, eu-central-1, us-east-1',
    ]);
  });

  it('refuses a missing key pair, saying where each key can come from', async () => {
    const { accessKeyId: _id, accessKeySecret: _secret, ...withoutKeys } = consoleConfig();

    expect(await problemsOf(withoutKeys)).toEqual([
      'accessKeyId is missing: set ALIYUN_DM_ACCESS_KEY_ID or put it in the file',
      'accessKeySecret is missing: set ALIYUN_DM_ACCESS_KEY_SECRET or put it in the file',
    ]);
  });

  it('counts blank keys and sender address as missing', async () => {
    expect(await problemsOf(consoleConfig({ accessKeyId: ' ', accessKeySecret: '', accountName: '' }))).toEqual([
      'accessKeyId is missing: set ALIYUN_DM_ACCESS_KEY_ID or put it in the file',
      'accessKeySecret is missing: set ALIYUN_DM_ACCESS_KEY_SECRET or put it in the file',
      'accountName is missing: the sender address from the DirectMail console (Sender Addresses)',
    ]);
  });

  it('takes the key pair from the environment, over what the file says', async () => {
    const { accessKeyId: _id, accessKeySecret: _secret, ...withoutKeys } = consoleConfig();

    const fromEnvOnly = await validateAliyunDmConfig(withoutKeys, { env: keysInEnv, source: 't' });
    const envOverFile = await validateAliyunDmConfig(consoleConfig({ accessKeyId: 'old-id', accessKeySecret: 'old' }), {
      env: keysInEnv,
      source: 't',
    });

    expect(fromEnvOnly).toMatchObject(testKeys);
    expect(envOverFile).toMatchObject(testKeys);
  });

  it('names the template and field of a template missing its content or of the wrong type', async () => {
    const templates: unknown[] = consoleTemplates().map((t) => (t.usageType === 'Register' ? { usageType: 'Register', subject: 'Hi' } : t));
    templates.push('not a template');

    expect(await problemsOf({ ...consoleConfig(), templates })).toEqual([
      'templates[usageType=Register].content is missing',
      'templates[4] must be an object, not a string',
    ]);
  });

  it('refuses JSON that is not an object', async () => {
    expect(await problemsOf([consoleConfig()])).toEqual(['the config must be a JSON object, not an array']);
  });

  it('warns about fields the connector would ignore (a typo stays visible)', async () => {
    const lines: string[] = [];

    await validateAliyunDmConfig(
      { ...consoleConfig(), fromAllias: 'Typo' },
      { env: noEnv, source: 'test.json', log: (l) => lines.push(l) },
    );

    expect(lines).toEqual([expect.stringContaining('ignoring unknown field "fromAllias"')]);
  });
});

describe('reading the config file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aliyun-dm-config-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('stops with one message naming the file and every problem', async () => {
    const path = join(dir, 'aliyun-dm.json');
    const templates = consoleTemplates().filter((t) => t.usageType !== 'Generic');
    await writeFile(path, JSON.stringify({ accountName: 'x@mail.example.com', regionId: 'moon-1', templates }));

    const error = await readAliyunDmConfig(path, noEnv).catch((reason: unknown) => reason);

    expect((error as Error).message).toBe(
      `Aliyun DM connector config (${path}) is invalid:\n` +
        '  - accessKeyId is missing: set ALIYUN_DM_ACCESS_KEY_ID or put it in the file\n' +
        '  - accessKeySecret is missing: set ALIYUN_DM_ACCESS_KEY_SECRET or put it in the file\n' +
        '  - regionId "moon-1" is not one of cn-hangzhou, ap-southeast-1, ap-southeast-2, eu-central-1, us-east-1\n' +
        '  - templates has no Generic template (Logto requires Register, SignIn, ForgotPassword and Generic)',
    );
  });

  it('reports a file that is not JSON', async () => {
    const path = join(dir, 'aliyun-dm.json');
    await writeFile(path, '{ "accountName": ');

    await expect(readAliyunDmConfig(path, noEnv)).rejects.toThrow(/the file is not valid JSON/);
  });

  it('reports a file that does not exist', async () => {
    const path = join(dir, 'nowhere.json');

    await expect(readAliyunDmConfig(path, noEnv)).rejects.toThrow(`${path} cannot be read: the file does not exist`);
  });

  it('the example file in the repository is valid once the environment supplies the key pair', async () => {
    const example = fileURLToPath(new URL('../aliyun-dm.example.json', import.meta.url));

    await expect(readAliyunDmConfig(example, noEnv)).rejects.toThrow(/accessKeyId is missing/);
    await expect(readAliyunDmConfig(example, keysInEnv)).resolves.toMatchObject({ regionId: 'cn-hangzhou', ...testKeys });
  });
});
