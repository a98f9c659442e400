import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { TestBed } from '@angular/core/testing';

import { AuthService } from '../../auth/angular';
import { FakeAuthBackend, JANE } from '../../auth/angular/testing/fake-auth-backend';
import { untilState } from '../../auth/angular/testing/provide-test-auth';
import { fakeErrors } from '../../auth/core/testing/fake-port';
import { renderPage, type RenderedPage } from '../testing/render-page';
import { AuthErrorCard, RETRY_FEEDBACK_MS } from './auth-error-card';

@Component({
  selector: 'app-error-host',
  imports: [AuthErrorCard],
  template: `@if (auth.error(); as error) {
    <app-auth-error-card [error]="error" />
  }`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class ErrorHost {
  protected readonly auth = inject(AuthService);
}

type Page = RenderedPage<ErrorHost>;

/** Each scenario brings the real machine (on core's fake port) into `error` with one kind. */
const scenarios: Record<string, { backend?: () => FakeAuthBackend; timers?: boolean; run(page: Page): Promise<void> }> = {
  // The browser closed before the sign-in finished (CANCEL in the app is a notice, not an error).
  cancelled: {
    timers: true,
    async run({ auth, backend }) {
      auth.signIn();
      await untilState(auth, 'signingIn.redirecting.waiting');
      backend.port.emit({ type: 'BROWSER_CLOSED' });
    },
  },
  network: {
    async run({ auth, backend }) {
      backend.port.failNext('completeSignIn', fakeErrors.network());
      auth.signIn();
      await untilState(auth, 'signingIn.redirecting');
      backend.port.completeBrowserSignIn();
    },
  },
  access_denied: {
    async run({ auth, backend }) {
      backend.port.failNext('completeSignIn', fakeErrors.accessDenied());
      auth.signIn();
      await untilState(auth, 'signingIn.redirecting');
      backend.port.completeBrowserSignIn();
    },
  },
  timeout: {
    timers: true,
    async run({ auth, backend }) {
      backend.port.hold('completeSignIn');
      auth.signIn();
      await untilState(auth, 'signingIn.redirecting');
      backend.port.completeBrowserSignIn();
    },
  },
  session_expired: {
    backend: () => new FakeAuthBackend({ session: JANE }),
    async run({ backend }) {
      backend.port.expireSession();
    },
  },
  config: {
    async run({ auth, backend }) {
      backend.port.failNext('startSignIn', fakeErrors.config());
      auth.signIn();
    },
  },
  server: {
    async run({ auth, backend }) {
      backend.port.failNext('completeSignIn', fakeErrors.server());
      auth.signIn();
      await untilState(auth, 'signingIn.redirecting');
      backend.port.completeBrowserSignIn();
    },
  },
  unknown: {
    async run({ auth, backend }) {
      backend.port.failNext('startSignIn', new Error('boom at https://idp.example/cb?code=secret'));
      auth.signIn();
    },
  },
};

async function showError(kind: keyof typeof scenarios): Promise<Page> {
  const scenario = scenarios[kind];
  const backend = scenario.backend?.() ?? new FakeAuthBackend();
  const page = await renderPage(ErrorHost, {
    backend,
    timers: scenario.timers ? { codeExchangeTimeout: 20, browserClosedGrace: 10 } : undefined,
  });
  await untilState(page.auth, backend.port.storage.session ? 'authenticated' : 'idle');
  await scenario.run(page);
  await untilState(page.auth, 'error');
  await page.frames();
  return page;
}

const card = (page: Page) => page.byTestId('auth-error');
const button = (page: Page, id: string) => page.byTestId(id) as HTMLElement | null;

/** What the device says about its connection (jsdom: online). */
function setOnline(online: boolean): void {
  Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => online });
}

