/**
 * Which requests get an access token is decided on the parsed URL (origin
 * and path), never by string prefix (`http://localhost:3002` as a string prefix also matches
 * `http://localhost:3002.evil.test/`, which would receive the token), and a malformed prefix stops the app at start-up, named.
 */
import { ApiPrefixes, parseApiPrefix } from './api-prefixes';
import { apiRouteFor } from './auth-config';

const bookstore = { urlPrefix: 'http://localhost:3002/', resource: 'bookstore' };
const reviews = { urlPrefix: 'https://api.example.com/reviews/', resource: 'reviews' };

describe('API prefixes', () => {
  it('refuses a prefix without its trailing slash, naming it, instead of sending tokens to localhost:3002.evil.test', () => {
    const apis = [{ urlPrefix: 'http://localhost:3002', resource: 'bookstore' }];
    expect(() => apiRouteFor(apis, 'http://localhost:3002.evil.test/steal')).toThrow(
      'API prefix "http://localhost:3002" (resource bookstore) must end with "/".',
    );
  });

  it('routes on the URL the browser will request (what the interceptor asks apiRouteFor), not on its spelling', () => {
    const apis = [reviews];
    expect(apiRouteFor(apis, 'https://api.example.com/reviews/../admin/delete')).toBeUndefined();
    expect(apiRouteFor(apis, 'https://API.EXAMPLE.COM/reviews/1')).toBe(reviews);
  });

  it.each([
    ['localhost:3002/', 'must be an http(s) URL.'],
    ['/api/', 'is not an absolute URL.'],
    ['ftp://files.example.com/', 'must be an http(s) URL.'],
    ['https://user:secret@api.example.com/', 'must not carry a user name or password.'],
    ['https://api.example.com/v1/?key=1', 'must not have a query or fragment.'],
    ['https://api.example.com/v1/#x', 'must not have a query or fragment.'],
    ['https://api.example.com/v1', 'must end with "/".'],
  ])('refuses the prefix %j: %s', (urlPrefix, why) => {
    expect(() => parseApiPrefix({ urlPrefix, resource: 'r' })).toThrow(`API prefix "${urlPrefix}" (resource r) ${why}`);
  });

  it('sends no token where the browser would really go elsewhere', () => {
    const prefixes = new ApiPrefixes([bookstore, reviews]);
    for (const url of [
      'http://localhost:3002.evil.test/bookshelf',
      'http://localhost:3002@evil.test/bookshelf',
      'http://user@localhost:3002/bookshelf',
      'https://localhost:3002/bookshelf',
      'http://localhost:30021/bookshelf',
      'https://api.example.com/reviews-admin/1',
      'https://api.example.com/reviews/../admin/1',
      'https://api.example.com/reviews/%2e%2e/admin/1',
      'https://api.example.com/',
      'https://api.example.com.evil.test/reviews/1',
      '/bookshelf',
      'not a url',
    ]) {
      expect({ url, route: prefixes.routeFor(url) }).toEqual({ url, route: undefined });
    }
  });

  it('sends the token wherever the parsed URL is on the API, spelled however', () => {
    const prefixes = new ApiPrefixes([bookstore, reviews, { urlPrefix: 'http://localhost:3002/reviews/', resource: 'local-reviews' }]);
    expect(prefixes.routeFor('http://localhost:3002/bookshelf')).toBe(bookstore);
    expect(prefixes.routeFor('http://LOCALHOST:3002/bookshelf?page=2')).toBe(bookstore);
    expect(prefixes.routeFor('http://localhost:3002')).toBe(bookstore);
    expect(prefixes.routeFor('https://API.example.com:443/reviews/1')).toBe(reviews);
    expect(prefixes.routeFor('https://api.example.com/x/../reviews/1')).toBe(reviews);
    // The longest prefix wins.
    expect(prefixes.routeFor('http://localhost:3002/reviews/7')?.resource).toBe('local-reviews');
  });
});
