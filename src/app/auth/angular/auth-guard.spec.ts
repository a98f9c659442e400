import { ChangeDetectionStrategy, Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';

import { authGuard } from './auth-guard';
import { AuthService } from './auth-service';
import { ReturnUrl } from './return-url';
import { FakeAuthBackend, JANE } from './testing/fake-auth-backend';
import { provideTestAuth, untilState } from './testing/provide-test-auth';

@Component({ selector: 'app-blank', template: '', changeDetection: ChangeDetectionStrategy.OnPush })
class Blank {}

function setup(backend: FakeAuthBackend) {
  sessionStorage.clear();
  TestBed.configureTestingModule({
    providers: [
      provideTestAuth(backend),
      provideRouter([
        { path: 'sign-in', component: Blank },
        { path: 'orders/:id', component: Blank, canActivate: [authGuard] },
      ]),
    ],
  });
  return { auth: TestBed.inject(AuthService), router: TestBed.inject(Router) };
}

describe('authGuard', () => {
  afterEach(() => TestBed.resetTestingModule());

  it('lets a signed-in user through', async () => {
    const { router } = setup(new FakeAuthBackend({ session: JANE }));
    await router.navigateByUrl('/orders/7');
    expect(router.url).toBe('/orders/7');
  });

  it('sends a signed-out user to sign-in and remembers where they were going', async () => {
    const { router } = setup(new FakeAuthBackend());
    await router.navigateByUrl('/orders/7?tab=items');
    expect(router.url).toBe('/sign-in');
    expect(TestBed.inject(ReturnUrl).consume('/home')).toBe('/orders/7?tab=items');
  });

  it('waits while booting, then decides', async () => {
    const backend = new FakeAuthBackend({ session: JANE });
    backend.port.hold('restore');
    const { router, auth } = setup(backend);
    let done = false;
    const navigation = router.navigateByUrl('/orders/7').then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(done).toBe(false);
    expect(auth.state()).toBe('booting');
    backend.port.resolveHeld('restore');
    await navigation;
    expect(router.url).toBe('/orders/7');
  });

  it('waits while a callback is being completed (cold start by deep link), then lets the user in', async () => {
    const backend = new FakeAuthBackend({ pendingSignIn: { serial: 1, options: {} }, launchCallback: 'cb-1' });
    backend.port.hold('completeSignIn');
    const { router, auth } = setup(backend);
    let done = false;
    const navigation = router.navigateByUrl('/orders/7').then(() => (done = true));
    await untilState(auth, 'signingIn.callback');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(done).toBe(false);
    backend.port.resolveHeld('completeSignIn');
    await navigation;
    expect(router.url).toBe('/orders/7');
  });

  it('restores the remembered URL only once and never to another origin', () => {
    TestBed.configureTestingModule({});
    const returnUrl = TestBed.inject(ReturnUrl);
    returnUrl.remember('/orders/7');
    expect(returnUrl.consume('/home')).toBe('/orders/7');
    expect(returnUrl.consume('/home')).toBe('/home');
    for (const bad of ['//evil.example/x', 'https://evil.example', '/sign-in', '/callback?code=x']) {
      returnUrl.remember(bad);
      expect(returnUrl.consume('/home')).toBe('/home');
    }
  });
});
