import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/*
 * The API reference at /docs, locally: Swagger UI from its npm package, pointed at
 * /v1/openapi.json. Nothing is loaded from another host (the validator badge, which
 * would call one, is off), and the page runs under a strict content security policy.
 */

const dist = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const PAGE = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>社区服务群众专项经费 API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css">
<link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`;

const INIT = `window.ui = SwaggerUIBundle({ url: '/v1/openapi.json', dom_id: '#swagger-ui', deepLinking: true, validatorUrl: null });\n`;

/** The package's files the page uses, and their types; anything else under /docs is 404. */
const FILES: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

const HEADERS = {
  // Swagger UI sets inline styles and draws some icons as data: images.
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'cache-control': 'no-cache',
};

const cache = new Map<string, Buffer>();
const fileOf = (name: string) => {
  let b = cache.get(name);
  if (!b) cache.set(name, (b = readFileSync(join(dist, name))));
  return b;
};

/** Serves /docs (GET and HEAD); returns false for every other request. */
export const docsPages = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (path !== '/docs' && !path.startsWith('/docs/')) return false;
  const name = path.replace(/^\/docs\/?/, '');
  let type: string | undefined;
  let body: Buffer | string | undefined;
  if (name === '' || name === 'index.html') [type, body] = ['text/html; charset=utf-8', PAGE];
  else if (name === 'init.js') [type, body] = ['text/javascript; charset=utf-8', INIT];
  else if (FILES[name]) [type, body] = [FILES[name], fileOf(name)];
  if (!type || body === undefined) {
    res.writeHead(404, { ...HEADERS, 'content-type': 'application/problem+json; charset=utf-8' });
    res.end(JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404, detail: `No page ${path}` }));
    return true;
  }
  res.writeHead(200, { ...HEADERS, 'content-type': type, 'content-length': String(Buffer.byteLength(body)) });
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
};

/** The local server's fallback with /docs tried first, so the reference wins over the board's pages. */
export const withDocs =
  (next: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>) =>
  async (req: IncomingMessage, res: ServerResponse): Promise<boolean> =>
    (await docsPages(req, res)) || next(req, res);
