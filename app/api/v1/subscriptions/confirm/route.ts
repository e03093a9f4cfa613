import { confirmSubscriptionEndpoint } from "@/contract/endpoints";
import { getDb } from "@/server/db/client";
import { confirmSubscription } from "@/server/subscriptions/confirm-subscription";
import { serveEndpoint, serveOptions } from "../../_lib/serve-endpoint";

export const dynamic = "force-dynamic";

/** POST only: a link scanner fetching the mailed link (GET, the page) confirms nothing. */
export const POST = serveEndpoint(confirmSubscriptionEndpoint, ({ body, now }) => confirmSubscription(getDb(), { token: body.token, now }));

export const OPTIONS = serveOptions(confirmSubscriptionEndpoint);
