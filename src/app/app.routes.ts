import { inject } from '@angular/core';
import type { Routes } from '@angular/router';

import { authGuard } from './auth/angular';
import { DEBUG_PAGE_ENABLED } from './pages/debug/debug-enabled';

/**
 * Home is the first screen of every launch with a stored session. The router would load it only
 * after the guard let it through (after restore); app.config.ts starts it at bootstrap instead,
 * in parallel with the restore, so parsing it overlaps the restore (docs/benchmarks.md).
 */
export const loadHome = () => import('./pages/home/home').then((m) => m.Home);

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
  { path: 'home', canActivate: [authGuard], loadComponent: loadHome },
  { path: 'debug', canMatch: [() => inject(DEBUG_PAGE_ENABLED)], loadComponent: () => import('./pages/debug/debug').then((m) => m.Debug) },
  { path: '**', redirectTo: 'home' },
];
