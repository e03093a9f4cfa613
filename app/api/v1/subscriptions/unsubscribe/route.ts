import { handleActionOptions, handleApiAction } from "../../_lib/handle-api-action";
import { getDb } from "@/server/db/client";
import { ONE_CLICK_UNSUBSCRIBE_FORM, SubscriptionTokenQuery, UnsubscribeRequest } from "@/contract/subscription-dto";
import { unsubscribe } from "@/server/subscriptions/unsubscribe";

export const dynamic = "force-dynamic";

/**
 * RFC 8058 one-click target (List-Unsubscribe-Post): mail providers post `List-Unsubscribe=One-Click` from anywhere,
 * and the signed token in the URL is what authorises it. Any other body must be same-origin JSON, like every action.
 */
export function POST(request: Request): Promise<Response> {
  return handleApiAction(request, { query: SubscriptionTokenQuery, body: UnsubscribeRequest, crossSiteForm: ONE_CLICK_UNSUBSCRIBE_FORM }, ({ query, now }) =>
    unsubscribe(getDb(), { token: query.token, now }),
  );
}

export const OPTIONS = () => handleActionOptions(["POST"]);
