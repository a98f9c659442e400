import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The development hosts (identity.config.json `devHosts`): the only names the local servers
 * answer to. A page on another site that rebinds its DNS name to 127.0.0.1 reaches the server
 * with its own name in `Host`; refusing that name keeps the dev mailbox's codes, the sign-in
 * pages (which mail codes, maybe through a real Aliyun account) and the sample API out of its
 * reach. Ports do not matter: `adb reverse` may map any port.
 */
export class DevHostAllowList {
  readonly #hosts: ReadonlySet<string>;

  constructor(hosts: readonly string[]) {
    this.#hosts = new Set(hosts.map(normalizeHostName).filter((host): host is string => host !== undefined));
  }

  get hosts(): readonly string[] {
    return [...this.#hosts];
  }

  /** Whether a request's `Host` header (name and optional port) names a development host. */
  allows(hostHeader: string | undefined): boolean {
    if (!hostHeader) {
      return false;
    }
    try {
      return this.#hosts.has(new URL(`http://${hostHeader}`).hostname);
    } catch {
      return false;
    }
  }
}

/**
 * The configured development hosts, plus the address the server binds to when that is one
 * specific address (`DEV_IDP_HOST=192.168.1.20` is plainly meant to be reached by it; a
 * wildcard such as 0.0.0.0 names no host).
 */
export function devHostsFor(configured: readonly string[], bindAddress: string): DevHostAllowList {
  const wildcard = bindAddress === '0.0.0.0' || bindAddress === '::' || bindAddress === '[::]';
  return new DevHostAllowList(wildcard ? configured : [...configured, bindAddress]);
}

/** `localhost`, `10.0.2.2`, `::1` or `[::1]` → the form `URL.hostname` gives; undefined if not a host name. */
export function normalizeHostName(host: string): string | undefined {
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  try {
    const url = new URL(`http://${bracketed}`);
    return url.port === '' && url.pathname === '/' ? url.hostname : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Answers 421 Misdirected Request, with one line saying why, when the request names a host that
 * is not a development host; returns true when it did. Logged (without the request's query), so
 * a developer reaching the server by a new name learns where to add it.
 */
export function refuseMisdirected(
  req: IncomingMessage,
  res: ServerResponse,
  allowList: DevHostAllowList,
  log: (line: string) => void,
): boolean {
  if (allowList.allows(req.headers.host)) {
    return false;
  }
  log(
    `[http] 421 for Host ${JSON.stringify(req.headers.host ?? '')} (${req.method} ${req.url?.split('?')[0]}): not a development host; add it to devHosts in identity.config.json if you meant to reach this server by that name`,
  );
  res.writeHead(421, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' });
  res.end(
    `421 Misdirected Request: this development server answers only to ${allowList.hosts.join(', ')} (devHosts in identity.config.json).\n`,
  );
  return true;
}

/** 127.0.0.0/8, ::1 and `localhost`: only this machine can connect. */
export function isLoopbackAddress(address: string): boolean {
  const host = address.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::ffff:127.0.0.1';
}

/**
 * A loud terminal warning when a development server listens beyond loopback: anyone on the
 * network can then read sign-in codes from the dev mailbox and sign in as anyone.
 */
export function exposureWarning(what: string, address: string, port: number): string | undefined {
  if (isLoopbackAddress(address)) {
    return undefined;
  }
  const bar = '!'.repeat(78);
  return [
    bar,
    `!! WARNING: the ${what} listens on ${address}:${port}, beyond this machine.`,
    '!! Every device on the network can reach it: it is a development server with no protection',
    "!! (the identity server's dev mailbox shows every sign-in code). Use a trusted network only, and prefer",
    '!! `adb reverse` (docs/native.md), which keeps it on 127.0.0.1.',
    bar,
  ].join('\n');
}
