import type { AuthDevToolsLoader } from './auth-dev-tools-loader';

/** Development build: dev tools (inspector, console transition log, window handle) are compiled in. */
export const devTools = true;
export const authDevTools: AuthDevToolsLoader | null = () => import('../app/auth/angular/dev-tools');
