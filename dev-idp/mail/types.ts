/**
 * The identity server's email-delivery interface (Logto's "connector" seam).
 * The dev mailbox transport and the Aliyun Direct Mail transport both implement it;
 * whichever delivers, every message is also recorded in the dev mailbox.
 */

/** Logto's verification-code usage types; unknown ones fall back to `Generic` in the templates. */
export type UsageType =
  | 'Register'
  | 'SignIn'
  | 'ForgotPassword'
  | 'Generic'
  | 'OrganizationInvitation'
  | 'UserPermissionValidation'
  | 'BindNewIdentifier'
  | 'MfaVerification'
  | 'BindMfa';

export interface OutgoingCode {
  readonly to: string;
  readonly usageType: UsageType;
  readonly code: string;
}

/** What the dev mailbox records and `GET /dev/mailbox` returns (the contract in docs/dev-idp.md). */
export interface MailRecord {
  readonly to: string;
  readonly usageType: UsageType;
  readonly subject: string;
  readonly code: string;
  /** ISO 8601 */
  readonly sentAt: string;
}

export interface MailTransport {
  /** Shown in logs, e.g. `dev-mailbox` or `aliyun-dm`. */
  readonly name: string;
  /** Delivers the code; resolves with the subject actually sent. Rejects with DeliveryError. */
  send(message: OutgoingCode): Promise<{ readonly subject: string }>;
}

/**
 * A delivery that failed for a reason the person signing in should hear about.
 * `userMessage` is shown on the code page; `detail` goes to the server log only.
 */
export class DeliveryError extends Error {
  readonly userMessage: string;
  readonly detail: string;

  constructor(userMessage: string, detail: string) {
    super(userMessage);
    this.name = 'DeliveryError';
    this.userMessage = userMessage;
    this.detail = detail;
  }
}
