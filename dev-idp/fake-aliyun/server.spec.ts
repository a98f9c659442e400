import { randomUUID } from 'node:crypto';

import { signRpcRequest } from './rpc-signature.ts';
import { startFakeAliyunDm, type FakeAliyunDm } from './server.ts';

const accessKeyId = 'test-id';
const secret = 'test-secret';
const sender = 'no-reply@mail.example.com';
let fake: FakeAliyunDm;

beforeEach(async () => {
  fake = await startFakeAliyunDm({ accessKeys: { [accessKeyId]: secret }, accounts: [sender] });
});
afterEach(async () => {
  await fake.stop();
});

function singleSendMail(overrides: Record<string, string | undefined> = {}): Map<string, string> {
  const parameters: Record<string, string | undefined> = {
    Action: 'SingleSendMail',
    Format: 'json',
    Version: '2015-11-23',
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: randomUUID(),
    Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    AccessKeyId: accessKeyId,
    RegionId: 'cn-hangzhou',
    AccountName: sender,
    ReplyToAddress: 'false',
    AddressType: '1',
    ToAddress: 'reader@example.com',
    Subject: 'Your code',
    HtmlBody: '<p>Your code is 246810</p>',
    ...overrides,
  };
  return new Map(Object.entries(parameters).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

async function post(parameters: Map<string, string>, signWith = secret): Promise<{ status: number; body: Record<string, unknown> }> {
  const form = new URLSearchParams([...parameters, ['Signature', signRpcRequest('POST', parameters, signWith)]]);
  const response = await fetch(fake.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('fake Aliyun DirectMail endpoint', () => {
  it('accepts a correctly signed SingleSendMail like Aliyun, with EnvId and RequestId, and records the mail', async () => {
    const { status, body } = await post(singleSendMail());

    expect(status).toBe(200);
    expect(body).toEqual({ EnvId: expect.stringMatching(/^\d+$/), RequestId: expect.any(String) });
    expect(fake.messages).toEqual([
      expect.objectContaining({ to: 'reader@example.com', subject: 'Your code', html: '<p>Your code is 246810</p>', envId: body.EnvId }),
    ]);
  });

  it('answers a wrong signature with Aliyun’s SignatureDoesNotMatch error shape', async () => {
    const { status, body } = await post(singleSendMail(), 'wrong-secret');

    expect(status).toBe(400);
    expect(body).toEqual({
      Code: 'SignatureDoesNotMatch',
      Message: expect.any(String),
      RequestId: expect.any(String),
      HostId: 'dm.aliyuncs.com',
      Recommend: expect.stringContaining('SignatureDoesNotMatch'),
    });
    expect(fake.messages).toEqual([]);
  });

  it.each([
    ['an unknown AccessKeyId', { AccessKeyId: 'who-is-this' }, 404, 'InvalidAccessKeyId.NotFound'],
    [
      'a Timestamp older than 15 minutes',
      { Timestamp: new Date(Date.now() - 16 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z') },
      400,
      'InvalidTimeStamp.Expired',
    ],
    ['a Timestamp that is not ISO 8601', { Timestamp: 'yesterday' }, 400, 'InvalidTimeStamp.Format'],
    ['another Action', { Action: 'BatchSendMail' }, 404, 'InvalidApi.NotFound'],
    ['another API Version', { Version: '2017-06-22' }, 400, 'InvalidVersion'],
    ['no SignatureNonce', { SignatureNonce: undefined }, 400, 'MissingSignatureNonce'],
    ['no AccountName', { AccountName: undefined }, 400, 'MissingAccountName'],
    ['no ToAddress', { ToAddress: undefined }, 400, 'MissingToAddress'],
    ['no Subject', { Subject: undefined }, 400, 'MissingSubject'],
    ['no HtmlBody nor TextBody', { HtmlBody: undefined }, 400, 'MissingHtmlBody'],
    ['a sender address not configured', { AccountName: 'someone@mail.example.com' }, 404, 'InvalidMailAddress.NotFound'],
    ['a malformed recipient', { ToAddress: 'not-an-address' }, 400, 'InvalidToAddress'],
  ])('refuses %s', async (_case, overrides, status, code) => {
    const answer = await post(singleSendMail(overrides));

    expect(answer).toEqual({ status, body: expect.objectContaining({ Code: code }) });
    expect(fake.messages).toEqual([]);
  });

  it('refuses a replayed SignatureNonce', async () => {
    const parameters = singleSendMail();

    const first = await post(parameters);
    const replay = await post(parameters);

    expect(first.status).toBe(200);
    expect(replay).toEqual({ status: 400, body: expect.objectContaining({ Code: 'SignatureNonceUsed' }) });
    expect(fake.messages).toHaveLength(1);
  });

  it('fails with an injected error until it is cleared, and failWith can decide per request', async () => {
    await fake.stop();
    fake = await startFakeAliyunDm({
      accessKeys: { [accessKeyId]: secret },
      accounts: [sender],
      failWith: (request) => (request.parameters.ToAddress === 'full@example.com' ? 'quota' : null),
    });

    fake.setFailure('throttling');
    const throttled = await post(singleSendMail());
    fake.setFailure(null);
    const quota = await post(singleSendMail({ ToAddress: 'full@example.com' }));
    const delivered = await post(singleSendMail());

    expect(throttled).toEqual({ status: 400, body: expect.objectContaining({ Code: 'Throttling.User' }) });
    expect(quota).toEqual({ status: 400, body: expect.objectContaining({ Code: 'InvalidSendMail.Spam' }) });
    expect(delivered.status).toBe(200);
    expect(fake.requests.map((r) => r.code ?? r.status)).toEqual(['Throttling.User', 'InvalidSendMail.Spam', 200]);
  });

  it('still checks the signature before answering with an injected failure', async () => {
    fake.setFailure('unavailable');

    expect((await post(singleSendMail(), 'wrong-secret')).body).toMatchObject({ Code: 'SignatureDoesNotMatch' });
    expect((await post(singleSendMail())).status).toBe(503);
  });

  it('stops promptly even while it holds a request without answering', async () => {
    fake.setFailure('hang');
    const pending = post(singleSendMail()).catch((error: unknown) => error);
    await waitFor(() => fake.requests.length === 1);

    await fake.stop();

    expect(String(await pending)).toContain('fetch failed'); // the held request ends instead of waiting forever
    fake = await startFakeAliyunDm({ accessKeys: {}, accounts: [] }); // for afterEach
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!condition()) throw new Error('condition not met');
}
