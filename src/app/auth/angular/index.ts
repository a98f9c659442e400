// The Angular binding of the auth machine. provideAuth() lives in ./provide-auth (imported by
// app.config.ts only), so screens and their tests never load the Logto SDK through this barrel.
// Core's files one by one, not its barrel: the barrel brings XState and the machine, which load
// after the first screen (auth-actor.ts).
export { AUTH_ERROR_TEXT, isAuthError } from '../core/errors';
export type { AuthError, AuthErrorKind, IdTokenClaims, SignInOptions } from '../core/port';
export { maskEmail } from '../core/redact';
export { HOME_PATH, returnAfterSignIn } from './after-sign-in';
export { authGuard, SIGN_IN_PATH } from './auth-guard';
export { authInterceptor } from './auth-interceptor';
export { AUTH_BACKEND, type AuthBackend } from './auth-backend';
export { AUTH_CONFIG, type ApiRoute, type AuthConfig } from './auth-config';
export { provideAuthWithBackend } from './auth-providers';
export { type AuthActor, AUTH_STATE_ATTRIBUTE, AUTH_UI_LOCALES, AuthService } from './auth-service';
export { ReturnUrl } from './return-url';
