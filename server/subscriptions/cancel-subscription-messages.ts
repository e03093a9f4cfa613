import "server-only";

import type { DbTransaction } from "../db/client";

/** Messages not yet on their way to a subscription that ended are never sent. */
export async function cancelSubscriptionMessages(tx: DbTransaction, subscriptionId: number): Promise<number> {
  const cancelled = await tx.outboxMessage.updateMany({
    where: { subscriptionId, status: { in: ["pending", "held"] } },
    data: { status: "cancelled", lockedUntil: null, lockedBy: null },
  });
  return cancelled.count;
}
