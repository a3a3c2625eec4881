/**
 * Hash routes (`#/projects/01J…`): one HTML page serves every screen, so any static host
 * (the local server, CloudFront) serves the console without rewrite rules.
 */
import { useEffect, useState } from 'preact/hooks';

/** The parameters of `path` under `pattern` (`/projects/:id`), or undefined when it does not match. */
export const matchPath = (pattern: string, path: string): Record<string, string> | undefined => {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('/').filter(Boolean);
  if (p.length !== s.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) params[p[i].slice(1)] = decodeURIComponent(s[i]);
    else if (p[i] !== s[i]) return undefined;
  }
  return params;
};

/** The current route path and query: `#/projects/1?tab=x` → { path: '/projects/1', query }. */
export const currentLocation = (): { path: string; query: URLSearchParams } => {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, q = ''] = raw.split('?');
  return { path: path || '/', query: new URLSearchParams(q) };
};

/** A link target for a route path. */
export const href = (path: string, query: Record<string, string | number | undefined> = {}): string => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return `#${path}${s ? `?${s}` : ''}`;
};

/** Goes to a route. */
export const navigate = (path: string, query: Record<string, string | number | undefined> = {}): void => {
  location.hash = href(path, query);
};

/** The current location, re-rendering on every hash change. */
export const useLocation = () => {
  const [loc, set] = useState(currentLocation);
  useEffect(() => {
    const on = () => set(currentLocation());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return loc;
};
