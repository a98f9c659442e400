import { readFileSync } from 'node:fs';

/** The part of identity.config.json (the single source of truth) that the local servers read. */
export interface IdentityConfig {
  readonly appName: string;
  readonly logto: { readonly endpoint: string; readonly appId: string };
  readonly redirectUris: {
    readonly native: { readonly signIn: string; readonly signOut: string };
    readonly web: { readonly signIn: string; readonly signOut: string };
  };
  readonly scopes: readonly string[];
  readonly resources: readonly string[];
  readonly apis: readonly { readonly urlPrefix: string; readonly resource: string }[];
  readonly appOrigins: readonly string[];
  readonly ports: { readonly app: number; readonly idp: number; readonly api: number };
  /**
   * The development hosts: loopback, the Android emulator's 10.0.2.2, and a LAN address added
   * for a physical device. The local servers answer only to these names (421 otherwise), and
   * plain http is accepted only for them (LOGTO_ENDPOINT, API prefixes).
   */
  readonly devHosts: readonly string[];
  /** The brand (the identity pages' name, logos and primary colours); optional in older configs. */
  readonly brand?: {
    readonly name?: string;
    readonly logo?: string;
    readonly logoDark?: string;
    readonly logoUrl?: string;
    readonly darkLogoUrl?: string;
    readonly primaryColor?: string;
    readonly primaryColorDark?: string;
  };
  /** The languages of the app, the identity pages and the emails; the first is the fallback. */
  readonly languages?: { readonly supported?: readonly string[] };
}

const configUrl = new URL('../identity.config.json', import.meta.url);

let cached: IdentityConfig | undefined;

/** Reads identity.config.json once; the servers never hard-code what it holds. */
export function loadIdentityConfig(): IdentityConfig {
  cached ??= JSON.parse(readFileSync(configUrl, 'utf8')) as IdentityConfig;
  return cached;
}
