import { NoQuery } from "../../_lib/handle-api-request";
import { handleActionOptions, handleApiAction } from "../../_lib/handle-api-action";
import { getDb } from "@/server/db/client";
import { confirmSubscription } from "@/server/subscriptions/confirm-subscription";
import { ConfirmSubscriptionRequest } from "@/contract/subscription-dto";

export const dynamic = "force-dynamic";

/** POST only: a link scanner fetching the mailed link (GET, the page) confirms nothing. */
export function POST(request: Request): Promise<Response> {
  return handleApiAction(request, { query: NoQuery, body: ConfirmSubscriptionRequest }, ({ body, now }) =>
    confirmSubscription(getDb(), { token: body.token, now }),
  );
}

export const OPTIONS = () => handleActionOptions(["POST"]);
