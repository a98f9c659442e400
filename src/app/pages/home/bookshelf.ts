import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { firstValueFrom } from 'rxjs';

import { AUTH_CONFIG, isAuthError } from '../../auth/angular';

export interface Bookshelf {
  readonly owner?: string;
  readonly books?: readonly unknown[];
  readonly [key: string]: unknown;
}

/** The sample protected API (dev-idp's sample API in development, yours in production). */
@Injectable({ providedIn: 'root' })
export class BookstoreApi {
  private readonly http = inject(HttpClient);
  private readonly api = inject(AUTH_CONFIG).apis?.[0];

  /** GET {urlPrefix}bookshelf; the auth interceptor attaches the access token. */
  bookshelf(): Promise<Bookshelf> {
    if (!this.api) return Promise.reject(new Error('No API is configured (identity.config.json "apis").'));
    return firstValueFrom(this.http.get<Bookshelf>(`${this.api.urlPrefix}bookshelf`));
  }
}

/** A sentence for what went wrong calling the API, specific enough to act on. */
export function describeApiFailure(error: unknown): string {
  if (isAuthError(error)) return `Could not get an access token: ${error.message}`;
  if (error instanceof HttpErrorResponse) {
    switch (error.status) {
      case 0:
        return 'Could not reach the Bookstore API. Check your connection, or whether the API is running.';
      case 401:
        return 'The Bookstore API refused the access token (401), even after a refresh. Please sign in again.';
      case 403:
        return 'The Bookstore API says this account may not read books (403): the token lacks the required scope.';
      default:
        return `The Bookstore API answered with an error (${error.status}${error.statusText ? ` ${error.statusText}` : ''}).`;
    }
  }
  if (error instanceof Error && error.message.startsWith('No API')) return error.message;
  return 'Calling the Bookstore API failed unexpectedly.';
}
