/**
 * Runs the fake Aliyun DirectMail endpoint on its own, for trying the Aliyun connector without
 * an Aliyun account:
 *   node dev-idp/fake-aliyun/main.ts [--port 3003] [--access-key-id ID] [--access-key-secret S]
 *        [--account no-reply@mail.example.com]... [--fail throttling|quota|unknownSender|unavailable|hang]
 * It prints the environment that points `npm start` at it. Ctrl-C stops it.
 */
import { parseArgs } from 'node:util';

import { fakeFailureKinds, type FakeFailure } from './aliyun-errors.ts';
import { startFakeAliyunDm } from './server.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '3003' },
    host: { type: 'string', default: '127.0.0.1' },
    'access-key-id': { type: 'string', default: 'fake-access-key-id' },
    'access-key-secret': { type: 'string', default: 'fake-access-key-secret' },
    account: { type: 'string', multiple: true, default: ['no-reply@mail.example.com'] },
    fail: { type: 'string' },
  },
});

const fail = values.fail as FakeFailure | undefined;
if (fail && !fakeFailureKinds.includes(fail)) {
  console.error(`--fail must be one of ${fakeFailureKinds.join(', ')}`);
  process.exit(2);
}

const accessKeyId = values['access-key-id'];
const fake = await startFakeAliyunDm({
  port: Number(values.port),
  host: values.host,
  accessKeys: { [accessKeyId]: values['access-key-secret'] },
  accounts: values.account,
  log: (line) => console.log(line),
});
if (fail) fake.setFailure(fail);

console.log(`Fake Aliyun DirectMail listening on ${fake.url} (sender addresses: ${values.account.join(', ')})`);
console.log('Point the identity server at it (the example config names the first sender address):');
console.log(
  `  ALIYUN_DM_CONFIG=dev-idp/aliyun-dm.example.json ALIYUN_DM_ACCESS_KEY_ID=${accessKeyId} ` +
    `ALIYUN_DM_ACCESS_KEY_SECRET=${values['access-key-secret']} ALIYUN_DM_ENDPOINT=${fake.url} npm start`,
);

const stop = (): void => {
  void fake.stop().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
