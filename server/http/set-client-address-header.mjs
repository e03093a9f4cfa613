// Plain ESM without TypeScript: the production web server (scripts/web-server.mjs) runs it under bare Node,
// and server/env.ts validates SRCWATCH_TRUSTED_PROXIES with the same rule.
import { isIP } from "node:net";
import proxyaddr from "proxy-addr";

/** Set by our web server on every request; nothing else the route handlers see tells them who the client is. */
export const CLIENT_ADDRESS_HEADER = "x-srcwatch-client-ip";

/** The address of every client we cannot name: they all share one rate-limit bucket, so limits still hold. */
export const UNKNOWN_CLIENT_ADDRESS = "unknown";

// A process-wide mark (route bundles carry their own copy of this module): without it a client could send the
// header itself to a plain `next start`.
const TRUSTED_MARK = Symbol.for("srcwatch.clientAddressHeaderTrusted");

/** Called by the web server that sets the header on every request, before it handles any. */
export function markClientAddressHeaderTrusted() {
  globalThis[TRUSTED_MARK] = true;
}

export function isClientAddressHeaderTrusted() {
  return globalThis[TRUSTED_MARK] === true;
}

const TRUSTED_PROXY_NAMES = ["loopback", "linklocal", "uniquelocal"];

/**
 * The entries of SRCWATCH_TRUSTED_PROXIES: comma-separated addresses, CIDR ranges or proxy-addr's names
 * (loopback, linklocal, uniquelocal). Empty or absent = no proxy is trusted. Throws naming the first invalid entry.
 */
export function parseTrustedProxies(value) {
  const entries = (value ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  for (const entry of entries) {
    if (TRUSTED_PROXY_NAMES.includes(entry)) continue;
    try {
      proxyaddr.compile(entry);
    } catch {
      throw new Error(
        `SRCWATCH_TRUSTED_PROXIES: "${entry}" is not an IP address, a CIDR range (e.g. 10.0.0.0/8) or one of ${TRUSTED_PROXY_NAMES.join(", ")}`,
      );
    }
  }
  return entries;
}

/** proxy-addr's trust function for SRCWATCH_TRUSTED_PROXIES (trusts nobody when it is empty). */
export function compileTrustedProxies(value) {
  return proxyaddr.compile(parseTrustedProxies(value));
}

function normalizeAddress(address) {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped ? mapped[1] : address.toLowerCase();
}

/**
 * The client's address: the socket's peer, or, while that peer is a trusted proxy, the X-Forwarded-For hop
 * before it. "unknown" once the connection is gone.
 */
function computeClientAddress(request, trust) {
  if (!request.socket?.remoteAddress) return UNKNOWN_CLIENT_ADDRESS;
  // Nearest hop last; a trusted proxy that forwards garbage leaves us with the last real address before it.
  const chain = proxyaddr.all(request, trust);
  for (let index = chain.length - 1; index >= 0; index--) {
    if (isIP(chain[index])) return normalizeAddress(chain[index]);
  }
  return UNKNOWN_CLIENT_ADDRESS;
}

/**
 * Replaces whatever the client sent as x-srcwatch-client-ip (and X-Forwarded-For / X-Real-IP, so nothing
 * downstream reads a spoofed hop) with the address computed from the socket and the trusted proxies.
 */
export function setClientAddressHeader(request, trust) {
  const address = computeClientAddress(request, trust);
  delete request.headers[CLIENT_ADDRESS_HEADER];
  delete request.headers["x-real-ip"];
  request.headers[CLIENT_ADDRESS_HEADER] = address;
  request.headers["x-forwarded-for"] = address;
  return address;
}
