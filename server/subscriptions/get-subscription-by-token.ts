import "server-only";

import { decodeSubscriptionScope } from "../../core/subscription-scope";

import type { Db } from "../db/client";
import { findTokenSubscription } from "./find-token-subscription";
import { toSubscriptionView, type ManageSubscriptionResponse } from "../../contract/subscription-dto";
import { InvalidSubscriptionTokenError } from "./subscription-errors";

/** The subscription a manage link is for, shown to whoever holds the link; throws for any other token. */
export async function getSubscriptionByToken(db: Db, input: { token: string; now: Date }): Promise<ManageSubscriptionResponse> {
  const found = await findTokenSubscription(db, { token: input.token, purposes: ["manage"], now: input.now });
  if (!found || !found.isCurrent || found.subscription.status === "unsubscribed") throw new InvalidSubscriptionTokenError();
  return {
    subscription: toSubscriptionView({
      ...found.subscription,
      scope: decodeSubscriptionScope(found.subscription.scope, found.subscription.id),
    }),
  };
}
