import { ChangeDetectionStrategy, Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { ActivatedRoute, Router } from '@angular/router';

import { routes as appRoutes } from '../../app.routes';
import { ReturnUrl } from '../../auth/angular';
import { FakeAuthBackend } from '../../auth/angular/testing/fake-auth-backend';
import { untilState } from '../../auth/angular/testing/provide-test-auth';
import { fakeErrors } from '../../auth/core/testing/fake-port';
import { renderPage } from '../testing/render-page';
import { Callback } from './callback';

@Component({ selector: 'app-stub', template: 'stub', changeDetection: ChangeDetectionStrategy.OnPush })
class Stub {}

const routes = [
  { path: 'callback', component: Stub },
  { path: 'callback/sign-out', component: Stub },
  { path: 'sign-in', component: Stub },
  { path: 'home', component: Stub },
  { path: 'orders/:id', component: Stub },
];

/** The web return: the app boots on /callback and restore finds this app's callback in the URL. */
function returningWithCallback(): FakeAuthBackend {
  const backend = new FakeAuthBackend({ pendingSignIn: { serial: 1, options: {} }, launchCallback: 'cb-1' });
  backend.port.hold('completeSignIn');
  return backend;
}

const url = () => TestBed.inject(Router).url;

describe('Callback page', () => {
  beforeEach(() => sessionStorage.clear());
  afterEach(() => TestBed.resetTestingModule());

  it('shows "Finishing sign-in…" while the code is exchanged, then opens the remembered page', async () => {
    sessionStorage.setItem('auth.returnUrl', '/orders/7');
    const backend = returningWithCallback();
    const page = await renderPage(Callback, { backend, routes, url: '/callback?code=abc&state=xyz' });
    await untilState(page.auth, 'signingIn.callback');
    await page.settle();
    expect(page.byTestId('callback-progress')?.textContent).toContain('Finishing sign-in…');
    expect(page.byTestId('callback-progress')?.getAttribute('role')).toBe('status');

    backend.port.resolveHeld('completeSignIn');
    await untilState(page.auth, 'authenticated');
    await page.settle();
    expect(url()).toBe('/orders/7');
    expect(TestBed.inject(ReturnUrl).consume('none')).toBe('none');
  });

  it('goes home when no page was remembered', async () => {
    const backend = returningWithCallback();
    const page = await renderPage(Callback, { backend, routes, url: '/callback?code=abc&state=xyz' });
    backend.port.resolveHeld('completeSignIn');
    await untilState(page.auth, 'authenticated');
    await page.settle();
    expect(url()).toBe('/home');
  });

  it('goes to sign-in, where the error is shown, when the exchange fails', async () => {
    const backend = returningWithCallback();
    const page = await renderPage(Callback, { backend, routes, url: '/callback?code=abc&state=xyz' });
    backend.port.rejectHeld('completeSignIn', fakeErrors.network());
    await untilState(page.auth, 'error');
    await page.settle();
    expect(url()).toBe('/sign-in');
  });

  it('goes to sign-in when the URL was not a callback of this app', async () => {
    const page = await renderPage(Callback, { routes, url: '/callback?code=forged' });
    await untilState(page.auth, 'idle');
    await page.settle();
    expect(url()).toBe('/sign-in');
  });

  it('says "Finishing sign-out…" on the sign-out return and ends on sign-in', async () => {
    const backend = new FakeAuthBackend();
    backend.port.hold('restore');
    // The page as the app's own sign-out return route shows it: with that route's data.
    const signOutReturn = appRoutes.find((route) => route.path === 'callback/sign-out');
    const page = await renderPage(Callback, {
      backend,
      routes,
      url: '/callback/sign-out',
      providers: [{ provide: ActivatedRoute, useValue: { snapshot: { data: signOutReturn?.data ?? {} } } }],
    });
    await page.settle();
    expect(page.byTestId('callback-progress')?.textContent).toContain('Finishing sign-out…');
    backend.port.resolveHeld('restore');
    await untilState(page.auth, 'idle');
    await page.settle();
    expect(url()).toBe('/sign-in');
  });
});
