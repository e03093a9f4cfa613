/**
 * Was this request sent by a page of srcwatch itself? A browser names the page's origin in `Origin` on every
 * POST/PUT (fetch and form alike); when it leaves it out, `Sec-Fetch-Site` still tells. A request carrying
 * neither (a script, an old client) is not trusted.
 * Our own origin is the configured `publicUrl`, or whatever host the browser addressed (Host, or X-Forwarded-Host
 * from a proxy in front; a page of another site cannot set that header without a preflight we never grant).
 * The scheme is not compared there: behind a proxy that terminates TLS, the server cannot see it.
 */
import "server-only";

export function isSameOriginRequest(request: Request, input: { publicUrl?: string } = {}): boolean {
  const origin = request.headers.get("origin");
  if (origin === null) {
    const site = request.headers.get("sec-fetch-site")?.trim().toLowerCase();
    return site === "same-origin" || site === "none";
  }
  const sent = parseOrigin(origin.trim());
  if (sent === null) return false;
  if (input.publicUrl !== undefined && sent.origin === parseOrigin(input.publicUrl)?.origin) return true;
  return listAddressedHosts(request, sent.protocol).includes(sent.host);
}

/**
 * The hosts this request was sent to, spelled as URL.host spells them for `protocol` (a default port left out).
 * Next builds `request.url` from the server's configured hostname, not from the Host header the browser sent.
 */
function listAddressedHosts(request: Request, protocol: string): string[] {
  const candidates = [request.headers.get("host"), request.headers.get("x-forwarded-host")?.split(",")[0], new URL(request.url).host];
  return candidates.flatMap((host) => {
    const parsed = host ? parseOrigin(`${protocol}//${host.trim()}`) : null;
    return parsed ? [parsed.host] : [];
  });
}

function parseOrigin(url: string): URL | null {
  try {
    const parsed = new URL(url);
    return parsed.origin === "null" ? null : parsed;
  } catch {
    return null;
  }
}
