import { jest } from '@jest/globals';

// These tests start real servers and run whole sign-ins over HTTP: on a busy 2-core machine one
// can take longer than Jest's default 5 s without anything being wrong; timing that matters is
// asserted inside the tests themselves. Set here because Jest 30 reads `testTimeout` only from
// the root configuration: in a project's configuration it is silently ignored.
jest.setTimeout(15_000);
