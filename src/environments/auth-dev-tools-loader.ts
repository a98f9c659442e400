import type { AuthService } from '../app/auth/angular/auth-service';

/**
 * Loads the auth dev tools (inspector, console transition log, window handle). Its own file
 * because build-mode.ts is replaced as a whole in development builds.
 */
export type AuthDevToolsLoader = () => Promise<{ installDevTools(auth: AuthService): Promise<void> }>;
