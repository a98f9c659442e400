import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendScript } from '../http/http-util.ts';
import { loadIdentityConfig } from '../identity-config.ts';
import { brandLogoPaths } from './layout.ts';

/** Where the sign-out page's script is served. */
export const signOutScriptPath = '/assets/sign-out.js';
/** Where the code page's script (code-page.js) is served. */
export const codePageScriptPath = '/assets/code-page.js';

/** The pages' browser scripts (plain files, read once: the server does not change under a run). */
const scripts = new Map([
  [signOutScriptPath, readFileSync(new URL('./sign-out.js', import.meta.url), 'utf8')],
  [codePageScriptPath, readFileSync(new URL('./code-page.js', import.meta.url), 'utf8')],
]);
const projectRoot = new URL('../../', import.meta.url);

/** The brand's logo files (identity.config.json `brand.logo` / `brand.logoDark`, relative to the project). */
function logoFile(path: string | undefined): Buffer | undefined {
  if (!path) return undefined;
  try {
    return readFileSync(new URL(path, projectRoot));
  } catch {
    return undefined;
  }
}

const imageTypes: Record<string, string> = { '.svg': 'image/svg+xml', '.png': 'image/png', '.webp': 'image/webp', '.jpg': 'image/jpeg' };

/** Serves the pages' static files (the brand's logos, the pages' scripts); true when it answered. */
export function servePageAsset(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
  if (req.method !== 'GET') return false;
  const script = scripts.get(url.pathname);
  if (script !== undefined) {
    sendScript(res, script);
    return true;
  }
  const brand = loadIdentityConfig().brand;
  const file =
    url.pathname === brandLogoPaths.light
      ? logoFile(brand?.logo)
      : url.pathname === brandLogoPaths.dark
        ? logoFile(brand?.logoDark ?? brand?.logo)
        : undefined;
  if (!file) return false;
  const path = url.pathname === brandLogoPaths.light ? brand?.logo : (brand?.logoDark ?? brand?.logo);
  res.writeHead(200, {
    'Content-Type': imageTypes[extname(path ?? '').toLowerCase()] ?? 'application/octet-stream',
    'X-Content-Type-Options': 'nosniff',
    // Opened on its own, an SVG is a document: it runs nothing and loads nothing.
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
    'Cache-Control': 'no-cache',
    'Content-Length': file.length,
  });
  res.end(file);
  return true;
}
