import dns from "node:dns";
import type { LookupFunction } from "node:net";
import { isPublicAddress } from "./is-public-address";

/** Raised at connect time when a host name resolves to a non-public address. */
class ForbiddenAddressError extends Error {
  readonly code = "ERR_FORBIDDEN_DESTINATION";
}

/**
 * A `net.connect` lookup that resolves every address of the name and refuses the connection when any of them
 * is not public; the socket then connects to an address checked here, so a second DNS answer cannot swap it (rebinding).
 */
export const lookupPublicAddress: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { family: options.family, hints: options.hints, all: true }, (error, addresses) => {
    if (error) {
      callback(error, "", 0);
      return;
    }
    if (addresses.length === 0 || addresses.some((entry) => !isPublicAddress(entry.address))) {
      callback(new ForbiddenAddressError(`${hostname} resolves to a non-public address`), "", 0);
      return;
    }
    if (options.all) (callback as unknown as (error: null, addresses: dns.LookupAddress[]) => void)(null, addresses);
    else callback(null, addresses[0].address, addresses[0].family);
  });
};
