import { HttpErrorResponse, type HttpEvent, type HttpInterceptorFn, type HttpRequest } from '@angular/common/http';
import { inject } from '@angular/core';
import { catchError, from, type Observable, switchMap, throwError } from 'rxjs';

import { AUTH_CONFIG, apiRouteFor } from './auth-config';
import { AuthService } from './auth-service';

function withToken(request: HttpRequest<unknown>, token: string): HttpRequest<unknown> {
  return request.clone({ setHeaders: { Authorization: `Bearer ${token}` } });
}

function isUnauthorized(error: unknown): boolean {
  return error instanceof HttpErrorResponse && error.status === 401;
}

/**
 * A 403 whose `WWW-Authenticate` says `insufficient_scope` (RFC 6750): the token lacks a
 * permission. With Logto a permission reaches the token only through the person's roles, and the
 * cached access token keeps the scopes it was issued with for up to an hour: after an admin grants
 * the role, only a fresh token carries it.
 */
function lacksScope(error: unknown): boolean {
  return (
    error instanceof HttpErrorResponse &&
    error.status === 403 &&
    /error="insufficient_scope"/.test(error.headers.get('WWW-Authenticate') ?? '')
  );
}

/**
 * Attaches `Authorization: Bearer` to requests for a configured API (the same origin and a path
 * under the prefix's path, api-prefixes.ts; never a string-prefix test) and to nothing else, and
 * only while a session is held (`AuthService.hasSession`). A 401 gets one forced refresh and one
 * retry; a second 401 means the session is no good: it is expired (local session cleared, the
 * machine shows `session_expired`). A 403 for a missing scope also gets one fresh token and one
 * retry (a role granted since the token was issued then counts); a second one reaches the caller
 * and the session stays.
 * Token failures (AuthError: network, session expired…) reach the caller as they are.
 */
export const authInterceptor: HttpInterceptorFn = (request, next) => {
  const api = apiRouteFor(inject(AUTH_CONFIG).apis, request.url);
  if (!api) return next(request);
  const auth = inject(AuthService);
  // A token only while a session is held (kept through a re-sign-in until the new one lands),
  // never once a sign-out has started, also when that happens while the token is being fetched.
  const send = (token: string): Observable<HttpEvent<unknown>> => next(auth.hasSession() ? withToken(request, token) : request);

  const authorized = (): Observable<HttpEvent<unknown>> =>
    from(auth.getAccessToken(api.resource)).pipe(
      switchMap(send),
      catchError((first: unknown) => {
        if (!(isUnauthorized(first) || lacksScope(first)) || !auth.hasSession()) return throwError(() => first);
        return from(auth.refreshAccessToken(api.resource)).pipe(
          switchMap((token) =>
            send(token).pipe(
              catchError((second: unknown) => {
                if (!isUnauthorized(second)) return throwError(() => second);
                // The caller still gets the 401, whether or not clearing the session went smoothly.
                return from(auth.expireSession().catch(() => undefined)).pipe(switchMap(() => throwError(() => second)));
              }),
            ),
          ),
        );
      }),
    );
  // Without a session now, booting (or a code exchange in flight) may still bring one: wait for it.
  return from(auth.hasSession() ? Promise.resolve() : auth.whenSettled()).pipe(
    switchMap(() => (auth.hasSession() ? authorized() : next(request))),
  );
};
