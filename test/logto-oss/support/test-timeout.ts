import { jest } from '@jest/globals';

// A real Logto server answers slower than the in-process one, and its refresh-token leeway is
// timed. Set here because Jest 30 ignores `testTimeout` in a project's configuration.
jest.setTimeout(60_000);
