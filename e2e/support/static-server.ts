/**
 * A tiny static server for the production web build, with the SPA fallback the app needs:
 * any path that is not a file (e.g. /callback?code=..., /callback/sign-out, /debug) gets
 * index.html, as a real host (nginx try_files, Firebase rewrites) would serve it.
 */
import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/** `root()` is read per request: the build lands in the folder after the server is listening. */
export async function startStaticServer(root: () => string, port = 0, host = '127.0.0.1'): Promise<StaticServer> {
  const server = createServer((req, res) => {
    void (async () => {
      const base = root();
      let pathname = '/';
      try {
        pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      } catch {
        // A malformed escape is not a file: serve the app, like any unknown path.
      }
      const candidate = normalize(join(base, pathname));
      let file = join(base, 'index.html');
      if (candidate.startsWith(base + sep) || candidate === base) {
        const info = await stat(candidate).catch(() => null);
        if (info?.isFile()) file = candidate;
      }
      try {
        const body = await readFile(file);
        const isIndex = file.endsWith(`${sep}index.html`);
        res.writeHead(200, {
          'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
          // index.html is revalidated every time (it names the hashed bundles); no-cache rather than
          // no-store, which would keep the page out of the back-forward cache (the abandon flow).
          'cache-control': isIndex ? 'no-cache' : 'public, max-age=3600',
        });
        res.end(req.method === 'HEAD' ? undefined : body);
      } catch {
        res.writeHead(503, { 'content-type': 'text/plain' });
        res.end('The app is not built yet.');
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('static server has no port');
  return {
    server,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
