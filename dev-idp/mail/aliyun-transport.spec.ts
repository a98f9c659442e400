import { createServer } from 'node:net';

import type { FakeAliyunDm, FakeFailure } from '../fake-aliyun/server.ts';
import { deliveryMessages } from './aliyun-delivery-errors.ts';
import { codeIn, consoleConfig, startTestAliyun, testKeys, testSender } from './aliyun-fixtures.ts';
import { createAliyunDmTransport } from './aliyun-transport.ts';
import { DeliveryError, type MailTransport } from './types.ts';

let fake: FakeAliyunDm | undefined;
const logLines: string[] = [];
const log = (line: string): void => {
  logLines.push(line);
};

afterEach(async () => {
  await fake?.stop();
  fake = undefined;
  logLines.length = 0;
});

async function transportTo(target: FakeAliyunDm, config = consoleConfig(), timeoutMs = 2_000): Promise<MailTransport> {
  return createAliyunDmTransport(config, { log, endpoint: target.url, timeoutMs });
}

async function deliveryFailure(send: Promise<unknown>): Promise<DeliveryError> {
  const error = await send.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof DeliveryError)) throw new Error(`expected a DeliveryError, got ${String(error)}`);
  return error;
}

describe('sending codes through the real Aliyun DM connector', () => {
  it('delivers the code to the DirectMail endpoint, whose signature check passes', async () => {
    fake = await startTestAliyun();
    const transport = await transportTo(fake);

    const { subject } = await transport.send({ to: 'reader@example.com', usageType: 'SignIn', code: '493817' });

    expect(subject).toBe('Bookstore SignIn code');
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({ status: 200, method: 'POST', originalHost: 'dm.aliyuncs.com' });
    expect(fake.requests[0].parameters).toMatchObject({
      Action: 'SingleSendMail',
      AccessKeyId: testKeys.accessKeyId,
      SignatureMethod: 'HMAC-SHA1',
      RegionId: 'cn-hangzhou',
    });
    expect(fake.messages).toEqual([
      expect.objectContaining({
        to: 'reader@example.com',
        subject: 'Bookstore SignIn code',
        accountName: testSender,
        fromAlias: 'Bookstore',
      }),
    ]);
    expect(codeIn(fake.messages[0].html)).toBe('493817');
    expect(logLines).toEqual([
      expect.stringContaining(`to ${fake.url} (routed by jest-module-registry)`),
      `aliyun-dm: sent a SignIn code to reader@example.com (EnvId ${fake.messages[0].envId}, RequestId ${fake.messages[0].requestId})`,
    ]);
  });

  it('renders {{code}} in the subject as the connector does, and reports that subject', async () => {
    fake = await startTestAliyun();
    const config = consoleConfig();
    // Characters encodeURIComponent leaves alone and non-ASCII text: the signatures must still agree.
    const subject = "Code {{ code }} (don't share it!) *Bookstore*";
    const content = '<p>验证码 {{code}} — ¡hola! ~ 100% (10 min)</p>';
    const transport = await transportTo(fake, {
      ...config,
      templates: config.templates.map((t) => (t.usageType === 'Register' ? { ...t, subject, content } : t)),
    });

    const sent = await transport.send({ to: 'new@example.com', usageType: 'Register', code: '000123' });

    expect(sent.subject).toBe("Code 000123 (don't share it!) *Bookstore*");
    expect(fake.messages[0].subject).toBe(sent.subject);
    expect(fake.messages[0].html).toBe('<p>验证码 000123 — ¡hola! ~ 100% (10 min)</p>');
  });

  it.each(['MfaVerification', 'OrganizationInvitation', 'BindNewIdentifier'] as const)(
    'uses the Generic template for %s, as Logto does',
    async (usageType) => {
      fake = await startTestAliyun();
      const transport = await transportTo(fake);

      const { subject } = await transport.send({ to: 'reader@example.com', usageType, code: '777001' });

      expect(subject).toBe('Bookstore Generic code');
      expect(fake.messages[0].html).toContain('Generic verification code is <b>777001</b>');
    },
  );

  it('asks the regional DirectMail host that regionId names', async () => {
    fake = await startTestAliyun();
    const transport = await transportTo(fake, consoleConfig({ regionId: 'ap-southeast-1' }));

    await transport.send({ to: 'reader@example.com', usageType: 'SignIn', code: '112233' });

    expect(fake.requests[0].originalHost).toBe('dm.ap-southeast-1.aliyuncs.com');
    expect(fake.messages[0].regionId).toBe('ap-southeast-1');
  });
});

