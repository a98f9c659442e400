import { HttpClient, provideHttpClient, withInterceptors, withRequestsMadeViaParent } from '@angular/common/http';
import { createEnvironmentInjector, EnvironmentInjector, inject, Injectable } from '@angular/core';

import { authInterceptor } from './auth-interceptor';

/**
 * The app's `HttpClient` for protected APIs: the auth interceptor on every request it makes.
 * Made the first time a screen asks for it, not at bootstrap: `provideHttpClient` at the root
 * put Angular's HTTP code (≈ 24 kB raw) and the interceptor in the initial bundle, though no
 * first screen makes a request (docs/benchmarks.md). Screens take their `HttpClient` from here,
 * never by injecting `HttpClient` directly (that one has no interceptor, so no token).
 *
 * Requests go out through the root's HTTP handler (`withRequestsMadeViaParent`): the root's
 * default fetch backend in the app, Angular's testing backend in tests that provide one.
 */
@Injectable({ providedIn: 'root' })
export class ApiHttp {
  readonly client: HttpClient = createEnvironmentInjector(
    [provideHttpClient(withInterceptors([authInterceptor]), withRequestsMadeViaParent())],
    inject(EnvironmentInjector),
  ).get(HttpClient);
}
