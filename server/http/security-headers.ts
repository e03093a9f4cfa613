/** Headers every answer carries, whatever its type (set in next.config.ts, so even Next's own answers have them). */
export const SECURITY_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  // frame-ancestors 'none' says the same to browsers that read CSP.
  "X-Frame-Options": "DENY",
} as const;

/** For answers that are data, not documents (JSON, feeds, badges, metrics, static files): nothing runs, nothing frames them. */
export const DATA_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

/**
 * Paths whose answers are never HTML documents (public/'s icons, manifest and preview image included); everything else
 * may render a page (or Next's error page).
 */
const DATA_PATH =
  /^\/(?:(?:api|feeds|badges|metrics|healthz|readyz|_next\/static|_next\/image)(?:\/|$)|[\w-]+\.(?:ico|png|svg|webmanifest)$)/;

export function isDataPath(pathname: string): boolean {
  return DATA_PATH.test(pathname);
}

/** A fresh, unguessable nonce for one response (128 bits). */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/**
 * The policy of a page: scripts only with this response's nonce (Next stamps it on its own scripts when it
 * finds it in the request's CSP) and what they load ('strict-dynamic'). Inline styles stay allowed: Tailwind
 * and the charts set `style` attributes, which a nonce cannot cover.
 */
export function createPageContentSecurityPolicy(nonce: string, options: { isDevelopment: boolean }): string {
  return [
    "default-src 'self'",
    // React in development rebuilds server error stacks with eval; production never evals.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.isDevelopment ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
