import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { UserStore, normalizeEmail, type UserStoreFile } from './accounts/user-store.ts';
import { Faults, type FaultMode, type FaultTarget } from './control/faults.ts';
import { TokenTraffic } from './control/token-traffic.ts';
import { OriginAllowList } from './http/cors.ts';
import { devHostsFor, exposureWarning, refuseMisdirected } from './http/dev-hosts.ts';
import { sendHtml } from './http/http-util.ts';
import { safeLog } from './http/log-line.ts';
import { secureHtmlResponses } from './http/page-headers.ts';
import { servePageAsset } from './pages/assets.ts';
import { noteInteractionLocale, rememberUiLocales, runWithRequestLocale, type LanguagePolicy } from './pages/i18n.ts';
import { loadIdentityConfig } from './identity-config.ts';
import { createCodeDelivery } from './mail/deliver-code.ts';
import { Mailbox, devMailboxTransport } from './mail/dev-mailbox.ts';
import { serveMailbox } from './mail/mailbox-routes.ts';
import type { MailRecord, MailTransport } from './mail/types.ts';
import { loadOrCreateSecrets, type ServerSecrets } from './oidc/keys.ts';
import { ModelStore, type ModelStoreFile } from './oidc/model-store.ts';
import { mountProvider, oidcMountPath } from './oidc/oidc-mount.ts';
import { createProvider, logtoTtls, type Ttls } from './oidc/provider.ts';
import { createResourceCatalog } from './oidc/resources.ts';
import { homePage } from './pages/home-page.ts';
import { crashPage, notFoundPage } from './pages/message-pages.ts';
import { createLocalTenant, type ManagementRequest } from './management/local-tenant.ts';
import type { M2mAppSeed } from './management/seed.ts';
import { refuseRegistrationWhenClosed } from './management/sign-in-gate.ts';
import { generateSecret, type TenantStateFile } from './management/tenant-state.ts';
import { JsonFile } from './persistence/json-file.ts';
import { createPasswordRoutes } from './sign-in/password/password-routes.ts';
import { PasswordStore, type PasswordStoreFile } from './sign-in/password/password-store.ts';
import { createSignInRoutes } from './sign-in/sign-in-routes.ts';
import { defaultCodeLimits, VerificationCodes, type CodeLimits } from './sign-in/verification-codes.ts';

export interface IdpOptions {
  /** 0 = a free port (tests); default 3001 (identity.config.json ports.idp) */
  port?: number;
  /** Address to bind; default '127.0.0.1'. URLs always say 'localhost'. Beyond loopback it warns loudly. */
  host?: string;
  /** Host names it answers to (421 otherwise); default identity.config.json devHosts, plus a specific bind address. */
  devHosts?: string[];
  appId?: string;
  redirectUris?: string[];
  postLogoutRedirectUris?: string[];
  /** CORS allow-list; default identity.config.json appOrigins */
  appOrigins?: string[];
  /** seconds */
  ttl?: Partial<Ttls>;
  /** The code page's countdown before "Send a new code", within one sign-in; default 60 (same as codeLimits.resendCooldownSeconds). */
  resendCooldown?: number;
  /**
   * One-time-code limits per email address, across interactions (docs/dev-idp.md): default 10
   * wrong codes per hour, then a 10-minute lockout; 10 codes per 10 minutes (Logto's); the code
   * page's 60 s countdown within one sign-in.
   */
  codeLimits?: Partial<CodeLimits>;
  /** Persist users, keys, sessions, grants and tokens here; in memory when absent. */
  dataDir?: string;
  /** Extra transport (e.g. Aliyun); the dev mailbox records every message either way. */
  mail?: MailTransport | null;
  log?: (line: string) => void;
  /**
   * The local tenant on a first start (dev-idp/management): 'desired' (default) is seeded from
   * tenant/tenant.json + identity.config.json; 'empty' is a brand-new Logto tenant (only the M2M
   * app), for proving `npm run logto:setup`. A saved tenant (dataDir/tenant.json) wins.
   */
  tenant?: 'desired' | 'empty';
  /** M2M apps of a first start; default one with the Management API role and a random secret. */
  m2mApps?: M2mAppSeed[];
  /** Seeds the tenant's aliyun-direct-mail connector with this key pair (else no connector). */
  connectorSecrets?: { accessKeyId: string; accessKeySecret: string };
  /** Where the tenant connector's DirectMail requests go instead of Aliyun (ALIYUN_DM_ENDPOINT). */
  connectorEndpoint?: string;
}

