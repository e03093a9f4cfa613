import { handleActionOptions, handleApiAction } from "../../_lib/handle-api-action";
import { getConfig } from "@/server/config/get-config";
import { getDb } from "@/server/db/client";
import { getSubscriptionByToken } from "@/server/subscriptions/get-subscription-by-token";
import { SubscriptionTokenQuery, UpdateSubscriptionRequest } from "@/contract/subscription-dto";
import { updateSubscription } from "@/server/subscriptions/update-subscription";

export const dynamic = "force-dynamic";

export function GET(request: Request): Promise<Response> {
  return handleApiAction(request, { query: SubscriptionTokenQuery }, ({ query, now }) => getSubscriptionByToken(getDb(), { token: query.token, now }));
}

export function PUT(request: Request): Promise<Response> {
  return handleApiAction(request, { query: SubscriptionTokenQuery, body: UpdateSubscriptionRequest }, ({ query, body, now }) =>
    updateSubscription(getDb(), { token: query.token, request: body, config: getConfig(), now }),
  );
}

export const OPTIONS = () => handleActionOptions(["GET", "HEAD", "PUT"]);
