import "server-only";

import { runWriteTransaction } from "../db/run-write-transaction";
import type { Db } from "../db/client";
import { cancelSubscriptionMessages } from "./cancel-subscription-messages";
import { findTokenSubscription } from "./find-token-subscription";
import type { UnsubscribeResponse } from "../../contract/subscription-dto";
import { InvalidSubscriptionTokenError } from "./subscription-errors";

const UNSUBSCRIBED_ANSWER = "You are unsubscribed: srcwatch sends this subscription nothing more.";

/**
 * End a subscription from an unsubscribe or manage link: its links stop working (tokenVersion + 1) and its
 * queued messages are cancelled. A second click answers the same.
 */
export async function unsubscribe(db: Db, input: { token: string; now: Date }): Promise<UnsubscribeResponse> {
  const { now } = input;
  await runWriteTransaction(db, async (tx) => {
    const found = await findTokenSubscription(tx, { token: input.token, purposes: ["unsubscribe", "manage"], now });
    if (!found) throw new InvalidSubscriptionTokenError();
    const { subscription } = found;
    if (subscription.status === "unsubscribed") return;
    if (!found.isCurrent) throw new InvalidSubscriptionTokenError();
    await endSubscription(tx, subscription.id, now);
  });
  return { status: "unsubscribed", message: UNSUBSCRIBED_ANSWER };
}

/** Mark a subscription unsubscribed, revoke its links and cancel what it has queued (no-op if already ended). */
export async function endSubscription(
  tx: Parameters<typeof cancelSubscriptionMessages>[0],
  subscriptionId: number,
  now: Date,
): Promise<void> {
  const ended = await tx.subscription.updateMany({
    where: { id: subscriptionId, status: { not: "unsubscribed" } },
    data: { status: "unsubscribed", unsubscribedAt: now, tokenVersion: { increment: 1 } },
  });
  if (ended.count > 0) await cancelSubscriptionMessages(tx, subscriptionId);
}
