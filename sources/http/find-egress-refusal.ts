import ipaddr from "ipaddr.js";
import { isPublicAddress } from "./is-public-address";

export interface EgressPolicy {
  /** `host`, `host:port` (as in URL.host) or `*.domain` (any subdomain, default port). */
  allowedHosts: readonly string[];
  allowPrivateNetwork: boolean;
}

/** Why a URL may not be fetched under the policy, or null when it may. Resolved addresses are checked at connect time. */
export function findEgressRefusal(url: URL, policy: EgressPolicy): string | null {
  if (url.protocol !== "http:" && url.protocol !== "https:") return `${url.protocol} URLs are not fetched`;
  if (!isHostAllowed(url, policy.allowedHosts)) return `${url.host} is not one of this source's hosts`;
  const literal = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (!policy.allowPrivateNetwork && ipaddr.isValid(literal) && !isPublicAddress(literal)) {
    return `${url.host} is not a public address`;
  }
  return null;
}

function isHostAllowed(url: URL, allowedHosts: readonly string[]): boolean {
  return allowedHosts.some((entry) => {
    const pattern = entry.toLowerCase();
    if (pattern.startsWith("*.")) return url.port === "" && url.hostname.endsWith(pattern.slice(1));
    return url.host === pattern;
  });
}
