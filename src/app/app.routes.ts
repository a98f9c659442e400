import { inject } from '@angular/core';
import type { CanActivateFn, Routes } from '@angular/router';

import { authGuard } from './auth/angular';
import { DEBUG_PAGE_ENABLED } from './pages/debug/debug-enabled';

const loadHome = () => import('./pages/home/home').then((m) => m.Home);

/**
 * The router loads a route's component only after its guards, and home's guard waits for the
 * machine's restore: started here, home's code downloads meanwhile instead of after it (a launch
 * with a stored session, the common one; docs/benchmarks.md). A module loads once, so the route's
 * own load reuses it; a failed download here is the route's to report (it loads again).
 */
const prefetchHome: CanActivateFn = () => {
  loadHome().catch(() => undefined);
  return true;
};

/** Every screen is lazy: the initial bundle holds only the shell and the auth binding. */
export const routes: Routes = [
  { path: '', pathMatch: 'full', redirectTo: 'home' },
  { path: 'sign-in', loadComponent: () => import('./pages/sign-in/sign-in').then((m) => m.SignIn) },
  // Web return from the identity provider; the exact redirect URIs of the web platform.
  { path: 'callback', loadComponent: () => import('./pages/callback/callback').then((m) => m.Callback), data: { kind: 'signIn' } },
  {
    path: 'callback/sign-out',
    loadComponent: () => import('./pages/callback/callback').then((m) => m.Callback),
    data: { kind: 'signOut' },
  },
  { path: 'home', canActivate: [prefetchHome, authGuard], loadComponent: loadHome },
  { path: 'debug', canMatch: [() => inject(DEBUG_PAGE_ENABLED)], loadComponent: () => import('./pages/debug/debug').then((m) => m.Debug) },
  { path: '**', redirectTo: 'home' },
];
