/**
 * A tiny static server for the built explorer (explorer/dist). `node explorer/serve.mjs` serves it on
 * PORT (default 5173) and prints its URL; `serveExplorer(dir, port)` is what the browser test uses
 * (port 0: a free port).
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

/** Serves `dir` on `port` at 127.0.0.1 (0: any free port); resolves to the server and its URL. */
export function serveExplorer(dir, port, host = '127.0.0.1') {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = normalize(join(root, path));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      const address = server.address();
      ok({ server, url: `http://${host === '127.0.0.1' ? 'localhost' : host}:${address.port}/` });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = resolve(dirname(fileURLToPath(import.meta.url)), 'dist');
  if (!existsSync(join(dir, 'index.html'))) {
    console.error('explorer/dist is missing: run `npm run build:explorer` first (npm start does).');
    process.exit(1);
  }
  const port = Number(process.env.PORT ?? 5173);
  serveExplorer(dir, port).then(
    ({ url }) => console.log(`losskit explorer at ${url}  (Ctrl+C to stop)`),
    (e) => {
      console.error(`could not serve the explorer on port ${port}: ${e.message}`);
      process.exit(1);
    },
  );
}
