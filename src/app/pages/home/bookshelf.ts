import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { firstValueFrom } from 'rxjs';

import { AUTH_CONFIG, isAuthError } from '../../auth/angular';
import { errorMessage, type ErrorTextTable } from '../../i18n/auth-text';
import type { MessageKey } from '../../i18n/en';
import type { Params } from '../../i18n/i18n';

/** What a failure's sentence needs: the reader's words and error table. */
export interface ApiWording {
  t(key: MessageKey, params?: Params): string;
  errorText(): ErrorTextTable;
}

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
    if (!this.api) return Promise.reject(new NoApiConfigured());
    return firstValueFrom(this.http.get<Bookshelf>(`${this.api.urlPrefix}bookshelf`));
  }
}

/** A sentence for what went wrong calling the API, specific enough to act on. */
export function describeApiFailure(error: unknown, words: ApiWording): string {
  if (isAuthError(error)) return words.t('api.noToken', { message: errorMessage(error, words.errorText()) });
  if (error instanceof HttpErrorResponse) {
    switch (error.status) {
      case 0:
        return words.t('api.unreachable');
      case 401:
        return words.t('api.refused');
      case 403:
        // The scope the API asked for (RFC 6750: WWW-Authenticate … scope="…"), so the person
        // knows which permission their role must grant.
        return words.t('api.forbidden', { scope: /scope="([^"]+)"/.exec(error.headers.get('WWW-Authenticate') ?? '')?.[1] ?? '?' });
      default:
        return words.t('api.status', { status: `${error.status}${error.statusText ? ` ${error.statusText}` : ''}` });
    }
  }
  if (error instanceof NoApiConfigured) return words.t('api.notConfigured');
  return words.t('api.unexpected');
}

/** A 403 for a missing scope (RFC 6750 `insufficient_scope`), already retried once with a fresh token by the interceptor. */
export function lacksPermission(error: unknown): boolean {
  return (
    error instanceof HttpErrorResponse &&
    error.status === 403 &&
    /error="insufficient_scope"/.test(error.headers.get('WWW-Authenticate') ?? '')
  );
}

/** identity.config.json lists no API to call. */
export class NoApiConfigured extends Error {
  constructor() {
    super('No API is configured (identity.config.json "apis").');
    this.name = 'NoApiConfigured';
  }
}
