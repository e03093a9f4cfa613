import "server-only";

import type { Db } from "../db/client";
import { MAX_RATE_LIMIT_WINDOW_SECONDS } from "./consume-rate-limit";

export interface DeletionPass {
  deleted: number;
  /** False when `maxRows` stopped the pass with more rows left to delete. */
  isComplete: boolean;
}

/**
 * Deletes buckets whose window has certainly ended (it started at least the longest window ago), in batches
 * of `batchSize` along the windowStart index, at most `maxRows` per call. Harmless to a limit: an ended
 * bucket would be reset by its next use anyway.
 */
export async function deleteExpiredRateLimitBuckets(
  db: Db,
  now: Date,
  options: { batchSize?: number; maxRows?: number } = {},
): Promise<DeletionPass> {
  const batchSize = options.batchSize ?? 500;
  const maxRows = options.maxRows ?? 20_000;
  const endedBy = new Date(now.getTime() - MAX_RATE_LIMIT_WINDOW_SECONDS * 1000);
  let deleted = 0;
  while (deleted < maxRows) {
    const take = Math.min(batchSize, maxRows - deleted);
    const batch = await db.rateLimitBucket.findMany({
      where: { windowStart: { lte: endedBy } },
      select: { key: true },
      orderBy: { windowStart: "asc" },
      take,
    });
    if (batch.length === 0) return { deleted, isComplete: true };
    // The condition again: a bucket used since the select has started a new window and stays.
    const result = await db.rateLimitBucket.deleteMany({
      where: { key: { in: batch.map((bucket) => bucket.key) }, windowStart: { lte: endedBy } },
    });
    deleted += result.count;
    if (batch.length < take) return { deleted, isComplete: true };
  }
  return { deleted, isComplete: false };
}
