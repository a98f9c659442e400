// The development hosts of identity.config.json (`devHosts`: loopback, the Android emulator's
// 10.0.2.2, a LAN address for a physical device), for the build scripts. The local servers
// use the same list through dev-idp/http/dev-hosts.ts.

/** `::1` and `[::1]` alike → the form `URL.hostname` gives. */
function normalize(host) {
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  try {
    return new URL(`http://${bracketed}`).hostname;
  } catch {
    return undefined;
  }
}

/** Whether `hostname` (a `URL.hostname`) is one of the development hosts. */
export function isDevHost(identity, hostname) {
  return (identity.devHosts ?? []).some((host) => normalize(host) === hostname);
}

/**
 * LOGTO_ENDPOINT=http://<dev host>:<idp port> is the local identity server seen from a device
 * (the physical-device recipe), not a Logto tenant: `npm start` still starts it.
 */
export function namesLocalIdentityServer(identity, endpoint) {
  try {
    const url = new URL(endpoint);
    return url.protocol === 'http:' && isDevHost(identity, url.hostname) && url.port === String(identity.ports.idp);
  } catch {
    return false;
  }
}
