import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { provideIonicAngular } from '@ionic/angular/provide';

import { routes } from './app.routes';
import { FakeAuthBackend, JANE } from './auth/angular/testing/fake-auth-backend';
import { provideTestAuth } from './auth/angular/testing/provide-test-auth';
import { DEBUG_PAGE_ENABLED } from './pages/debug/debug-enabled';

async function navigate(url: string, backend: FakeAuthBackend, debugPage = false): Promise<string> {
  sessionStorage.clear();
  TestBed.configureTestingModule({
    providers: [
      provideIonicAngular({}),
      provideRouter(routes),
      provideTestAuth(backend),
      { provide: DEBUG_PAGE_ENABLED, useValue: debugPage },
    ],
  });
  const router = TestBed.inject(Router);
  await router.navigateByUrl(url);
  return router.url;
}

describe('app routes', () => {
  afterEach(() => TestBed.resetTestingModule());

  it('sends a signed-out visitor of the root to sign-in', async () => {
    expect(await navigate('/', new FakeAuthBackend())).toBe('/sign-in');
  });

  it('opens home at the root for a signed-in person', async () => {
    expect(await navigate('/', new FakeAuthBackend({ session: JANE }))).toBe('/home');
  });

  it('protects home', async () => {
    expect(await navigate('/home', new FakeAuthBackend())).toBe('/sign-in');
  });

  it('has a debug page only when enabled (development build or AUTH_DEBUG_PAGE=1)', async () => {
    expect(await navigate('/debug', new FakeAuthBackend({ session: JANE }), false)).toBe('/home');
    TestBed.resetTestingModule();
    expect(await navigate('/debug', new FakeAuthBackend(), true)).toBe('/debug');
  });

  it('serves the web callback routes', async () => {
    const backend = new FakeAuthBackend();
    backend.port.hold('restore');
    expect(await navigate('/callback/sign-out', backend)).toBe('/callback/sign-out');
  });
});
