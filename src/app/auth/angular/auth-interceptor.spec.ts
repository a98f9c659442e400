import { HttpClient, HttpErrorResponse, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom } from 'rxjs';

import { authInterceptor } from './auth-interceptor';
import { AuthService } from './auth-service';
import { authErrorOf, deferred, FakeAuthBackend, JANE } from './testing/fake-auth-backend';
import { provideTestAuth, untilState } from './testing/provide-test-auth';

const BOOKSTORE = 'https://api.bookstore.local';
const REVIEWS = 'https://api.reviews.local';

function setup(backend = new FakeAuthBackend({ session: JANE })) {
  TestBed.configureTestingModule({
    providers: [
      provideTestAuth(backend, {
        apis: [
          { urlPrefix: 'http://localhost:3002/', resource: BOOKSTORE },
          { urlPrefix: 'http://localhost:3002/reviews/', resource: REVIEWS },
        ],
      }),
      provideHttpClient(withInterceptors([authInterceptor])),
      provideHttpClientTesting(),
    ],
  });
  return { backend, http: TestBed.inject(HttpClient), server: TestBed.inject(HttpTestingController), auth: TestBed.inject(AuthService) };
}

/** Lets the interceptor's token promise settle so the request reaches the testing backend. */
const flushPromises = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('authInterceptor', () => {
  afterEach(() => TestBed.resetTestingModule());

  it("attaches the configured API's access token", async () => {
    const { http, server, backend } = setup();
    const response = firstValueFrom(http.get('http://localhost:3002/bookshelf'));
    await flushPromises();
    const request = server.expectOne('http://localhost:3002/bookshelf');
    expect(request.request.headers.get('Authorization')).toBe(`Bearer token-${BOOKSTORE}-1`);
    request.flush({ books: [] });
    await expect(response).resolves.toEqual({ books: [] });
    expect(backend.calls.getAccessToken).toEqual([BOOKSTORE]);
  });

  it('uses the token of the longest matching prefix', async () => {
    const { http, server } = setup();
    void firstValueFrom(http.get('http://localhost:3002/reviews/latest'));
    await flushPromises();
    expect(server.expectOne('http://localhost:3002/reviews/latest').request.headers.get('Authorization')).toBe(`Bearer token-${REVIEWS}-1`);
  });

  it.each([
    ['another origin', 'https://example.com/bookshelf'],
    ['the identity server', 'http://localhost:3001/oidc/me'],
    ['a look-alike host', 'http://localhost:30021/bookshelf'],
    ['a host that only starts like the API', 'http://localhost:3002.evil.test/bookshelf'],
    ['user info that names the API', 'http://localhost:3002@evil.test/bookshelf'],
    ['a relative URL', '/assets/icon.svg'],
  ])('sends no token to %s', async (_what, url) => {
    const { http, server, backend } = setup();
    void firstValueFrom(http.get(url));
    await flushPromises();
    expect(server.expectOne(url).request.headers.has('Authorization')).toBe(false);
    expect(backend.calls.getAccessToken).toEqual([]);
  });

  it('refreshes once and retries once after a 401', async () => {
    const { http, server, backend } = setup();
    const response = firstValueFrom(http.get('http://localhost:3002/bookshelf'));
    await flushPromises();
    server.expectOne('http://localhost:3002/bookshelf').flush('expired', { status: 401, statusText: 'Unauthorized' });
    await flushPromises();
    const retry = server.expectOne('http://localhost:3002/bookshelf');
    expect(retry.request.headers.get('Authorization')).toBe(`Bearer token-${BOOKSTORE}-2`);
    retry.flush({ books: ['Dune'] });
    await expect(response).resolves.toEqual({ books: ['Dune'] });
    expect(backend.calls.refreshAccessToken).toEqual([BOOKSTORE]);
    expect(backend.calls.expireSession).toBe(0);
  });

  it('expires the session after a second 401 and passes the 401 on', async () => {
    const { http, server, backend, auth } = setup();
    await untilState(auth, 'authenticated');
    const response = firstValueFrom(http.get('http://localhost:3002/bookshelf'));
    await flushPromises();
    server.expectOne('http://localhost:3002/bookshelf').flush('expired', { status: 401, statusText: 'Unauthorized' });
    await flushPromises();
    server.expectOne('http://localhost:3002/bookshelf').flush('still no', { status: 401, statusText: 'Unauthorized' });
    await expect(response).rejects.toBeInstanceOf(HttpErrorResponse);
    expect(backend.calls.refreshAccessToken).toHaveLength(1);
    expect(backend.calls.expireSession).toBe(1);
    await untilState(auth, 'error');
    expect(auth.error()?.kind).toBe('session_expired');
    server.verify();
  });

  it('gets a fresh token and retries once after a 403 for a missing scope; a second one passes on and keeps the session', async () => {
    const { http, server, backend, auth } = setup();
    await untilState(auth, 'authenticated');
    const insufficient = {
      status: 403,
      statusText: 'Forbidden',
      headers: { 'WWW-Authenticate': 'Bearer error="insufficient_scope", scope="read:books"' },
    };
    const response = firstValueFrom(http.get('http://localhost:3002/bookshelf'));
    await flushPromises();
    server.expectOne('http://localhost:3002/bookshelf').flush('no', insufficient);
    await flushPromises();
    const retry = server.expectOne('http://localhost:3002/bookshelf');
    expect(retry.request.headers.get('Authorization')).toBe(`Bearer token-${BOOKSTORE}-2`);
    retry.flush('still no', insufficient);
    await expect(response).rejects.toMatchObject({ status: 403 });
    expect(backend.calls.refreshAccessToken).toEqual([BOOKSTORE]);
    expect(backend.calls.expireSession).toBe(0);
    expect(auth.hasSession()).toBe(true);
    server.verify();
  });

  it('does not refresh for a 403 that is not about the token (no insufficient_scope)', async () => {
    const { http, server, backend } = setup();
    const response = firstValueFrom(http.get('http://localhost:3002/bookshelf'));
    await flushPromises();
    server.expectOne('http://localhost:3002/bookshelf').flush('not yours', { status: 403, statusText: 'Forbidden' });
    await expect(response).rejects.toMatchObject({ status: 403 });
    expect(backend.calls.refreshAccessToken).toEqual([]);
    server.verify();
  });

  it('does not refresh for other failures', async () => {
    const { http, server, backend } = setup();
    const response = firstValueFrom(http.get('http://localhost:3002/bookshelf'));
    await flushPromises();
    server.expectOne('http://localhost:3002/bookshelf').flush('boom', { status: 500, statusText: 'Server Error' });
    await expect(response).rejects.toMatchObject({ status: 500 });
    expect(backend.calls.refreshAccessToken).toEqual([]);
    server.verify();
  });

  it('passes a token failure on without sending the request', async () => {
    const { http, server, backend } = setup();
    backend.accessTokens = () => authErrorOf('network', 'session');
    await expect(firstValueFrom(http.get('http://localhost:3002/bookshelf'))).rejects.toMatchObject({ kind: 'network' });
    server.verify();
  });

  describe('only while a session is held', () => {
    const BOOKSHELF = 'http://localhost:3002/bookshelf';
    const authorizationOf = async (server: HttpTestingController) => {
      await flushPromises();
      const request = server.expectOne(BOOKSHELF);
      const header = request.request.headers.get('Authorization');
      request.flush({ books: [] });
      return header;
    };

    it('sends no token while signed out, and asks for none', async () => {
      const { http, server, backend, auth } = setup(new FakeAuthBackend());
      await untilState(auth, 'idle');
      void firstValueFrom(http.get(BOOKSHELF));
      expect(await authorizationOf(server)).toBeNull();
      expect(backend.calls.getAccessToken).toEqual([]);
    });

    it('a request made while the stored session is still being read waits for it, then carries the token', async () => {
      const backend = new FakeAuthBackend({ session: JANE });
      backend.port.hold('restore');
      const { http, server, auth } = setup(backend);
      void firstValueFrom(http.get(BOOKSHELF));
      await flushPromises();
      server.expectNone(BOOKSHELF);
      backend.port.resolveHeld('restore');
      await untilState(auth, 'authenticated');
      expect(await authorizationOf(server)).toBe(`Bearer token-${BOOKSTORE}-1`);
    });

    it('keeps sending the token during a re-sign-in, and after it is cancelled (the old session is kept)', async () => {
      const { http, server, auth } = setup();
      await untilState(auth, 'authenticated');
      auth.switchAccount('max@example.com');
      await untilState(auth, 'signingIn.redirecting');
      void firstValueFrom(http.get(BOOKSHELF));
      expect(await authorizationOf(server)).toBe(`Bearer token-${BOOKSTORE}-1`);
      auth.cancel();
      await untilState(auth, 'authenticated');
      expect(auth.notice()?.code).toBe('user_cancelled');
      void firstValueFrom(http.get(BOOKSHELF));
      expect(await authorizationOf(server)).toBe(`Bearer token-${BOOKSTORE}-1`);
    });

    it('sends no token once a sign-out has started', async () => {
      const { http, server, backend, auth } = setup(new FakeAuthBackend({ session: JANE, signOutAwaitsBrowser: true }));
      await untilState(auth, 'authenticated');
      auth.signOut();
      await untilState(auth, 'signingOut');
      void firstValueFrom(http.get(BOOKSHELF));
      expect(await authorizationOf(server)).toBeNull();
      expect(backend.calls.getAccessToken).toEqual([]);
    });

    it('sends no token once another tab signed out, and asks for none', async () => {
      const { http, server, backend, auth } = setup();
      await untilState(auth, 'authenticated');
      backend.port.emit({ type: 'SIGNED_OUT_ELSEWHERE' });
      await untilState(auth, 'idle');
      expect(auth.notice()?.code).toBe('signed_out_elsewhere');
      void firstValueFrom(http.get(BOOKSHELF));
      expect(await authorizationOf(server)).toBeNull();
      expect(backend.calls.getAccessToken).toEqual([]);
    });

    it('drops a token that arrives after another tab signed out', async () => {
      const { http, server, backend, auth } = setup();
      await untilState(auth, 'authenticated');
      const token = deferred<string>();
      backend.accessTokens = () => token.promise;
      void firstValueFrom(http.get(BOOKSHELF));
      await flushPromises();
      backend.port.emit({ type: 'SIGNED_OUT_ELSEWHERE' });
      await untilState(auth, 'idle');
      token.resolve(`token-${BOOKSTORE}-late`);
      expect(await authorizationOf(server)).toBeNull();
    });

    it('drops a token that arrives after a sign-out started', async () => {
      const { http, server, backend, auth } = setup(new FakeAuthBackend({ session: JANE, signOutAwaitsBrowser: true }));
      await untilState(auth, 'authenticated');
      const token = deferred<string>();
      backend.accessTokens = () => token.promise;
      void firstValueFrom(http.get(BOOKSHELF));
      await flushPromises();
      auth.signOut();
      await untilState(auth, 'signingOut');
      token.resolve(`token-${BOOKSTORE}-late`);
      expect(await authorizationOf(server)).toBeNull();
    });
  });
});
