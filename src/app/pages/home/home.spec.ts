import { HttpTestingController } from '@angular/common/http/testing';
import { ChangeDetectionStrategy, Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';

import { ReturnUrl } from '../../auth/angular';
import { authErrorOf, FakeAuthBackend, JANE } from '../../auth/angular/testing/fake-auth-backend';
import { untilState } from '../../auth/angular/testing/provide-test-auth';
import { renderPage, type RenderedPage } from '../testing/render-page';
import { Home } from './home';

@Component({ selector: 'app-stub', template: 'stub', changeDetection: ChangeDetectionStrategy.OnPush })
class Stub {}

const routes = [
  { path: 'home', component: Stub },
  { path: 'sign-in', component: Stub },
];
const BOOKSHELF = 'http://localhost:3002/bookshelf';

async function render(claims = JANE): Promise<RenderedPage<Home>> {
  sessionStorage.clear();
  const page = await renderPage(Home, { backend: new FakeAuthBackend({ session: claims }), routes, url: '/home' });
  await untilState(page.auth, 'authenticated');
  await page.settle();
  return page;
}

const click = (page: RenderedPage<Home>, id: string) => (page.byTestId(id) as HTMLElement).click();
const flushPromises = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('Home page', () => {
  afterEach(() => TestBed.resetTestingModule());

  it("shows the person's name, email, picture and the other ID-token claims", async () => {
    const page = await render();
    expect(page.byTestId('profile-name')?.textContent).toBe('Jane Doe');
    expect(page.byTestId('profile-email')?.textContent).toBe('jane@example.com');
    expect(page.byTestId('avatar-picture')?.getAttribute('src')).toBe('https://example.com/jane.png');
    const claims = page.byTestId('claims')!.textContent!;
    expect(claims).toContain('sub');
    expect(claims).toContain('user-jane');
    expect(claims).toMatch(/Nov 14, 2023, \d+:13:20 [AP]M [^(]+ \(1700000000\)/);
    expect(claims).not.toContain('jane@example.com');
  });

  it('shows the account in words, the raw claims only behind a developer disclosure, and the address once', async () => {
    const page = await render({
      sub: 'u-3',
      email: 'margaret.hamilton@gmail.com',
      email_verified: true,
      created_at: 1700000000000,
      iat: 1700000000,
      username: null,
    });
    expect(page.byTestId('profile-name')?.textContent?.trim()).toBe('margaret.hamilton@gmail.com');
    expect(page.text().split('margaret.hamilton@gmail.com')).toHaveLength(2);
    const facts = page.byTestId('account-facts')!.textContent!;
    expect(facts).toContain('Verified');
    expect(facts).toContain('Member since');
    expect(facts).not.toContain('1700000000');
    const details = page.byTestId('developer-details') as HTMLDetailsElement;
    expect(details.tagName).toBe('DETAILS');
    expect(details.open).toBe(false);
    expect(details.textContent).toContain('username');
    expect(details.textContent).toContain('not set');
    expect(details.textContent).not.toContain('null');
  });

  it('shows initials when there is no picture', async () => {
    const page = await render({ sub: 'u-2', name: 'Ada Lovelace' });
    expect(page.byTestId('avatar-picture')).toBeNull();
    expect(page.byTestId('avatar-initials')?.textContent).toBe('AL');
  });

  it('loads user info through the service and shows it', async () => {
    const page = await render();
    page.backend.userInfoWith = { sub: JANE.sub, email_verified: true };
    click(page, 'load-user-info');
    await page.settle();
    expect(page.backend.calls.fetchUserInfo).toBe(1);
    expect(page.byTestId('user-info')?.textContent).toContain('email_verified');
    expect(page.byTestId('user-info')?.textContent).toContain('true');
  });

  it('shows why user info could not be loaded', async () => {
    const page = await render();
    page.backend.userInfoWith = authErrorOf('network', 'session', 'We could not reach the sign-in service.');
    click(page, 'load-user-info');
    await page.settle();
    const error = page.byTestId('user-info-error')!;
    expect(error.getAttribute('role')).toBe('alert');
    expect(error.textContent).toContain('Could not load user info: We could not reach the sign-in service.');
    expect(page.auth.state()).toBe('authenticated');
  });

  it('calls the Bookstore API with the access token and shows the bookshelf', async () => {
    const page = await render();
    click(page, 'call-api');
    await flushPromises();
    const request = TestBed.inject(HttpTestingController).expectOne(BOOKSHELF);
    expect(request.request.headers.get('Authorization')).toBe('Bearer token-https://api.bookstore.local-1');
    request.flush({ owner: 'user-jane', books: [{ title: 'Dune' }, { title: 'Emma' }] });
    await page.settle();
    const result = page.byTestId('api-result')!.textContent!;
    // The person by the name they know, not the account id the API answers with.
    expect(result).toContain('Your bookshelf, Jane Doe: 2 books');
    expect(result).not.toContain('user-jane');
    expect(result).toContain('Dune');
  });

  it.each([
    [0, 'Could not reach the Bookstore API'],
    [403, 'refused this account (403)'],
    [500, 'answered with an error (500'],
  ])('explains an API failure with status %s', async (status, message) => {
    const page = await render();
    click(page, 'call-api');
    await flushPromises();
    const request = TestBed.inject(HttpTestingController).expectOne(BOOKSHELF);
    if (status === 0) request.error(new ProgressEvent('error'));
    else request.flush('no', { status, statusText: 'Nope' });
    await page.settle();
    expect(page.byTestId('api-error')?.textContent).toContain(message);
  });

  it('a 403 for a missing scope gets one fresh token and one retry, then names the permission and the role to grant', async () => {
    const page = await render();
    const server = TestBed.inject(HttpTestingController);
    const insufficient = {
      status: 403,
      statusText: 'Forbidden',
      headers: { 'WWW-Authenticate': 'Bearer realm="https://api.bookstore.local", error="insufficient_scope", scope="read:books"' },
    };
    click(page, 'call-api');
    await flushPromises();
    server.expectOne(BOOKSHELF).flush('no', insufficient);
    await flushPromises();
    const retry = server.expectOne(BOOKSHELF);
    expect(retry.request.headers.get('Authorization')).toBe('Bearer token-https://api.bookstore.local-2');
    retry.flush('still no', insufficient);
    await page.settle();
    const message = page.byTestId('api-error')?.textContent ?? '';
    expect(message).toContain('lacks the permission read:books');
    expect(message).toContain('a role that grants read:books');
    expect(message).toContain('counts once you sign in again');
    expect(page.byTestId('api-sign-in-again')).not.toBeNull();
    // The session is fine: the person stays signed in.
    expect(page.byTestId('sign-out')).not.toBeNull();
    server.verify();
  });

  it('explains when no access token could be had', async () => {
    const page = await render();
    page.backend.accessTokens = () => authErrorOf('network', 'session', 'We could not reach the sign-in service.');
    click(page, 'call-api');
    await page.settle();
    expect(page.byTestId('api-error')?.textContent).toContain('Could not get an access token: We could not reach the sign-in service.');
  });

  it('a refused token after a refresh ends the session and offers to sign in again', async () => {
    const page = await render();
    const server = TestBed.inject(HttpTestingController);
    click(page, 'call-api');
    await flushPromises();
    server.expectOne(BOOKSHELF).flush('expired', { status: 401, statusText: 'Unauthorized' });
    await flushPromises();
    server.expectOne(BOOKSHELF).flush('expired', { status: 401, statusText: 'Unauthorized' });
    await untilState(page.auth, 'error');
    await page.settle();
    expect(page.byTestId('auth-error-title')?.textContent).toBe('Your session ended, please sign in again');
    expect(page.byTestId('profile')).toBeNull();

    click(page, 'error-sign-in');
    await untilState(page.auth, 'signingIn.redirecting');
    await page.settle();
    expect(TestBed.inject(Router).url).toBe('/sign-in');
    expect(TestBed.inject(ReturnUrl).consume('none')).toBe('/home');
  });

  it('switch account asks the provider to authenticate again and shows the sign-in progress, keeping the person meanwhile', async () => {
    const page = await render();
    click(page, 'switch-account');
    await untilState(page.auth, 'signingIn.redirecting');
    await page.settle();
    expect(page.backend.port.calls.startSignIn).toEqual([{ firstScreen: 'identifier:sign_in', identifiers: ['email'], prompt: 'login' }]);
    expect(TestBed.inject(Router).url).toBe('/sign-in');
    expect(TestBed.inject(ReturnUrl).consume('none')).toBe('/home');
    expect(page.auth.claims()?.sub).toBe(JANE.sub);
  });

  it('drops an API answer that lands after an account switch: the result shown belongs to who is signed in', async () => {
    sessionStorage.clear();
    const MAX = { sub: 'user-max', name: 'Max Mustermann', email: 'max@example.com' };
    const backend = new FakeAuthBackend({ session: JANE, nextClaims: MAX });
    const page = await renderPage(Home, { backend, routes, url: '/home' });
    await untilState(page.auth, 'authenticated');
    await page.settle();
    const server = TestBed.inject(HttpTestingController);
    click(page, 'call-api');
    await flushPromises();
    const janesCall = server.expectOne(BOOKSHELF);

    page.auth.switchAccount('max@example.com');
    await untilState(page.auth, 'signingIn.redirecting');
    backend.port.completeBrowserSignIn();
    await untilState(page.auth, 'authenticated');
    await page.settle(); // the page has shown Max by the time Jane's answer lands
    expect(page.auth.claims()?.sub).toBe(MAX.sub);

    janesCall.flush({ owner: 'Jane Doe', books: ['Jane Eyre'] });
    await flushPromises();
    await page.settle();
    expect(page.byTestId('api-result')).toBeNull();
    expect(page.byTestId('api-error')).toBeNull();
  });

  it('draws each deferred button with its icon', async () => {
    const page = await render();
    const icons = [page.byTestId('sign-out'), page.byTestId('switch-account')].map(
      (button) => (button?.querySelector('ion-icon') as (HTMLElement & { icon?: string }) | null)?.icon ?? '',
    );
    expect(icons).toHaveLength(2);
    for (const icon of icons) expect(icon).toMatch(/^data:image\/svg\+xml/);
    expect(icons[0]).not.toBe(icons[1]);
  });

  it('signs out: shows progress, then goes to sign-in', async () => {
    const page = await render();
    page.backend.port.hold('signOut');
    click(page, 'sign-out');
    await untilState(page.auth, 'signingOut');
    await page.settle();
    expect(page.byTestId('auth-busy')?.textContent).toContain('Signing out…');
    expect(page.byTestId('profile')).toBeNull();
    page.backend.port.resolveHeld('signOut');
    await untilState(page.auth, 'idle');
    await page.settle();
    expect(TestBed.inject(Router).url).toBe('/sign-in');
    expect(page.backend.port.calls.signOut).toEqual([{}]);
  });
});
