import "server-only";

import type { Db } from "../db/client";

export type ClaimedOutboxMessage = Awaited<ReturnType<Db["outboxMessage"]["findMany"]>>[number];

/** Due and unclaimed, or left in `sending` by a worker whose claim expired (it died mid-delivery). */
function claimableAt(now: Date) {
  return {
    OR: [
      { status: "pending", nextAttemptAt: { lte: now }, OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] },
      { status: "sending", lockedUntil: { lt: now } },
    ],
  };
}

export async function listClaimableOutboxIds(db: Db, input: { now: Date; limit: number; channels?: string[] }): Promise<number[]> {
  const rows = await db.outboxMessage.findMany({
    where: { ...(input.channels ? { channel: { in: input.channels } } : {}), ...claimableAt(input.now) },
    select: { id: true },
    orderBy: [{ nextAttemptAt: "asc" }, { id: "asc" }],
    take: input.limit,
  });
  return rows.map((row) => row.id);
}

/**
 * Compare-and-set: true when this worker's UPDATE found the row still claimable (0 rows = another worker got there first).
 * Every claim counts as an attempt, so a row that kills its worker each time still reaches maxAttempts.
 */
export async function claimOutboxMessage(
  db: Db,
  id: number,
  input: { now: Date; workerId: string; claimSeconds: number },
): Promise<boolean> {
  const { count } = await db.outboxMessage.updateMany({
    where: { id, ...claimableAt(input.now) },
    data: {
      status: "sending",
      lockedBy: input.workerId,
      lockedUntil: new Date(input.now.getTime() + input.claimSeconds * 1000),
      attempts: { increment: 1 },
    },
  });
  return count === 1;
}

/**
 * Claim due outbox rows for one worker, one compare-and-set per row, so two workers never hold the same row
 * (the same on SQLite and PostgreSQL). Rows a dead worker left in `sending` come back once their claim expired.
 */
export async function claimOutboxMessages(
  db: Db,
  input: { now: Date; workerId: string; limit: number; claimSeconds: number; channels?: string[] },
): Promise<ClaimedOutboxMessage[]> {
  const claimedIds: number[] = [];
  for (const id of await listClaimableOutboxIds(db, input)) {
    if (await claimOutboxMessage(db, id, input)) claimedIds.push(id);
  }
  if (claimedIds.length === 0) return [];
  return db.outboxMessage.findMany({
    where: { id: { in: claimedIds }, lockedBy: input.workerId },
    orderBy: [{ nextAttemptAt: "asc" }, { id: "asc" }],
  });
}
