import "server-only";

import type { SubscriptionLinks } from "../subscriptions/subscription-tokens";
import { toHeaderValue } from "./to-header-value";

/** Headers of every mail sent to a subscriber: RFC 8058 one-click unsubscribe, RFC 2919 List-Id, RFC 3834 Auto-Submitted. */
export function buildListHeaders(publicUrl: string, links: Pick<SubscriptionLinks, "oneClickUnsubscribeUrl">): Record<string, string> {
  return {
    "List-Unsubscribe": `<${toHeaderValue(links.oneClickUnsubscribeUrl, 2000)}>`,
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    "List-Id": `srcwatch alerts <alerts.${listIdHost(publicUrl)}>`,
    "Auto-Submitted": "auto-generated",
  };
}

function listIdHost(publicUrl: string): string {
  const host = new URL(publicUrl).hostname.replace(/[^A-Za-z0-9.-]/g, "");
  return host.includes(".") ? host : `${host || "srcwatch"}.invalid`;
}
