import "server-only";

import { decodeSubscriptionScope } from "../../core/subscription-scope";

import { runWriteTransaction } from "../db/run-write-transaction";
import type { SrcwatchConfig } from "../../core/config";
import { encodeSubscriptionScope } from "../../core/subscription-scope";
import type { Db } from "../db/client";
import { checkScopeConfigured } from "./check-scope-configured";
import { findTokenSubscription } from "./find-token-subscription";
import { toSubscriptionView, type ManageSubscriptionResponse, type UpdateSubscriptionRequest } from "../../contract/subscription-dto";
import { InvalidSubscriptionTokenError } from "./subscription-errors";

/**
 * Change a subscription's scope, delivery and reminders from its manage link. Switching from the daily digest to immediate
 * releases what the digest was holding, so nothing waits for a digest that will not come.
 */
export async function updateSubscription(
  db: Db,
  input: { token: string; request: UpdateSubscriptionRequest; config: SrcwatchConfig; now: Date },
): Promise<ManageSubscriptionResponse> {
  const { request, now } = input;
  checkScopeConfigured(request.scope, input.config);
  const updated = await runWriteTransaction(db, async (tx) => {
    const found = await findTokenSubscription(tx, { token: input.token, purposes: ["manage"], now });
    if (!found || !found.isCurrent || found.subscription.status === "unsubscribed") throw new InvalidSubscriptionTokenError();
    const { subscription } = found;
    if (subscription.delivery === "daily" && request.delivery === "immediate") {
      await tx.outboxMessage.updateMany({
        where: { subscriptionId: subscription.id, status: "held" },
        data: { status: "pending", nextAttemptAt: now },
      });
    }
    return tx.subscription.update({
      where: { id: subscription.id },
      data: {
        scope: encodeSubscriptionScope(request.scope),
        delivery: request.delivery,
        ...(request.reminders === undefined ? {} : { reminders: request.reminders }),
      },
    });
  });
  return { subscription: toSubscriptionView({ ...updated, scope: decodeSubscriptionScope(updated.scope, updated.id) }) };
}
