import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { type ApplicationConfig, provideBrowserGlobalErrorListeners } from '@angular/core';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { provideIonicAngular } from '@ionic/angular/provide';

import { appSettings as settings } from './app-settings';
import { routes } from './app.routes';
import { type AuthConfig, authInterceptor } from './auth/angular';
import { provideAuth } from './auth/angular/provide-auth';

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
    provideRouter(routes, withComponentInputBinding()),
    provideHttpClient(withInterceptors([authInterceptor])),
    provideAuth(authConfig),
  ],
};
