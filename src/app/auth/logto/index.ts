export { createLogtoAuth, type LogtoAuth, type LogtoAuthDeps, type PageEventTarget } from './logto-auth';
export { DEFAULT_LOGTO_TIMERS, type LogtoAuthConfig, type LogtoAuthTimers } from './config';
export { createMemoryStorage, createSecureStorage, createWebFallbackStorage, type SessionStorage } from './session-storage';
export type { AuthLogger, AuthLogLevel } from './auth-log';
export type { LegacyPreferences } from './legacy-migration';
