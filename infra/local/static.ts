import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { boardContentSecurityPolicy } from '../board/security.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/**
 * The headers the board is served with locally; CloudFront sends the same policy in AWS
 * (infra/stacks/board-stack.ts), so a page that breaks the policy breaks here first.
 */
export const boardSecurityHeaders = (connectSrc = "'self'"): Record<string, string> => ({
  'content-security-policy': boardContentSecurityPolicy(connectSrc),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
});

/**
 * A fallback for the local server that serves a built app from `dir` (the board at `/`,
 * the staff console under `prefix` `/console`): GET and HEAD only, known file types only,
 * and never a path outside `dir`.
 */
export const staticFiles = (dir: string, prefix = '') => {
  const root = resolve(dir);
  const headers = boardSecurityHeaders();
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      return false;
    }
    if (pathname.includes('\0')) return false;
    if (prefix) {
      if (pathname === prefix) {
        // Relative asset URLs resolve against the directory, so the bare prefix gets its slash.
        res.writeHead(308, { ...headers, location: `${prefix}/` });
        res.end();
        return true;
      }
      if (!pathname.startsWith(`${prefix}/`)) return false;
      pathname = pathname.slice(prefix.length);
    }
    if (pathname.endsWith('/')) pathname += 'index.html';
    const file = normalize(join(root, pathname));
    if (!file.startsWith(root + sep)) return false;
    const type = TYPES[extname(file)];
    if (!type) return false;
    const stat = statSync(file, { throwIfNoEntry: false });
    if (!stat?.isFile()) return false;
    // Hashed assets never change; pages and config.json must be re-read on every visit.
    const cache = pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
    res.writeHead(200, {
      ...headers,
      'content-type': type,
      'cache-control': cache,
      'content-length': String(stat.size),
    });
    if (req.method === 'HEAD') {
      res.end();
      return true;
    }
    await new Promise<void>((done) => {
      createReadStream(file)
        .on('error', () => res.destroy())
        .on('close', () => done())
        .pipe(res);
    });
    return true;
  };
};

type Fallback = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/** Tries each fallback in turn until one has answered. */
export const firstOf =
  (...fallbacks: Fallback[]): Fallback =>
  async (req, res) => {
    for (const f of fallbacks) if (await f(req, res)) return true;
    return false;
  };