describe('signatures', () => {
  it('a request signed with the wrong secret is refused with SignatureDoesNotMatch and nothing is sent', async () => {
    fake = await startTestAliyun({ accessKeys: { [testKeys.accessKeyId]: 'the-real-secret' } });
    const transport = await transportTo(fake);

    const error = await deliveryFailure(transport.send({ to: 'reader@example.com', usageType: 'SignIn', code: '493817' }));

    expect(fake.requests[0]).toMatchObject({ status: 400, code: 'SignatureDoesNotMatch' });
    expect(fake.messages).toEqual([]);
    expect(error.userMessage).toBe(deliveryMessages.misconfigured);
    expect(error.detail).toContain('SignatureDoesNotMatch');
    expect(error.detail).toContain(fake.requests[0].requestId);
    expect(error.detail).toContain('accessKeySecret');
  });

  it('a signed request whose recipient was tampered with is refused; the untouched one is accepted once', async () => {
    fake = await startTestAliyun();
    const transport = await transportTo(fake);
    await transport.send({ to: 'reader@example.com', usageType: 'SignIn', code: '493817' });
    const signedBody = fake.requests[0].rawBody;
    const post = (body: string) =>
      fetch(fake!.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });

    const tampered = new URLSearchParams(signedBody);
    tampered.set('ToAddress', 'attacker@example.com');
    const tamperedAnswer = await post(tampered.toString());
    const replayAnswer = await post(signedBody);

    expect(tamperedAnswer.status).toBe(400);
    expect(await tamperedAnswer.json()).toMatchObject({ Code: 'SignatureDoesNotMatch' });
    expect(replayAnswer.status).toBe(400);
    expect(await replayAnswer.json()).toMatchObject({ Code: 'SignatureNonceUsed' });
    expect(fake.messages.map((m) => m.to)).toEqual(['reader@example.com']);
  });

  it('an access key DirectMail does not know is reported as a configuration problem', async () => {
    fake = await startTestAliyun({ accessKeys: { 'some-other-key': testKeys.accessKeySecret } });
    const transport = await transportTo(fake);

    const error = await deliveryFailure(transport.send({ to: 'reader@example.com', usageType: 'SignIn', code: '1' }));

    expect(error.userMessage).toBe(deliveryMessages.misconfigured);
    expect(error.detail).toMatch(/InvalidAccessKeyId\.NotFound.*ALIYUN_DM_ACCESS_KEY_ID/);
  });
});

describe('delivery failures reach the person as specific messages', () => {
  it('a sender address DirectMail does not know says delivery is misconfigured and names accountName in the detail', async () => {
    fake = await startTestAliyun({ accounts: ['someone-else@mail.bookstore.test'] });
    const transport = await transportTo(fake);

    const error = await deliveryFailure(transport.send({ to: 'reader@example.com', usageType: 'SignIn', code: '1' }));

    expect(error.userMessage).toBe(deliveryMessages.misconfigured);
    expect(error.detail).toContain('InvalidMailAddress.NotFound');
    expect(error.detail).toContain(`accountName "${testSender}"`);
  });

  it.each<[FakeFailure, string, string]>([
    ['unknownSender', deliveryMessages.misconfigured, 'InvalidMailAddress.NotFound'],
    ['throttling', 'We could not send the email. Please try again in a minute.', 'Throttling.User'],
    ['quota', deliveryMessages.quota, 'InvalidSendMail.Spam'],
    ['unavailable', deliveryMessages.unavailable, 'ServiceUnavailable'],
  ])('DirectMail answering %s', async (failure, userMessage, aliyunCode) => {
    fake = await startTestAliyun();
    fake.setFailure(failure);
    const transport = await transportTo(fake);

    const error = await deliveryFailure(transport.send({ to: 'reader@example.com', usageType: 'SignIn', code: '493817' }));

    expect(error.userMessage).toBe(userMessage);
    expect(error.detail).toContain(aliyunCode);
    expect(error.detail).toContain(`RequestId ${fake.requests[0].requestId}`);
    expect(`${error.userMessage} ${error.detail}`).not.toMatch(/493817|\n\s+at /);
  });

  it('a DirectMail endpoint that never answers gives up with a timeout message', async () => {
    fake = await startTestAliyun();
    fake.setFailure('hang');
    const transport = await transportTo(fake, consoleConfig(), 300);

    const error = await deliveryFailure(transport.send({ to: 'reader@example.com', usageType: 'SignIn', code: '1' }));

    expect(error.userMessage).toBe(deliveryMessages.timeout);
    expect(error.detail).toContain('did not answer in time');
  });

  it('an unreachable endpoint says the email service could not be reached', async () => {
    const closedPort = await freePort();
    const transport = await createAliyunDmTransport(consoleConfig(), { log, endpoint: `http://127.0.0.1:${closedPort}/` });

    const error = await deliveryFailure(transport.send({ to: 'reader@example.com', usageType: 'SignIn', code: '1' }));

    expect(error.userMessage).toBe(deliveryMessages.unreachable);
    expect(error.detail).toBe(`could not reach Aliyun DirectMail at http://127.0.0.1:${closedPort}/ (ECONNREFUSED)`);
  });

  it('a fromAlias longer than DirectMail allows is a configuration problem', async () => {
    fake = await startTestAliyun();
    const transport = await transportTo(fake, consoleConfig({ fromAlias: 'The Bookstore Team Mailer' }));

    const error = await deliveryFailure(transport.send({ to: 'reader@example.com', usageType: 'SignIn', code: '1' }));

    expect(error.userMessage).toBe(deliveryMessages.misconfigured);
    expect(error.detail).toContain('InvalidFromAlias.Malformed');
  });

  it('sending again works once DirectMail recovers', async () => {
    fake = await startTestAliyun();
    const transport = await transportTo(fake);
    fake.setFailure('throttling');
    await deliveryFailure(transport.send({ to: 'reader@example.com', usageType: 'SignIn', code: '100001' }));

    fake.setFailure(null);
    await transport.send({ to: 'reader@example.com', usageType: 'SignIn', code: '100002' });

    expect(fake.messages.map((m) => codeIn(m.html))).toEqual(['100002']);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
