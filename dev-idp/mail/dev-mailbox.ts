import type { MailRecord, MailTransport, OutgoingCode, UsageType } from './types.ts';

/**
 * Every code the identity server sends, newest first, whichever transport delivered it.
 * Printed to the terminal as it is recorded, so a newcomer finds the code without any setup.
 */
export class Mailbox {
  readonly #records: MailRecord[] = [];
  readonly #log: (line: string) => void;

  constructor(log: (line: string) => void) {
    this.#log = log;
  }

  record(record: MailRecord, via: string): void {
    this.#records.unshift(record);
    this.#log(`[mail] ${record.usageType} code ${record.code} for ${record.to} (via ${via}, subject "${record.subject}")`);
  }

  /** Newest first; `to` matches case-insensitively. */
  all(to?: string): MailRecord[] {
    const wanted = to?.trim().toLowerCase();
    return this.#records.filter((record) => !wanted || record.to.toLowerCase() === wanted).map((record) => ({ ...record }));
  }

  latestCode(to: string): string | undefined {
    return this.all(to)[0]?.code;
  }

  clear(): void {
    this.#records.length = 0;
  }
}

const subjects: Record<UsageType, string> = {
  Register: 'Your {{appName}} sign-up code is {{code}}',
  SignIn: 'Your {{appName}} sign-in code is {{code}}',
  ForgotPassword: 'Your {{appName}} password reset code is {{code}}',
  Generic: 'Your {{appName}} verification code is {{code}}',
  OrganizationInvitation: 'Your {{appName}} invitation code is {{code}}',
  UserPermissionValidation: 'Your {{appName}} verification code is {{code}}',
  BindNewIdentifier: 'Your {{appName}} verification code is {{code}}',
  MfaVerification: 'Your {{appName}} verification code is {{code}}',
  BindMfa: 'Your {{appName}} verification code is {{code}}',
};

/** The default transport: nothing leaves the machine; the mailbox record is the delivery. */
export function devMailboxTransport(appName: string): MailTransport {
  return {
    name: 'dev-mailbox',
    async send(message: OutgoingCode) {
      const subject = subjects[message.usageType].replaceAll('{{appName}}', appName).replaceAll('{{code}}', message.code);
      return { subject };
    },
  };
}
