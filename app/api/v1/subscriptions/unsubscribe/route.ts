import { unsubscribeEndpoint } from "@/contract/endpoints";
import { getDb } from "@/server/db/client";
import { unsubscribe } from "@/server/subscriptions/unsubscribe";
import { serveEndpoint, serveOptions } from "../../_lib/serve-endpoint";

export const dynamic = "force-dynamic";

/**
 * RFC 8058 one-click target (List-Unsubscribe-Post): mail providers post `List-Unsubscribe=One-Click` from anywhere,
 * and the signed token in the URL is what authorises it. Any other body must be same-origin JSON, like every action.
 */
export const POST = serveEndpoint(unsubscribeEndpoint, ({ query, now }) => unsubscribe(getDb(), { token: query.token, now }));

export const OPTIONS = serveOptions(unsubscribeEndpoint);
