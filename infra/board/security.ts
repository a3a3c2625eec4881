/**
 * The notice board's Content-Security-Policy, one definition for both places that serve
 * it: the local server and CloudFront. Only the board's own files run; the pages may
 * call their own origin and the API's (`connectSrc`), and nothing from a third party.
 */
export const boardContentSecurityPolicy = (connectSrc: string): string =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    // The QR code is inline SVG markup, not an image URL; data: covers the favicon fallback.
    "img-src 'self' data:",
    `connect-src ${connectSrc}`,
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