export interface RunningIdp {
  /** 'http://localhost:PORT': the Logto SDK's `endpoint` */
  endpoint: string;
  /** `${endpoint}/oidc` */
  issuer: string;
  port: number;
  appId: string;
  mailbox: { all(): MailRecord[]; latestCode(to: string): string | undefined; clear(): void };
  /** `times`: requests the fault hits before it clears itself (default: until `clear()`). */
  faults: { set(target: FaultTarget, mode: FaultMode, delayMs?: number, times?: number): void; clear(): void };
  counters: {
    readonly tokenRequests: number;
    readonly authorizationCodeGrants: number;
    readonly refreshGrants: number;
    readonly revocations: number;
    readonly maxConcurrentRefreshGrants: number;
    reset(): void;
  };
  /** Server-side revocation of every grant, token and session (of one account when given). */
  revokeAllGrants(accountEmail?: string): Promise<void>;
  /** The local Management API (dev-idp/management): who may call it, and what it was asked. */
  management: {
    readonly resource: string;
    readonly m2mApp: { readonly id: string; readonly secret: string } | undefined;
    readonly requests: readonly ManagementRequest[];
  };
  stop(): Promise<void>;
}

const maxCodeAttempts = 10;
const grantBoundModels = ['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest'];

/** Starts the Logto-compatible identity server (oidc-provider under /oidc, sign-in pages, dev mailbox). */
export async function startIdentityServer(options: IdpOptions = {}): Promise<RunningIdp> {
  const config = loadIdentityConfig();
  // Requests are answered once the server is assembled (it needs its port to know its issuer).
  const router: Router = {};
  const host = options.host ?? '127.0.0.1';
  const devHosts = devHostsFor(options.devHosts ?? config.devHosts, host);
  // Every line printed without control characters (terminal escapes from request data or a template).
  const log = safeLog(options.log ?? ((line: string) => console.log(line)));
  const server = createServer((req, res) => {
    // No keep-alive: tests stop and restart the server on the same port, and a client's pooled
    // socket to the old server would fail the next request ("other side closed").
    res.setHeader('Connection', 'close');
    // Every HTML page gets the same security headers, whoever renders it (oidc-provider too).
    secureHtmlResponses(res);
    // Every route, the OIDC endpoints included: a DNS-rebinding page must neither read the dev
    // mailbox nor make the sign-in pages mail codes.
    if (refuseMisdirected(req, res, devHosts, log)) {
      return;
    }
    if (router.handle) {
      router.handle(req, res);
    } else {
      res.writeHead(503, { 'Retry-After': '1' }).end();
    }
  });
  const port = await listen(server, options.port ?? config.ports.idp, host);
  const warning = exposureWarning('identity server', host, port);
  if (warning) {
    log(warning);
  }
  try {
    return await assemble(server, port, router, options);
  } catch (error) {
    server.closeAllConnections();
    server.close();
    throw error;
  }
}

