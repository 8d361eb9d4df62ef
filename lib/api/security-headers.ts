/**
 * The security headers. Static ones go on every response from next.config.ts `headers()` (the
 * router adds them, so the API pays no code of ours per request); pages get their own
 * Content-Security-Policy with a fresh nonce from proxy.ts, replacing the static one.
 *
 * Pure constants and string building: next.config.ts imports this file, outside the app's runtime.
 */

/** What a response that is not a page gets: nothing in it may run, load or be framed. */
export const STATIC_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** On every response, pages and API alike. */
export const SECURITY_HEADERS: { key: string; value: string }[] = [
  { key: "Content-Security-Policy", value: STATIC_CSP },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  // URLs (ids, ?next=) never leave the site; same-origin requests keep the Origin header the CSRF
  // check reads ("no-referrer" would make browsers send "Origin: null" on the app's own POSTs)
  { key: "Referrer-Policy", value: "same-origin" },
];

/**
 * HTTPS is known from the TLS-terminating proxy's `X-Forwarded-Proto: https` (`next start` itself
 * speaks plain HTTP). No trust is needed: a browser ignores HSTS received over plain HTTP, so a
 * client that forges the header gains nothing. As a next.config `has` value (a regex, anchored):
 * the first entry of the header is "https".
 */
export const HTTPS_FORWARDED_PROTO = "https(?:\\s*,.*)?";

export const HSTS = { key: "Strict-Transport-Security", value: "max-age=31536000" };

/** The same test as HTTPS_FORWARDED_PROTO, for code that sees the request. */
export function forwardedHttps(headers: Headers): boolean {
  return /^https\s*(?:,|$)/i.test(headers.get("x-forwarded-proto") ?? "");
}

/**
 * A page's policy: scripts only from this origin and with this request's nonce (Next puts it on
 * every script it renders, reading it from the request's Content-Security-Policy header), and
 * what those load ('strict-dynamic'); styles from this origin; no plugins, no framing, no foreign
 * form targets or <base>. Development adds what `next dev` needs (eval for React's debugging
 * stacks, inline styles for its overlay).
 */
export function pageCsp(nonce: string, opts: { https: boolean; dev: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' ${opts.dev ? "'unsafe-inline'" : `'nonce-${nonce}'`}`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(opts.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}
