import { getSubscriptionEndpoint, updateSubscriptionEndpoint } from "@/contract/endpoints";
import { getConfig } from "@/server/config/get-config";
import { getDb } from "@/server/db/client";
import { getSubscriptionByToken } from "@/server/subscriptions/get-subscription-by-token";
import { updateSubscription } from "@/server/subscriptions/update-subscription";
import { serveEndpoint, serveOptions } from "../../_lib/serve-endpoint";

export const dynamic = "force-dynamic";

export const GET = serveEndpoint(getSubscriptionEndpoint, ({ query, now }) => getSubscriptionByToken(getDb(), { token: query.token, now }));

export const PUT = serveEndpoint(updateSubscriptionEndpoint, ({ query, body, now }) =>
  updateSubscription(getDb(), { token: query.token, request: body, config: getConfig(), now }),
);

export const OPTIONS = serveOptions(getSubscriptionEndpoint, updateSubscriptionEndpoint);
