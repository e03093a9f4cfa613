import "server-only";

import { encodeDigestPayload, type DigestPayload } from "../../core/notifications/outbox-payload-codec";
import type { Db } from "../db/client";
import { insertRows } from "../db/insert-rows";
import { OUTBOX_COLUMNS } from "./insert-alert-notifications";

export function digestOutboxKey(subscriptionId: number, date: string): string {
  return `digest/${subscriptionId}/${date}`;
}

/**
 * Once per UTC day, from notifications.digestHourUtc on: one digest row per subscription with held notifications,
 * written with the held rows turned `bundled` in one transaction. The dedupe key makes a second worker's (or a second
 * tick's) digest of the same day a no-op; what is held after today's digest waits for tomorrow's.
 */
export async function queueDailyDigests(db: Db, input: { now: Date; digestHourUtc: number }): Promise<{ digests: number; date: string }> {
  const { now } = input;
  const date = now.toISOString().slice(0, 10);
  if (now.getUTCHours() < input.digestHourUtc) return { digests: 0, date };

  const waiting = await db.outboxMessage.findMany({
    where: { status: "held", channel: "email", subscriptionId: { not: null } },
    select: { subscriptionId: true },
    distinct: ["subscriptionId"],
  });
  let digests = 0;
  for (const { subscriptionId } of waiting) {
    if (subscriptionId === null) continue;
    const created = await db.$transaction(async (tx) => {
      const subscription = await tx.subscription.findUnique({ where: { id: subscriptionId } });
      if (!subscription || subscription.status !== "active") return false;
      const held = await tx.outboxMessage.findMany({
        where: { subscriptionId, status: "held", channel: "email" },
        select: { id: true },
        orderBy: { id: "asc" },
      });
      if (held.length === 0) return false;
      const payload: DigestPayload = { subscriptionId, date, outboxIds: held.map((row) => row.id) };
      const inserted = await insertRows(
        tx,
        "OutboxMessage",
        OUTBOX_COLUMNS,
        [
          [
            digestOutboxKey(subscriptionId, date),
            "email",
            "digest",
            subscription.email,
            subscriptionId,
            null,
            null,
            encodeDigestPayload(payload),
            "pending",
            0,
            now,
            now,
          ],
        ],
        { onConflictDoNothing: "dedupeKey" },
      );
      if (inserted === 0) return false;
      await tx.outboxMessage.updateMany({ where: { id: { in: payload.outboxIds }, status: "held" }, data: { status: "bundled" } });
      await tx.subscription.update({ where: { id: subscriptionId }, data: { lastDigestAt: now } });
      return true;
    });
    if (created) digests += 1;
  }
  return { digests, date };
}
