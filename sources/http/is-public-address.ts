import ipaddr from "ipaddr.js";

/**
 * True for a globally routable unicast address. Loopback, private, link-local (cloud metadata at
 * 169.254.169.254), CGNAT, unique-local (fd00:ec2::254), multicast, reserved and the IPv6 forms that
 * embed an IPv4 address (mapped, NAT64, 6to4, Teredo) are not.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === "unicast";
}
