/**
 * Points the real `@logto/connector-aliyun-dm` at another DirectMail endpoint (the local fake)
 * without modifying the package.
 *
 * The connector posts with its own `got` import to a hard-coded regional URL. We substitute the
 * `got` module *for that package only* with `got.extend()` plus a `beforeRequest` hook that
 * rewrites the URL — through Node's module customization hook (`module.registerHooks`) when run
 * by Node, and through Jest's ESM module registry (`jest.unstable_mockModule`) when run by Jest,
 * whose own module loader never consults Node's hooks. Both are module-system features; nothing
 * global (`https.request`, DNS, the connector's files) is patched, and requests remain real HTTP.
 *
 * Which endpoint a request goes to is decided per call from an AsyncLocalStorage scope, so
 * several transports (tests) can route to different fakes in one process, and a request made
 * outside a transport's `send` is left alone. See docs/aliyun-dm.md for the reasoning.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { registerHooks } from 'node:module';

import * as realGotModule from 'got';
import type { Got } from 'got';

export interface DeliveryRoute {
  /** Replace the connector's Aliyun URL with this endpoint; undefined = talk to real Aliyun. */
  readonly endpoint: URL | undefined;
  readonly timeoutMs: number;
}

export type RoutingMechanism = 'node-module-hook' | 'jest-module-registry';

/** Header carrying the Aliyun host the connector chose (lets the fake check the region). */
export const originalHostHeader = 'x-aliyun-dm-original-host';

const routeScope = new AsyncLocalStorage<DeliveryRoute>();
const aliyunHost = /^dm(\.[a-z0-9-]+)?\.aliyuncs\.com$/;
const connectorPackagePath = '/node_modules/@logto/connector-aliyun-dm/';

let installed = false;
let substitutedBy: RoutingMechanism | undefined;

/** Runs `deliver` so that the connector's HTTP request inside it follows `route`. */
export function withDeliveryRoute<T>(route: DeliveryRoute, deliver: () => Promise<T>): Promise<T> {
  return routeScope.run(route, deliver);
}

/** `got` as the connector gets it: the real one, plus the route applied right before sending. */
export function createRoutedGot(base: Got): Got {
  return base.extend({
    hooks: {
      beforeRequest: [
        (options) => {
          const route = routeScope.getStore();
          if (!route) return;
          // got has no default timeout: without one a silent endpoint would hold the code page forever.
          options.timeout = { request: route.timeoutMs };
          const url = options.url;
          if (!route.endpoint || !(url instanceof URL) || !aliyunHost.test(url.hostname)) return;
          options.headers[originalHostHeader] = url.host;
          options.url = new URL(`${url.pathname.replace(/^\//, '')}${url.search}`, route.endpoint);
        },
      ],
    },
  });
}

/**
 * Installs the substitution (once per module registry). Must run before the connector package
 * is first imported; `connectorRouting()` tells afterwards whether it took effect.
 */
export function installConnectorRouting(): void {
  if (installed) return;
  installed = true;
  const jest = (import.meta as ImportMeta & { jest?: JestModuleRegistry }).jest;
  if (jest) {
    // Jest resolves ESM imports itself, per test file: register `got` for this registry.
    // The real module was imported statically above, before the mock exists.
    jest.unstable_mockModule('got', () => {
      const routed = createRoutedGot(realGotModule.got);
      markConnectorRouted('jest-module-registry');
      return { ...realGotModule, default: routed, got: routed };
    });
    return;
  }
  const substitute = new URL('./aliyun-connector-got.ts', import.meta.url).href;
  registerHooks({
    resolve(specifier, context, nextResolve) {
      if (specifier === 'got' && context.parentURL?.includes(connectorPackagePath)) {
        return { url: substitute, format: 'module-typescript', shortCircuit: true };
      }
      return nextResolve(specifier, context);
    },
  });
}

/** Called where the routed `got` is handed to the connector. */
export function markConnectorRouted(mechanism: RoutingMechanism): void {
  substitutedBy = mechanism;
}

/** How the connector got the routed `got`; undefined if it was loaded without it. */
export function connectorRouting(): RoutingMechanism | undefined {
  return substitutedBy;
}

interface JestModuleRegistry {
  unstable_mockModule(moduleName: string, factory: () => unknown): unknown;
}
