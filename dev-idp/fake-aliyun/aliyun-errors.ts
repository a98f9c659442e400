/**
 * The Aliyun error answers the fake endpoint gives, with the HTTP status, code and message
 * Aliyun documents (OpenAPI common error table and DirectMail's SingleSendMail error table).
 */

export interface AliyunError {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

const error = (status: number, code: string, message: string): AliyunError => ({ status, code, message });

export const gatewayErrors = {
  signatureDoesNotMatch: error(400, 'SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.'),
  signatureNonceUsed: error(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.'),
  accessKeyNotFound: error(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.'),
  timestampFormat: error(400, 'InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.'),
  timestampExpired: error(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.'),
  apiNotFound: error(404, 'InvalidApi.NotFound', 'Specified api is not found, please check your url and method.'),
  versionNotFound: error(400, 'InvalidVersion', 'Specified parameter Version is not valid.'),
  signatureMethod: error(400, 'InvalidParameter', 'SignatureMethod must be HMAC-SHA1 and SignatureVersion 1.0.'),
} as const;

/** `Missing{ParameterName}`, as Aliyun names it. */
export const missingParameter = (name: string): AliyunError => error(400, `Missing${name}`, `${name} is mandatory for this action.`);

export const singleSendMailErrors = {
  unknownSender: error(404, 'InvalidMailAddress.NotFound', 'The specified mailAddress does not exist.'),
  invalidToAddress: error(400, 'InvalidToAddress', 'The specified toAddress is wrongly formed.'),
  invalidSubject: error(400, 'InvalidSubject.Malformed', 'The specified subject is wrongly formed.'),
  invalidFromAlias: error(400, 'InvalidFromAlias.Malformed', 'The specified fromAlias is wrongly formed.'),
} as const;

/**
 * Failures a test (or someone trying the flow by hand) can switch on. DirectMail has no
 * separate quota code for SingleSendMail: an exhausted daily quota or frequency limit is
 * answered with `InvalidSendMail.Spam` ("check the user status, frequency limits, quota").
 */
export const injectableFailures = {
  unknownSender: singleSendMailErrors.unknownSender,
  throttling: error(400, 'Throttling.User', 'Request was denied due to user flow control.'),
  quota: error(400, 'InvalidSendMail.Spam', 'Sendmail rejected by spam filter.'),
  unavailable: error(503, 'ServiceUnavailable', 'The request has failed due to a temporary failure of the server.'),
} as const;

/** `hang` answers nothing at all (until the client gives up or the fake stops). */
export type FakeFailure = keyof typeof injectableFailures | 'hang';

export const fakeFailureKinds: readonly FakeFailure[] = [...(Object.keys(injectableFailures) as FakeFailure[]), 'hang'];
