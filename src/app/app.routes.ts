import { inject } from '@angular/core';
import type { Routes } from '@angular/router';

import { authGuard } from './auth/angular';
import { DEBUG_PAGE_ENABLED } from './pages/debug/debug-enabled';

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
  { path: 'home', canActivate: [authGuard], loadComponent: () => import('./pages/home/home').then((m) => m.Home) },
  { path: 'debug', canMatch: [() => inject(DEBUG_PAGE_ENABLED)], loadComponent: () => import('./pages/debug/debug').then((m) => m.Debug) },
  { path: '**', redirectTo: 'home' },
];
