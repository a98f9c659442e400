import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';

import { AUTH_UI_LOCALES, ReturnUrl } from '../../auth/angular';
import { I18n } from '../../i18n/i18n';
import { LANGUAGE_KEY } from '../../i18n/language';
import { authError } from '../../auth/core';
import { FakeAuthBackend, JANE } from '../../auth/angular/testing/fake-auth-backend';
import { untilState } from '../../auth/angular/testing/provide-test-auth';
import { renderPage } from '../testing/render-page';
import { SignIn, TYPED_EMAIL_KEY } from './sign-in';

@Component({ selector: 'app-stub', template: 'stub', changeDetection: ChangeDetectionStrategy.OnPush })
class Stub {}

const routes = [
  { path: 'sign-in', component: SignIn },
  { path: 'home', component: Stub },
  { path: 'orders/:id', component: Stub },
];

/** The app's wiring of the reader's language into the sign-in options (app.config.ts). */
const uiLocales = {
  provide: AUTH_UI_LOCALES,
  useFactory: () => {
    const i18n = inject(I18n);
    return () => i18n.lang();
  },
};

async function render(backend = new FakeAuthBackend(), { keepStorage = false } = {}) {
  if (!keepStorage) sessionStorage.clear();
  return renderPage(SignIn, { backend, routes, url: '/sign-in', providers: [uiLocales] });
}

const typed = (page: Awaited<ReturnType<typeof render>>) => page.byTestId('email-input')?.querySelector('input')?.value;

function click(element: Element | null): void {
  if (!element) throw new Error('element not found');
  (element as HTMLElement).click();
}

/** Types into the native input inside ion-input, as a person would. */
async function typeEmail(page: Awaited<ReturnType<typeof render>>, value: string): Promise<void> {
  const native = page.byTestId('email-input')!.querySelector('input')!;
  native.value = value;
  native.dispatchEvent(new Event('input', { bubbles: true }));
  await page.settle();
}

