export { createLogtoAuth, type LogtoAuth, type LogtoAuthDeps, type PageEventTarget } from './logto-auth';
export { DEFAULT_LOGTO_TIMERS, type LogtoAuthConfig, type LogtoAuthTimers } from './config';
export { createMemoryStorage, createSecureStorage, createWebFallbackStorage, type TokenStorage } from './token-storage';
export type { AuthLogger, AuthLogLevel } from './error-mapping';
export type { LegacyPreferences } from './restore';