describe('AuthErrorCard', () => {
  beforeEach(() => setOnline(false));
  afterEach(() => {
    TestBed.resetTestingModule();
    setOnline(true);
  });

  it.each([
    ['cancelled', 'Sign-in was interrupted', ['error-retry', 'error-dismiss']],
    ['network', 'Check your connection', ['error-retry', 'error-dismiss']],
    ['access_denied', 'Access denied', ['error-retry', 'error-dismiss']],
    ['timeout', 'That took too long', ['error-retry', 'error-dismiss']],
    ['session_expired', 'Your session ended, please sign in again', ['error-sign-in', 'error-dismiss']],
    ['config', 'Sign-in is not set up correctly', ['error-dismiss']],
    ['server', 'The sign-in service had a problem', ['error-retry', 'error-dismiss']],
    ['unknown', 'Something went wrong', ['error-retry', 'error-dismiss']],
  ])('presents %s as "%s" with the right actions, announced and focused', async (kind, title, actions) => {
    const page = await showError(kind);
    expect(page.auth.error()?.kind).toBe(kind);
    expect(card(page)?.getAttribute('role')).toBe('alert');
    expect(card(page)?.getAttribute('data-error-kind')).toBe(kind);
    expect(page.byTestId('auth-error-title')?.textContent).toBe(title);
    for (const id of ['error-retry', 'error-sign-in', 'error-dismiss']) {
      expect(button(page, id) !== null).toBe(actions.includes(id));
    }
    expect(document.activeElement).toBe(card(page));
  });

  it('says "check your connection" in the message of a network error while the device is offline', async () => {
    const page = await showError('network');
    expect(page.byTestId('auth-error-message')?.textContent).toContain('reach the sign-in service');
  });

  it('does not blame the connection when the device is online: the sign-in service is not answering', async () => {
    setOnline(true);
    const page = await showError('network');
    expect(page.byTestId('auth-error-title')?.textContent).toBe("The sign-in service isn't answering");
    expect(page.byTestId('auth-error-message')?.textContent).toContain('Your device is online');
    expect(page.text()).not.toContain('Check your connection');
    // The device goes offline while the card is up: now it is the connection.
    setOnline(false);
    window.dispatchEvent(new Event('offline'));
    await page.settle();
    expect(page.byTestId('auth-error-title')?.textContent).toBe('Check your connection');
  });

  it('never shows the raw text of an unexpected error (it may hold a URL or code)', async () => {
    const page = await showError('unknown');
    expect(page.text()).not.toContain('https://');
    expect(page.text()).not.toContain('secret');
  });

  it('names what is misconfigured for a config error', async () => {
    const page = await showError('config');
    expect(page.byTestId('auth-error-message')?.textContent).toContain('Sign-in is not set up correctly');
    expect(page.text()).toContain('Error code: missing_redirect_uri');
  });

  it('Retry after an interruption opens the browser again with the same options', async () => {
    const page = await showError('cancelled');
    button(page, 'error-retry')!.click();
    await untilState(page.auth, 'signingIn.redirecting');
    expect(page.backend.port.calls.startSignIn).toHaveLength(2);
  });

  it('Retry after a network failure re-runs the same callback', async () => {
    const page = await showError('network');
    button(page, 'error-retry')!.click();
    await untilState(page.auth, 'authenticated');
    expect(page.backend.port.calls.completeSignIn).toEqual(['cb-1', 'cb-1']);
  });

  it('Dismiss returns to signed out and removes the card', async () => {
    const page = await showError('cancelled');
    button(page, 'error-dismiss')!.click();
    await untilState(page.auth, 'idle');
    await page.settle();
    expect(card(page)).toBeNull();
  });

  it('a Retry that fails at once shows "Trying again…", then says it is still unreachable and when it tried', async () => {
    const backend = new FakeAuthBackend();
    const page = await renderPage(ErrorHost, { backend });
    await untilState(page.auth, 'idle');
    const unreachable = () => fakeErrors.network('redirect');
    backend.port.failNext('startSignIn', unreachable(), 2);
    page.auth.signIn();
    await untilState(page.auth, 'error');
    await page.frames();
    expect(page.byTestId('auth-error-again')).toBeNull();
    button(page, 'error-retry')!.click();
    await untilState(page.auth, 'error');
    await page.frames();
    // The same card would come back within milliseconds: first a visible sign of life …
    expect(page.byTestId('auth-error-trying')?.textContent).toContain('Trying again…');
    await new Promise((resolve) => setTimeout(resolve, RETRY_FEEDBACK_MS + 50));
    await page.frames();
    // … then what happened.
    expect(page.byTestId('auth-error-trying')).toBeNull();
    expect(page.byTestId('auth-error-again')?.textContent).toMatch(/^Still no answer: tried again at .+ \(2 attempts\)\.$/);
  });

  it('a failed switch says the person is still signed in, and offers to stay', async () => {
    const backend = new FakeAuthBackend({ session: JANE });
    const page = await renderPage(ErrorHost, { backend });
    await untilState(page.auth, 'authenticated');
    backend.port.failNext('startSignIn', fakeErrors.network('redirect'));
    page.auth.switchAccount();
    await untilState(page.auth, 'error');
    await page.frames();
    expect(page.byTestId('auth-error-kept-session')?.textContent).toContain(`You're still signed in as ${String(JANE['email'])}`);
    expect(button(page, 'error-dismiss')?.textContent).toContain('Stay signed in');
    button(page, 'error-dismiss')!.click();
    await untilState(page.auth, 'authenticated');
  });

  it('says why the session ended: the generic reason, or a refresh whose answer was lost', async () => {
    const expired = await showError('session_expired');
    expect(expired.byTestId('auth-error-message')?.textContent).toBe('For your security you were signed out on this device.');
    TestBed.resetTestingModule();

    const backend = new FakeAuthBackend({ session: JANE });
    const page = await renderPage(ErrorHost, { backend });
    await untilState(page.auth, 'authenticated');
    backend.port.emit({ type: 'SESSION_EXPIRED', code: 'refresh_answer_lost' });
    await untilState(page.auth, 'error');
    await page.frames();
    expect(page.byTestId('auth-error-title')?.textContent).toBe('Your session ended, please sign in again');
    expect(page.byTestId('auth-error-message')?.textContent).toBe('We lost contact while renewing your session; please sign in again.');
    expect(button(page, 'error-sign-in')).not.toBeNull();
  });

  it('"Sign in" after the session ended starts a new sign-in', async () => {
    const page = await showError('session_expired');
    button(page, 'error-sign-in')!.click();
    await untilState(page.auth, 'signingIn.redirecting');
    expect(page.backend.port.calls.startSignIn).toEqual([{}]);
  });
});