describe('Sign-in page', () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => {
    TestBed.resetTestingModule();
    localStorage.clear();
  });

  it('shows a spinner with text while the session is being checked', async () => {
    const backend = new FakeAuthBackend();
    backend.port.hold('restore');
    const page = await render(backend);
    expect(page.byTestId('auth-busy')?.textContent).toContain('Checking your session…');
    expect(page.byTestId('auth-busy')?.getAttribute('role')).toBe('status');
    expect(page.byTestId('sign-in')).toBeNull();
  });

  it('offers one entry when signed out: an optional email and Continue, saying what happens next', async () => {
    const page = await render();
    expect(page.text()).toContain('Sign in');
    expect(page.byTestId('sign-in')?.textContent).toContain('Continue');
    expect(page.fixture.nativeElement.querySelectorAll('ion-button')).toHaveLength(1);
    expect(page.byTestId('continue-with-email')).toBeNull();
    expect(page.byTestId('create-account')).toBeNull();
    const email = page.byTestId('email-input')!;
    expect(email.getAttribute('type')).toBe('email');
    expect(email.getAttribute('label')).toBe('Email');
    // The promise is only what the flow keeps: pre-filled there, mailed once confirmed there.
    expect(email.getAttribute('helper-text')).toContain('opens with this address filled in');
    expect(email.getAttribute('helper-text')).toContain('once you confirm it there');
    expect(page.text()).not.toContain('We will send a code to this address');
  });

  it('starts the email code flow with the typed email as login hint', async () => {
    const page = await render();
    await typeEmail(page, 'jane@example.com');
    click(page.byTestId('sign-in'));
    await untilState(page.auth, 'signingIn.redirecting');
    expect(page.backend.port.calls.startSignIn).toEqual([
      { firstScreen: 'identifier:sign_in', identifiers: ['email'], loginHint: 'jane@example.com', extraParams: { ui_locales: 'en' } },
    ]);
  });

  it("asks the identity provider for the reader's language (ui_locales), on sign-in and on switch account", async () => {
    localStorage.setItem(LANGUAGE_KEY, 'zh-CN');
    const page = await render();
    await TestBed.inject(I18n).ready();
    click(page.byTestId('sign-in'));
    await untilState(page.auth, 'signingIn.redirecting');
    expect(page.backend.port.calls.startSignIn[0]?.extraParams).toEqual({ ui_locales: 'zh-CN' });
    page.auth.cancel();
    await untilState(page.auth, 'idle');
    await TestBed.inject(I18n).use('en');
    page.auth.switchAccount();
    await untilState(page.auth, 'signingIn.redirecting');
    expect(page.backend.port.calls.startSignIn[1]).toMatchObject({ prompt: 'login', extraParams: { ui_locales: 'en' } });
  });

  it('keeps the typed address after Cancel, as Retry does', async () => {
    const page = await render();
    await typeEmail(page, 'ana@example.com');
    click(page.byTestId('sign-in'));
    await untilState(page.auth, 'signingIn.redirecting.waiting');
    await page.settle();
    click(page.byTestId('cancel-sign-in'));
    await untilState(page.auth, 'idle');
    await page.frames();
    expect(typed(page)).toBe('ana@example.com');
  });

  it('keeps the typed address after Dismiss of a sign-in interrupted by the trip to the browser (the app reloaded)', async () => {
    const first = await render();
    await typeEmail(first, 'ana@example.com');
    TestBed.resetTestingModule();
    // The web app reloads when the browser comes back; the machine finds the sign-in unfinished.
    const page = await render(new FakeAuthBackend({ pendingSignIn: { serial: 1, options: { loginHint: 'ana@example.com' } } }), {
      keepStorage: true,
    });
    await untilState(page.auth, 'error');
    await page.settle();
    click(page.byTestId('error-dismiss'));
    await untilState(page.auth, 'idle');
    await page.frames();
    expect(typed(page)).toBe('ana@example.com');
  });

  it('forgets the typed address once signed in', async () => {
    const page = await render();
    await typeEmail(page, 'ana@example.com');
    expect(sessionStorage.getItem(TYPED_EMAIL_KEY)).toBe('ana@example.com');
    click(page.byTestId('sign-in'));
    await untilState(page.auth, 'signingIn.redirecting');
    page.backend.port.completeBrowserSignIn();
    await untilState(page.auth, 'authenticated');
    await page.settle();
    expect(sessionStorage.getItem(TYPED_EMAIL_KEY)).toBeNull();
  });

  it('offers no separate "create an account" link: continuing with an email signs in or signs up', async () => {
    const page = await render();
    expect(page.text()).not.toMatch(/No account|Create one|create-account/i);
    expect(page.text()).toContain('Sign in or create an account');
  });

  it('reads in Chinese on a Chinese device, and the language switch changes it at once and keeps it', async () => {
    localStorage.setItem(LANGUAGE_KEY, 'zh-CN');
    const page = await render();
    await TestBed.inject(I18n).ready();
    await page.settle();
    expect(page.text()).toContain('登录');
    expect(page.byTestId('sign-in')?.textContent).toContain('继续');
    expect(page.byTestId('email-input')?.getAttribute('label')).toBe('邮箱');
    const english = page.fixture.nativeElement.querySelector('[data-testid="language-switch"] button[lang="en"]') as HTMLElement;
    expect(english.getAttribute('aria-pressed')).toBe('false');
    english.click();
    await new Promise((resolve) => setTimeout(resolve, 0));
    await page.settle();
    expect(page.byTestId('sign-in')?.textContent).toContain('Continue');
    expect(localStorage.getItem(LANGUAGE_KEY)).toBe('en');
    expect(english.getAttribute('aria-pressed')).toBe('true');
  });

  it('refuses a malformed email with a message instead of opening the browser', async () => {
    const page = await render();
    await typeEmail(page, 'jane@');
    click(page.byTestId('sign-in'));
    await page.frames();
    const input = page.byTestId('email-input')!;
    expect(input.classList).toContain('ion-invalid');
    expect(input.classList).toContain('ion-touched');
    expect(input.querySelector('.error-text')?.textContent).toContain('Enter a valid email address');
    expect(input.querySelector('input')?.getAttribute('aria-invalid')).toBe('true');
    expect(page.backend.port.calls.startSignIn).toEqual([]);
    expect(page.auth.state()).toBe('idle');
  });

  it('continues with email without a hint when the field is empty', async () => {
    const page = await render();
    click(page.byTestId('sign-in'));
    await untilState(page.auth, 'signingIn.redirecting');
    expect(page.backend.port.calls.startSignIn).toEqual([
      { firstScreen: 'identifier:sign_in', identifiers: ['email'], extraParams: { ui_locales: 'en' } },
    ]);
  });

  it('says it is contacting the sign-in service until the browser opens; Cancel stops it and says so', async () => {
    const backend = new FakeAuthBackend();
    backend.port.hold('startSignIn');
    const page = await render(backend);
    click(page.byTestId('sign-in'));
    await untilState(page.auth, 'signingIn.redirecting.opening');
    await page.settle();
    expect(page.byTestId('contacting-provider')?.textContent).toContain('Contacting the sign-in service');
    expect(page.byTestId('browser-open')).toBeNull();
    click(page.byTestId('cancel-sign-in'));
    await untilState(page.auth, 'idle');
    await page.settle();
    expect(backend.port.calls.abortedStartSignIn).toBe(1);
    expect(page.byTestId('sign-in-notice')?.textContent).toContain('You cancelled sign-in.');
    expect(page.byTestId('auth-error')).toBeNull();
  });

  it('says to finish in the browser while it is open, and Cancel ends the wait', async () => {
    const page = await render();
    click(page.byTestId('sign-in'));
    await untilState(page.auth, 'signingIn.redirecting.waiting');
    await page.settle();
    expect(page.byTestId('browser-open')?.textContent).toContain('Finish signing in in your browser');
    click(page.byTestId('cancel-sign-in'));
    await untilState(page.auth, 'idle');
    await page.settle();
    expect(page.byTestId('sign-in-notice')?.textContent).toContain('You cancelled sign-in.');
  });

  it('shows "Completing sign-in…" while the callback is exchanged', async () => {
    const page = await render();
    page.backend.port.hold('completeSignIn');
    click(page.byTestId('sign-in'));
    await untilState(page.auth, 'signingIn.redirecting');
    page.backend.port.completeBrowserSignIn();
    await untilState(page.auth, 'signingIn.callback');
    await page.settle();
    expect(page.byTestId('auth-busy')?.textContent).toContain('Completing sign-in…');
  });

  it('brings the user to the page they asked for once signed in (deep link from outside Angular)', async () => {
    const page = await render();
    TestBed.inject(ReturnUrl).remember('/orders/7');
    click(page.byTestId('sign-in'));
    await untilState(page.auth, 'signingIn.redirecting');
    page.backend.port.completeBrowserSignIn();
    await untilState(page.auth, 'authenticated');
    await page.settle();
    expect(TestBed.inject(Router).url).toBe('/orders/7');
  });

  it('goes home when a signed-in user opens it', async () => {
    await render(new FakeAuthBackend({ session: JANE }));
    expect(TestBed.inject(Router).url).toBe('/home');
  });

  it('after an offline sign-out, says the person is signed out here but the provider could not be reached', async () => {
    const backend = new FakeAuthBackend({ session: JANE });
    const page = await render(backend);
    backend.port.failNext(
      'signOut',
      authError({ kind: 'network', code: 'provider_unreachable', step: 'signOut', message: 'The service could not be reached.' }),
    );
    page.auth.signOut();
    await untilState(page.auth, 'idle');
    await page.settle();
    const notice = page.byTestId('sign-out-notice');
    expect(notice?.querySelector('[role="status"]')?.getAttribute('data-tone')).toBe('warning');
    expect(notice?.querySelector('ion-icon')).not.toBeNull();
    expect(notice?.textContent).toContain('You are signed out on this device, but the sign-in service could not be reached');
    expect(page.byTestId('sign-in-notice')).toBeNull();
    expect(page.byTestId('sign-in')).not.toBeNull();
    // It outlives a reload (the web sign-out reloads the app): the next page load shows it again.
    expect(sessionStorage.getItem('auth.signOutConfirmation')).toContain('could not be reached');
  });

  it('confirms a sign-out with "You\'re signed out", until the next sign-in', async () => {
    const backend = new FakeAuthBackend({ session: JANE });
    const page = await render(backend);
    page.auth.signOut();
    await untilState(page.auth, 'idle');
    await page.settle();
    const notice = page.byTestId('sign-out-notice');
    expect(notice?.textContent).toContain("You're signed out.");
    expect(notice?.querySelector('[role="status"]')?.getAttribute('data-tone')).toBe('success');
    click(page.byTestId('sign-in'));
    await untilState(page.auth, 'signingIn.redirecting');
    expect(sessionStorage.getItem('auth.signOutConfirmation')).toBeNull();
  });

  it('shows an interrupted sign-in found at start-up with Retry and Dismiss', async () => {
    const page = await render(new FakeAuthBackend({ pendingSignIn: { serial: 1, options: { firstScreen: 'register' } } }));
    await untilState(page.auth, 'error');
    await page.settle();
    expect(page.byTestId('auth-error')?.textContent).toContain('Sign-in was interrupted');
    click(page.byTestId('error-retry'));
    await untilState(page.auth, 'signingIn.redirecting');
    expect(page.backend.port.calls.startSignIn).toEqual([{ firstScreen: 'register' }]);
  });
});
