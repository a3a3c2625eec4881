import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticFiles } from '../../infra/local/static.ts';

// The local server's static files for the notice board: types, headers and no way out of the directory.
let server: Server;
let port: number;

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'cf-static-'));
  const dist = join(root, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>board</title>');
  writeFileSync(join(dist, 'assets', 'page-abc123.js'), 'console.log(1)');
  writeFileSync(join(dist, 'config.json'), '{"apiBaseUrl":""}');
  writeFileSync(join(root, 'secret.txt'), 'outside');
  const serve = staticFiles(dist);
  server = createServer(async (req, res) => {
    if (!(await serve(req, res))) {
      res.writeHead(404);
      res.end('no');
    }
  });
  await new Promise<void>((r) => server.listen(0, r));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

// fetch() normalises "..", so raw requests send the path exactly as written.
const get = (path: string, method = 'GET') =>
  new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>(
    (resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, method }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    },
  );

describe('staticFiles', () => {
  it('serves the pages with their content type, the CSP, and no caching of pages', async () => {
    const page = await get('/');
    const script = await get('/assets/page-abc123.js');
    const config = await get('/config.json');

    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['cache-control']).toContain('immutable');
    expect(config.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('never serves a file outside its directory', async () => {
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
      '/%00index.html',
    ]) {
      const r = await get(path);
      expect(r.status, path).toBe(404);
      expect(r.body, path).not.toContain('outside');
    }
  });

  it('answers only GET and HEAD, and only for files that exist', async () => {
    expect((await get('/index.html', 'HEAD')).status).toBe(200);
    expect((await get('/index.html', 'POST')).status).toBe(404);
    expect((await get('/missing.html')).status).toBe(404);
    expect((await get('/assets/')).status).toBe(404);
  });
});
