/**
 * What the real Logto server (open-source, @logto/core 1.42.0) answered to each scenario of
 * scenarios.ts, as the differential against it (test/logto-oss/differential.spec.ts) measured
 * it. `npm test` holds the local identity server to these answers without a Logto build; the
 * differential fails when Logto's answers no longer match this record, so it cannot go stale
 * unnoticed. To refresh it, run the differential with LOGTO_DIFF_RECORD=<file> and copy the
 * outcomes written there.
 */
import type { Outcome } from './scenarios.ts';

export const recordedLogto: Readonly<Record<string, Outcome>> = {
  'a new address through the sign-in page': {
    send: {
      sent: true,
    },
    templates: ['SignIn'],
    code: 'accepted',
    steps: ['confirm-create-account'],
    signedIn: true,
  },
  'a known address through the sign-in page': {
    send: {
      sent: true,
    },
    templates: ['SignIn'],
    code: 'accepted',
    steps: [],
    signedIn: true,
  },
  'a new address through the registration page': {
    send: {
      sent: true,
    },
    templates: ['Register'],
    code: 'accepted',
    steps: [],
    signedIn: true,
  },
  'a known address through the registration page': {
    send: {
      sent: true,
    },
    templates: ['Register'],
    code: 'accepted',
    steps: ['confirm-sign-in-instead'],
    signedIn: true,
  },
  'forgot password with a known address': {
    send: {
      sent: true,
    },
    templates: ['ForgotPassword'],
    code: 'accepted',
    steps: ['stopped: session.not_supported_for_forgot_password'],
    signedIn: false,
  },
  'forgot password with an unknown address': {
    send: {
      sent: true,
    },
    guess: 'wrong',
    resend: {
      sent: true,
    },
    templates: [],
  },
  'a second code for the same address in a new sign-in within 60 s': {
    firstSend: {
      sent: true,
    },
    secondSend: {
      sent: true,
    },
    templates: ['SignIn', 'SignIn'],
    secondCodeInSecond: 'accepted',
    firstCodeInFirst: 'accepted',
  },
  '"Send a new code": the earlier code no longer works, the new one does': {
    send: {
      sent: true,
    },
    resend: {
      sent: true,
    },
    templates: ['SignIn', 'SignIn'],
    earlierCode: 'wrong',
    newCode: 'accepted',
  },
  'tokens: code exchange, ID token, a resource token by refresh': {
    exchange: {
      status: 200,
      fields: ['access_token', 'expires_in', 'id_token', 'refresh_token', 'scope', 'token_type'],
    },
    tokenType: 'Bearer',
    scope: 'openid offline_access profile email',
    idTokenAlg: 'ES384',
    idTokenClaims: [
      'aud',
      'created_at',
      'email',
      'email_verified',
      'exp',
      'iat',
      'iss',
      'name',
      'picture',
      'sub',
      'updated_at',
      'username',
    ],
    refresh: {
      status: 200,
      fields: ['access_token', 'expires_in', 'id_token', 'refresh_token', 'scope', 'token_type'],
    },
    resourceScope: 'read:books',
    accessTokenClaims: ['aud', 'client_id', 'exp', 'iat', 'iss', 'jti', 'scope', 'sub'],
    accessTokenAudience: 'https://api.bookstore.local',
    accessTokenScope: 'read:books',
    refreshRotated: true,
  },
  'refresh-token rotation and reuse: within 3 s answered again, later the grant is revoked': {
    first: {
      status: 200,
      fields: ['access_token', 'expires_in', 'id_token', 'refresh_token', 'scope', 'token_type'],
    },
    reusedWithinLeeway: {
      status: 200,
      fields: ['access_token', 'expires_in', 'id_token', 'refresh_token', 'scope', 'token_type'],
    },
    reuseGaveAnotherToken: true,
    reusedAfterLeeway: {
      status: 400,
      error: 'invalid_grant',
    },
    newestAfterRevocation: {
      status: 400,
      error: 'invalid_grant',
    },
  },
  'revocation of the refresh token': {
    revocation: {
      status: 200,
      body: '',
    },
    refreshAfter: {
      status: 400,
      error: 'invalid_grant',
    },
  },
  'end session: back to the app, the offline refresh token lives on': {
    backToApp: true,
    refreshAfter: {
      status: 200,
      fields: ['access_token', 'expires_in', 'id_token', 'refresh_token', 'scope', 'token_type'],
    },
  },
  'protocol refusals at the token endpoint': {
    unknownClient: {
      status: 400,
      error: 'invalid_client',
    },
    unknownResource: {
      status: 400,
      error: 'invalid_target',
    },
    unknownRefreshToken: {
      status: 400,
      error: 'invalid_grant',
    },
    badCode: {
      status: 400,
      error: 'invalid_grant',
    },
  },
};
