/** Public API of the auth core: the machine, its events and context, and the port it needs. */
export * from './port';
export { authMachine, AUTH_MACHINE_ID, signOutUnreachableError, type AuthMachine } from './auth-machine';
export { AUTH_ACTOR_IDS } from './machine-actors';
export { createAuthMachine, type CreateAuthMachineOptions } from './create-auth-machine';
export { toMachineEvent, type AuthEvent, type AuthEventType } from './events';
export { initialAuthContext, isUsableClaims, type AuthContext } from './context';
export { AUTH_TAGS, type AuthTag } from './tags';
export { DEFAULT_TIMERS, resolveMachineTimers, type AuthTimers } from './timers';
export {
  AUTH_ERROR_KINDS,
  AUTH_ERROR_TEXT,
  AUTH_NOTICE_TEXT,
  cancelledNotice,
  AUTH_STEPS,
  authError,
  authErrorMessage,
  defaultRetryPolicy,
  isAuthError,
  toAuthError,
  type AuthErrorInit,
} from './errors';
export { stateToString } from './state-string';
export {
  createFlightRecorder,
  type FlightRecorder,
  type FlightRecorderEntry,
  type FlightRecorderOptions,
  type FlightReport,
  type InspectObserver,
} from './flight-recorder';
export {
  maskEmail,
  maskPhone,
  redactActorSnapshot,
  redactClaims,
  redactContext,
  redactError,
  redactSignInOptions,
  scrubText,
  type RedactedAuthContext,
} from './redact';
export { renderMermaid, renderStateChartDocument } from './chart';
