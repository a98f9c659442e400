/**
 * The Console's "send a test email" for our setup: sends one code through the configured Aliyun
 * DM connector (same config lookup and environment as the identity server) and says what happened.
 *   node dev-idp/mail/aliyun-send-test.ts --to you@example.com [--usage-type SignIn]
 */
import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';

import { AliyunDmConfigError } from './aliyun-config.ts';
import { selectMailTransport } from './select-transport.ts';
import { DeliveryError, type UsageType } from './types.ts';

const { values } = parseArgs({
  options: { to: { type: 'string' }, 'usage-type': { type: 'string', default: 'Generic' } },
});
if (!values.to) {
  console.error('Usage: node dev-idp/mail/aliyun-send-test.ts --to you@example.com [--usage-type SignIn]');
  process.exit(2);
}

try {
  const transport = await selectMailTransport(process.env, (line) => console.log(line));
  if (!transport) {
    console.error('No Aliyun DM connector config: set ALIYUN_DM_CONFIG or create dev-idp/aliyun-dm.json (see docs/aliyun-dm.md).');
    process.exit(1);
  }
  const code = String(randomInt(1_000_000)).padStart(6, '0');
  const { subject } = await transport.send({ to: values.to, usageType: values['usage-type'] as UsageType, code });
  console.log(`Sent "${subject}" with code ${code} to ${values.to}.`);
} catch (error) {
  if (error instanceof DeliveryError) console.error(`${error.userMessage}\n  detail: ${error.detail}`);
  else if (error instanceof AliyunDmConfigError) console.error(error.message);
  else throw error;
  process.exit(1);
}
