import { inspectSignInCallback, isRedirectTo } from './redirect-uri';

const signIn = new URL('com.example.app://callback');
const signOut = new URL('com.example.app://callback/sign-out');
const webSignIn = new URL('http://localhost:8100/callback');

describe('exact redirect-URI matching', () => {
  it('does not take the sign-out URI for the sign-in URI it starts with', () => {
    expect(isRedirectTo('com.example.app://callback/sign-out?state=s', signIn)).toBe(false);
    expect(isRedirectTo('com.example.app://callback/sign-out', signOut)).toBe(true);
    expect(isRedirectTo('com.example.app://callback?code=c&state=s', signOut)).toBe(false);
  });

  it('accepts the sign-in URI with any query, and a scheme written in capitals', () => {
    expect(isRedirectTo('com.example.app://callback?code=c&state=s', signIn)).toBe(true);
    expect(isRedirectTo('COM.EXAMPLE.APP://callback?code=c', signIn)).toBe(true);
  });

  it.each([
    'com.example.app://callback/',
    'com.example.app://callbacks',
    'com.example.app://other/callback',
    'com.example.app:callback',
    'com.example.evil://callback',
    'https://callback',
    'user@com.example.app://callback',
    'not a url',
    '',
  ])('refuses %p for the native sign-in URI', (candidate) => {
    expect(isRedirectTo(candidate, signIn)).toBe(false);
  });

  it.each([
    'http://localhost:8101/callback?code=c&state=s',
    'https://localhost:8100/callback?code=c&state=s',
    'http://localhost:8100/callback/?code=c&state=s',
    'http://user:pw@localhost:8100/callback?code=c&state=s',
  ])('refuses %p for the web sign-in URI (port, scheme, path, credentials)', (candidate) => {
    expect(isRedirectTo(candidate, webSignIn)).toBe(false);
  });
});

describe('reading a sign-in callback', () => {
  it('reads state and code, or the provider error', () => {
    expect(inspectSignInCallback('com.example.app://callback?code=c&state=s&iss=x', signIn)).toEqual({
      ok: true,
      params: { state: 's', hasCode: true },
    });
    expect(inspectSignInCallback('com.example.app://callback?error=access_denied&state=s', signIn)).toEqual({
      ok: true,
      params: { state: 's', hasCode: false, error: 'access_denied' },
    });
  });

  it.each([
    ['com.example.app://callback?code=c', 'missing_state'],
    ['com.example.app://callback?state=s', 'missing_code'],
    ['com.example.app://callback?code=c&state=s#frag', 'malformed'],
    ['com.example.app://callback?code=c&state=s?x', 'malformed'],
    ['com.example.app://callback?code=c&code=d&state=s', 'malformed'],
    ['com.example.app://callback/sign-out?code=c&state=s', 'not_redirect_uri'],
    ['%%%', 'malformed'],
  ])('refuses %p (%s)', (candidate, reason) => {
    expect(inspectSignInCallback(candidate, signIn)).toEqual({ ok: false, reason });
  });
});
