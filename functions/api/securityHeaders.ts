/**
 * Sent on every API response, by the handler layer (so AWS sends them as the local server
 * does) and by the local server's own refusals: answers carry personal and financial data
 * that no cache may keep, and a browser must never guess a type other than the one declared.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};