async function assemble(server: Server, port: number, router: Router, options: IdpOptions): Promise<RunningIdp> {
  const config = loadIdentityConfig();
  // Every line printed without control characters (terminal escapes from request data or a template).
  const log = safeLog(options.log ?? ((line: string) => console.log(line)));
  const appName = config.appName;
  const appId = options.appId ?? config.logto.appId;
  const ttl: Ttls = { ...logtoTtls, ...definedOnly(options.ttl ?? {}) };
  const origins = new OriginAllowList(options.appOrigins ?? config.appOrigins);
  const endpoint = `http://localhost:${port}`;
  const issuer = `${endpoint}${oidcMountPath}`;

  const fileError = (error: Error) => log(`[data] could not save: ${error.message}`);
  const dataFile = <T>(name: string) => (options.dataDir ? new JsonFile<T>(join(options.dataDir, name), fileError) : undefined);
  const secrets = await loadOrCreateSecrets(dataFile<ServerSecrets>('keys.json'));
  const store = new ModelStore(dataFile<ModelStoreFile>('oidc-store.json'));
  const users = new UserStore(dataFile<UserStoreFile>('users.json'));
  const redirectUris = options.redirectUris ?? [config.redirectUris.native.signIn, config.redirectUris.web.signIn];
  const postLogoutRedirectUris = options.postLogoutRedirectUris ?? [config.redirectUris.native.signOut, config.redirectUris.web.signOut];
  const tenant = await createLocalTenant({
    file: dataFile<TenantStateFile>('tenant.json'),
    seed: {
      kind: options.tenant ?? 'desired',
      appId,
      redirectUris: options.redirectUris,
      postLogoutRedirectUris: options.postLogoutRedirectUris,
      m2mApps: options.m2mApps ?? [{ id: 'logto-setup-local', secret: generateSecret(), managementApiAccess: true }],
    },
    connectorSecrets: options.connectorSecrets,
    connectorEndpoint: options.connectorEndpoint,
    baseCatalog: createResourceCatalog(config.resources, () => ttl.accessToken),
    accessTokenTtl: () => ttl.accessToken,
    fallbackMail: devMailboxTransport(appName),
    appName,
    log,
    users,
  });

  const provider = createProvider({
    issuer,
    appId,
    appName,
    redirectUris,
    postLogoutRedirectUris,
    clients: tenant.clients,
    origins,
    ttl,
    secrets,
    store,
    users,
    resources: tenant.resources,
    log,
  });
  const tenantRoutes = tenant.mount(provider);

  const faults = new Faults();
  const traffic = new TokenTraffic();
  const oidc = mountProvider(provider, faults, traffic, origins);
  const mailbox = new Mailbox(log);
  // ALIYUN_DM_CONFIG (options.mail) overrides the tenant's connector; without either, the dev mailbox.
  const deliver = createCodeDelivery(options.mail ?? tenant.mail, mailbox);
  const passwords = new PasswordStore(dataFile<PasswordStoreFile>('passwords.json'));
  const passwordRoutes = createPasswordRoutes({
    provider,
    users,
    passwords,
    experience: () => tenant.state.signInExperience,
    limits: { ...defaultCodeLimits, ...options.codeLimits },
    appName,
    ...webAppUrl(redirectUris),
    log,
  });
  const registrationClosed = refuseRegistrationWhenClosed(tenant.state, appName);
  const signIn = createSignInRoutes({
    afterCode: async (req, res, interaction, pending) =>
      (await registrationClosed(req, res, interaction, pending)) || passwordRoutes.afterCode(req, res, interaction, pending),
    provider,
    users,
    deliver,
    appName,
    log,
    // The web app this server redirects to (the first http(s) redirect URI registered).
    ...webAppUrl(redirectUris),
    codeTtlSeconds: ttl.verificationCode,
    codes: new VerificationCodes({
      ttlSeconds: ttl.verificationCode,
      maxAttempts: maxCodeAttempts,
      ...(options.resendCooldown === undefined ? {} : { resendCooldownSeconds: options.resendCooldown }),
      ...options.codeLimits,
    }),
  });

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', endpoint);
    if (servePageAsset(req, res, url)) {
      return;
    }
    if (!url.pathname.startsWith(`${oidcMountPath}/`) && url.pathname !== oidcMountPath) {
      // The sign-in interaction's ui_locales (the app's language) picks the pages' language.
      await noteInteractionLocale(provider, req, res);
    }
    if (url.pathname === `${oidcMountPath}/auth`) {
      rememberUiLocales(res, url);
    }
    if (url.pathname === oidcMountPath || url.pathname.startsWith(`${oidcMountPath}/`)) {
      await oidc.handle(req, res);
    } else if (url.pathname === '/dev/mailbox' && req.method === 'GET') {
      serveMailbox(req, res, url, mailbox, appName);
    } else if (url.pathname === '/' && req.method === 'GET') {
      sendHtml(res, 200, homePage(appName, issuer, appId));
    } else if (!(await tenantRoutes(req, res, url)) && !(await passwordRoutes.handle(req, res, url)) && !(await signIn(req, res, url))) {
      sendHtml(res, 404, notFoundPage(appName));
    }
  };
  router.handle = (req, res) => {
    // The tenant's sign-in experience decides whether the browser's language counts, and the fallback.
    runWithRequestLocale(req, () => route(req, res), (tenant.state.signInExperience['languageInfo'] ?? {}) as LanguagePolicy).catch(
      (error: unknown) => {
        log(`[http] ${req.method} ${req.url?.split('?')[0]} failed: ${(error as Error)?.stack ?? String(error)}`);
        if (!res.headersSent) {
          sendHtml(res, 500, crashPage(appName));
        } else {
          res.destroy();
        }
      },
    );
  };

  async function revokeAllGrants(accountEmail?: string): Promise<void> {
    const accountId = accountEmail === undefined ? undefined : users.findByEmail(normalizeEmail(accountEmail))?.id;
    if (accountEmail !== undefined && !accountId) {
      return;
    }
    const belongs = (payload: { accountId?: string | undefined }) => accountId === undefined || payload.accountId === accountId;
    for (const [grantId, payload] of [...store.payloads('Grant')]) {
      if (belongs(payload)) {
        for (const model of grantBoundModels) {
          await store.adapterFactory(model).revokeByGrantId(grantId);
        }
        await store.adapterFactory('Grant').destroy(grantId);
      }
    }
    // Sessions too, so the next sign-in asks for the email again instead of passing silently.
    for (const [sessionId, payload] of [...store.payloads('Session')]) {
      if (belongs(payload)) {
        await store.adapterFactory('Session').destroy(sessionId);
      }
    }
  }

  let stopped: Promise<void> | undefined;
  async function stop(): Promise<void> {
    stopped ??= (async () => {
      oidc.cancelDelays();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await Promise.all([store.flush(), users.flush(), tenant.state.flush(), passwords.flush()]);
    })();
    return stopped;
  }

  log(`[idp] listening on ${endpoint} (issuer ${issuer}, app id ${appId}${options.dataDir ? `, data in ${options.dataDir}` : ''})`);

  return {
    endpoint,
    issuer,
    port,
    appId,
    mailbox: {
      all: () => mailbox.all(),
      latestCode: (to) => mailbox.latestCode(to),
      clear: () => mailbox.clear(),
    },
    faults: {
      set: (target, mode, delayMs, times) => faults.set(target, mode, delayMs, times),
      clear: () => faults.clear(),
    },
    counters: {
      get tokenRequests() {
        return traffic.tokenRequests;
      },
      get authorizationCodeGrants() {
        return traffic.authorizationCodeGrants;
      },
      get refreshGrants() {
        return traffic.refreshGrants;
      },
      get revocations() {
        return traffic.revocations;
      },
      get maxConcurrentRefreshGrants() {
        return traffic.maxConcurrentRefreshGrants;
      },
      reset: () => traffic.reset(),
    },
    revokeAllGrants,
    management: {
      resource: tenant.managementResource,
      get m2mApp() {
        return tenant.m2mApp;
      },
      requests: tenant.requests,
    },
    stop,
  };
}

interface Router {
  handle?: (req: IncomingMessage, res: ServerResponse) => void;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** `{ appUrl }` for the first http(s) redirect URI (the web app's origin), or nothing. */
function webAppUrl(redirectUris: readonly string[]): { appUrl?: string } {
  const web = redirectUris.find((uri) => /^https?:\/\//.test(uri));
  return web ? { appUrl: `${new URL(web).origin}/` } : {};
}
