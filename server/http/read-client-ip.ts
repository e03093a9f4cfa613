import "server-only";

import { getLogger } from "../logger";
import { CLIENT_ADDRESS_HEADER, isClientAddressHeaderTrusted, UNKNOWN_CLIENT_ADDRESS } from "./set-client-address-header.mjs";

let hasWarnedUntrusted = false;

/**
 * The client's address as our web server (scripts/web-server.mjs) computed it from the socket and the trusted
 * proxies. X-Forwarded-For is never read here: anyone can send it.
 */
export function readClientIp(request: Request): string {
  if (!isClientAddressHeaderTrusted()) {
    if (!hasWarnedUntrusted) {
      hasWarnedUntrusted = true;
      getLogger().warn(
        { header: CLIENT_ADDRESS_HEADER },
        "the web app was not started through scripts/web-server.mjs (npm run web): client addresses are unknown and every client shares one rate-limit bucket",
      );
    }
    return UNKNOWN_CLIENT_ADDRESS;
  }
  const address = request.headers.get(CLIENT_ADDRESS_HEADER)?.trim();
  return address && address.length <= 100 ? address : UNKNOWN_CLIENT_ADDRESS;
}
