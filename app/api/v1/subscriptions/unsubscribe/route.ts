import { handleApiAction } from "../../_lib/handle-api-action";
import { getDb } from "@/server/db/client";
import { SubscriptionTokenQuery, UnsubscribeRequest } from "@/server/subscriptions/subscription-dto";
import { unsubscribe } from "@/server/subscriptions/unsubscribe";

export const dynamic = "force-dynamic";

/** RFC 8058 one-click target (List-Unsubscribe-Post): `List-Unsubscribe=One-Click` is all it needs besides the token. */
export function POST(request: Request): Promise<Response> {
  return handleApiAction(request, { query: SubscriptionTokenQuery, body: UnsubscribeRequest }, ({ query, now }) => unsubscribe(getDb(), { token: query.token, now }));
}
