import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { type Provider, type Type } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter, Router, type Routes } from '@angular/router';
import { provideIonicAngular } from '@ionic/angular/provide';

import { authInterceptor, AuthService } from '../../auth/angular';
import type { AuthTimers } from '../../auth/core';
import { FakeAuthBackend } from '../../auth/angular/testing/fake-auth-backend';
import { provideTestAuth } from '../../auth/angular/testing/provide-test-auth';

export interface RenderedPage<T> {
  readonly fixture: ComponentFixture<T>;
  readonly auth: AuthService;
  readonly backend: FakeAuthBackend;
  /** Waits for the machine and Angular to settle, then returns the page's root element. */
  settle(): Promise<HTMLElement>;
  /** Also lets Ionic's components finish their animation-frame work (validation classes, re-render). */
  frames(): Promise<void>;
  byTestId(id: string): HTMLElement | null;
  text(): string;
}

export interface RenderOptions {
  readonly backend?: FakeAuthBackend;
  /** Stub routes for where the page navigates to. */
  readonly routes?: Routes;
  /** The URL the router is at when the page appears (pages react to where they are). */
  readonly url?: string;
  /** Short machine timers for tests of timeouts. */
  readonly timers?: Partial<AuthTimers>;
  /** More providers (e.g. the reader's language for the sign-in options). */
  readonly providers?: Provider[];
}

/**
 * One screen with the real binding, the real machine on core's fake port, the real router
 * (with stub routes) and the auth interceptor over Angular's HTTP testing backend.
 */
export async function renderPage<T>(page: Type<T>, options: RenderOptions = {}): Promise<RenderedPage<T>> {
  const { backend = new FakeAuthBackend(), routes = [], url, timers, providers = [] } = options;
  TestBed.configureTestingModule({
    providers: [
      provideIonicAngular({}),
      provideRouter(routes),
      provideHttpClient(withInterceptors([authInterceptor])),
      provideHttpClientTesting(),
      provideTestAuth(backend, timers ? { timers } : {}),
      ...providers,
    ],
  });
  if (url) await TestBed.inject(Router).navigateByUrl(url);
  const fixture = TestBed.createComponent(page);
  const element = fixture.nativeElement as HTMLElement;
  const settle = async () => {
    // Promise-based port effects and scheduled change detection, a few rounds.
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      await fixture.whenStable();
    }
    return element;
  };
  await settle();
  return {
    fixture,
    auth: TestBed.inject(AuthService),
    backend,
    settle,
    frames: async () => {
      for (let i = 0; i < 3; i++) {
        await new Promise((resolve) => requestAnimationFrame(resolve));
        await settle();
      }
    },
    byTestId: (id) => element.querySelector(`[data-testid="${id}"]`),
    text: () => (element.textContent ?? '').replace(/\s+/g, ' ').trim(),
  };
}
