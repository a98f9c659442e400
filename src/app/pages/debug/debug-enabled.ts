import { InjectionToken } from '@angular/core';

import { appSettings } from '../../app-settings';
import { devTools } from '../../../environments/build-mode';

/**
 * Whether the /debug page exists: always in development builds; in production builds only
 * when the app was built with AUTH_DEBUG_PAGE=1 (scripts/gen-app-settings.mjs → settings.debugPage).
 */
export const DEBUG_PAGE_ENABLED = new InjectionToken<boolean>('DEBUG_PAGE_ENABLED', {
  providedIn: 'root',
  factory: () => devTools || appSettings.debugPage,
});
