import "server-only";

import { getClockSpeed } from "../clock";

import type { Db } from "../db/client";
import { runWriteTransaction } from "../db/run-write-transaction";
import { CONFIRM_TOKEN_TTL_MS } from "./subscription-tokens";

/**
 * Deletes pending subscriptions that nobody can confirm any more, with their outbox rows (no foreign key ties
 * them): created over a confirmation link's lifetime ago, and no confirmation mail sent within that lifetime
 * nor being sent now (its link would still work). In batches along the id, at most `maxRows` per call.
 */
export async function deleteUnconfirmedSubscriptions(
  db: Db,
  now: Date,
  options: { batchSize?: number; maxRows?: number } = {},
): Promise<{ deleted: number; isComplete: boolean }> {
  const batchSize = options.batchSize ?? 200;
  const maxRows = options.maxRows ?? 5_000;
  const linksIssuedSince = new Date(now.getTime() - CONFIRM_TOKEN_TTL_MS * getClockSpeed());
  let deleted = 0;
  let examined = 0;
  let afterId = 0;
  while (examined < maxRows) {
    const take = Math.min(batchSize, maxRows - examined);
    // Raw SQL for NOT EXISTS (no relation ties outbox rows to subscriptions): kept rows never fill a batch.
    const candidates = await db.$queryRaw<{ id: number }[]>`
      SELECT s."id" FROM "Subscription" s
      WHERE s."status" = 'pending' AND s."createdAt" < ${linksIssuedSince} AND s."id" > ${afterId}
        AND NOT EXISTS (SELECT 1 FROM "OutboxMessage" o WHERE o."subscriptionId" = s."id" AND (o."sentAt" >= ${linksIssuedSince} OR o."status" = 'sending'))
      ORDER BY s."id" LIMIT ${take}`;
    if (candidates.length === 0) return { deleted, isComplete: true };
    examined += candidates.length;
    const candidateIds = candidates.map((candidate) => Number(candidate.id));
    afterId = candidateIds[candidateIds.length - 1];
    deleted += await runWriteTransaction(db, async (tx) => {
      // Again inside the transaction: a worker may have claimed a confirmation mail since the select.
      const linkStillValid = await tx.outboxMessage.findMany({
        where: { subscriptionId: { in: candidateIds }, OR: [{ sentAt: { gte: linksIssuedSince } }, { status: "sending" }] },
        select: { subscriptionId: true },
      });
      const kept = new Set(linkStillValid.map((message) => message.subscriptionId));
      const stillPending = await tx.subscription.findMany({
        where: { id: { in: candidateIds.filter((id) => !kept.has(id)) }, status: "pending" },
        select: { id: true },
      });
      const ids = stillPending.map((subscription) => subscription.id);
      if (ids.length === 0) return 0;
      await tx.outboxMessage.deleteMany({ where: { subscriptionId: { in: ids } } });
      return (await tx.subscription.deleteMany({ where: { id: { in: ids }, status: "pending" } })).count;
    });
    if (candidates.length < take) return { deleted, isComplete: true };
  }
  return { deleted, isComplete: false };
}
