import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boardContentSecurityPolicy } from '../../infra/board/security.ts';
import { buildConsole, consoleIsStale } from '../../infra/console/build.ts';
import { startProduct, type Running } from '../support/localServer.ts';

// `npm start` serves the staff console under /console/ with the board's strict CSP.
let server: Running;

beforeAll(async () => {
  if (consoleIsStale()) await buildConsole();
  server = await startProduct();
}, 180_000);

afterAll(() => server?.stop());

const get = (path: string) => fetch(server.baseUrl + path, { redirect: 'manual' });

describe('the staff console under npm start', () => {
  it('serves /console/ in Chinese with the strict Content-Security-Policy and no inline script', async () => {
    const res = await get('/console/');
    const html = await res.text();

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(boardContentSecurityPolicy("'self'"));
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
  });

  it('serves its scripts from its own origin with the same policy, cached for good', async () => {
    const html = await (await get('/console/')).text();
    const scripts = [...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]);

    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) {
      expect(src, src).toMatch(/^\/console\/assets\/[\w.-]+\.js$/);
      const js = await get(src);
      expect(js.status, src).toBe(200);
      expect(js.headers.get('content-security-policy'), src).toBe(boardContentSecurityPolicy("'self'"));
      expect(js.headers.get('cache-control'), src).toContain('immutable');
    }
  });

  it('says it runs in local mode in config.json beside it, and sends /console to /console/', async () => {
    const config = await (await get('/console/config.json')).json();
    const bare = await get('/console');

    expect(config).toEqual({ mode: 'local', apiBaseUrl: '' });
    expect(bare.status).toBe(308);
    expect(bare.headers.get('location')).toBe('/console/');
  });

  it('serves nothing outside its directory, and leaves the API its paths', async () => {
    const outside = await get('/console/..%2f..%2fpackage.json');
    const api = await get('/v1/public/org');

    expect(outside.status).toBe(404);
    expect(api.status).toBe(200);
  });
});
