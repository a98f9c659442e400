import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { type ApplicationConfig, inject, provideAppInitializer, provideBrowserGlobalErrorListeners } from '@angular/core';
import { provideRouter } from '@angular/router';
import { provideIonicAngular } from '@ionic/angular/provide';

import { appSettings as settings } from './app-settings';
import { routes } from './app.routes';
import { AUTH_UI_LOCALES, type AuthConfig, authInterceptor } from './auth/angular';
import { provideAuth } from './auth/angular/provide-auth';
import { I18n } from './i18n/i18n';

/**
 * Identity settings come from src/app-settings.generated.json (identity.config.json plus
 * LOGTO_ENDPOINT / LOGTO_APP_ID from the environment; see app-settings.ts), so pointing the app
 * at a real Logto tenant needs no code change.
 */
const authConfig: AuthConfig = {
  endpoint: settings.logto.endpoint,
  appId: settings.logto.appId,
  redirectUris: settings.redirectUris,
  scopes: settings.scopes,
  resources: settings.resources,
  apis: settings.apis,
  storageNamespace: settings.appId,
};

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideIonicAngular({}),
    provideRouter(routes),
    provideHttpClient(withInterceptors([authInterceptor])),
    provideAuth(authConfig),
    // A reader of another language than English waits for its pack (one small chunk) before the
    // first screen, rather than seeing English flash by; English readers wait for nothing.
    provideAppInitializer(() => inject(I18n).ready()),
    {
      provide: AUTH_UI_LOCALES,
      useFactory: () => {
        const i18n = inject(I18n);
        return () => i18n.lang();
      },
    },
  ],
};
