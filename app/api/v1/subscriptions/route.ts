import { NoQuery } from "../_lib/handle-api-request";
import { handleActionOptions, handleApiAction } from "../_lib/handle-api-action";
import { getConfig } from "@/server/config/get-config";
import { getDb } from "@/server/db/client";
import { subscribe } from "@/server/subscriptions/subscribe";
import { MAX_SUBSCRIPTION_BODY_BYTES, SubscribeRequest } from "@/contract/subscription-dto";

export const dynamic = "force-dynamic";

export function POST(request: Request): Promise<Response> {
  return handleApiAction(
    request,
    { query: NoQuery, body: SubscribeRequest, status: 202, maxBodyBytes: MAX_SUBSCRIPTION_BODY_BYTES },
    ({ body, now, clientIp }) => subscribe(getDb(), { request: body, clientIp, config: getConfig(), now }),
  );
}

export const OPTIONS = () => handleActionOptions(["POST"]);
