import type { IncomingMessage, ServerResponse } from 'node:http';
import { pageSecurityHeaders } from './page-headers.ts';

const formLimitBytes = 16 * 1024;

/** Reads an `application/x-www-form-urlencoded` body (the sign-in pages' forms). */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > formLimitBytes) {
      throw new Error('form body too large');
    }
    chunks.push(buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

// The page headers (CSP with no inline script, no framing, nosniff, no referrer) are the same for
// every HTML page, also those oidc-provider renders: see page-headers.ts.
const pageHeaders = { ...pageSecurityHeaders, 'Cache-Control': 'no-store' };

export function sendHtml(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    ...pageHeaders,
    ...headers,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
  });
  res.end(html);
}

/** A browser script, under its declared type only (`nosniff`). */
export function sendScript(res: ServerResponse, source: string): void {
  res.writeHead(200, {
    'Content-Type': 'text/javascript; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    // A development server: a restart with a changed script is picked up at once.
    'Cache-Control': 'no-cache',
    'Content-Length': Buffer.byteLength(source),
  });
  res.end(source);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'Cache-Control': 'no-store',
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(json),
  });
  res.end(json);
}

export function redirect(res: ServerResponse, location: string, status = 303): void {
  res.writeHead(status, { Location: location, 'Cache-Control': 'no-store', 'Content-Length': 0 });
  res.end();
}

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

export function wantsJson(req: IncomingMessage): boolean {
  return (req.headers.accept ?? '').includes('application/json');
}
