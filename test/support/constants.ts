/**
 * The app's identity settings as the tests use them: the native redirect URIs of
 * identity.config.json and the three API resources the adapter and integration specs ask tokens
 * for. One definition, so a harness cannot drift from another.
 */
export const SIGN_IN_URI = 'com.example.app://callback';
export const SIGN_OUT_URI = 'com.example.app://callback/sign-out';
/** The sample API's resource (the one `read:books` is granted for). */
export const BOOKS = 'https://api.bookstore.local';
export const RESOURCES = [BOOKS, 'https://api.reviews.local', 'https://api.billing.local'];
