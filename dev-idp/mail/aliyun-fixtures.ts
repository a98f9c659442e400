/**
 * Test fixtures: a Console-shaped connector config and a fake DirectMail endpoint that knows
 * its key pair and sender address. Used by the Aliyun specs only.
 */
import { startFakeAliyunDm, type FakeAliyunDm, type FakeAliyunDmOptions } from '../fake-aliyun/server.ts';
import type { AliyunDmConfig, AliyunDmTemplate } from './aliyun-config.ts';

export const testSender = 'no-reply@mail.bookstore.test';
export const testKeys = { accessKeyId: 'LTAI-test-key', accessKeySecret: 'test-secret-do-not-use' } as const;

export const consoleTemplates = (): AliyunDmTemplate[] =>
  (['Register', 'SignIn', 'ForgotPassword', 'Generic'] as const).map((usageType) => ({
    usageType,
    subject: `Bookstore ${usageType} code`,
    content: `<p>Your Bookstore ${usageType} verification code is <b>{{code}}</b>. It is valid for 10 minutes.</p>`,
  }));

/** What a user would paste into the Console, secrets included. */
export const consoleConfig = (overrides: Partial<AliyunDmConfig> = {}): AliyunDmConfig => ({
  ...testKeys,
  accountName: testSender,
  fromAlias: 'Bookstore',
  templates: consoleTemplates(),
  ...overrides,
});

export function startTestAliyun(options: Partial<FakeAliyunDmOptions> = {}): Promise<FakeAliyunDm> {
  return startFakeAliyunDm({
    accessKeys: { [testKeys.accessKeyId]: testKeys.accessKeySecret },
    accounts: [testSender],
    ...options,
  });
}

/** The six-digit code in a recorded HTML body, as a person would read it. */
export function codeIn(html: string): string | undefined {
  return /\b(\d{6})\b/.exec(html)?.[1];
}
