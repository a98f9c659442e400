// The Angular binding of the auth machine. provideAuth() lives in ./provide-auth (imported by
// app.config.ts only), so screens and their tests never load the Logto SDK through this barrel.
export {
  AUTH_ERROR_TEXT,
  type AuthError,
  type AuthErrorKind,
  type IdTokenClaims,
  isAuthError,
  maskEmail,
  type SignInOptions,
} from '../core';
export { HOME_PATH, returnAfterSignIn } from './after-sign-in';
export { authGuard, SIGN_IN_PATH } from './auth-guard';
export { authInterceptor } from './auth-interceptor';
export { AUTH_BACKEND, type AuthBackend } from './auth-backend';
export { AUTH_CONFIG, type ApiRoute, type AuthConfig } from './auth-config';
export { provideAuthWithBackend } from './auth-providers';
export { AUTH_STATE_ATTRIBUTE, AUTH_UI_LOCALES, AuthService } from './auth-service';
export { ReturnUrl } from './return-url';
