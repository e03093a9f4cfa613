import "server-only";

import { runWriteTransaction } from "../db/run-write-transaction";
import type { Db, DbTransaction } from "../db/client";

/** No limit counts over a longer window, so a bucket that started this long ago has ended (see deleteExpiredRateLimitBuckets). */
export const MAX_RATE_LIMIT_WINDOW_SECONDS = 86_400;

export interface RateLimitDecision {
  allowed: boolean;
  /** Seconds until the current window ends (0 when allowed). */
  retryAfterSeconds: number;
}

/**
 * Count one use of `key` in a fixed window shared by every web process (a RateLimitBucket row) and say
 * whether it stays within `limit`. Each step is one atomic statement, so concurrent requests never lose a count.
 */
export async function consumeRateLimit(
  db: Db | DbTransaction,
  input: { key: string; limit: number; windowSeconds: number; now: Date },
): Promise<RateLimitDecision> {
  const { key, limit, windowSeconds, now } = input;
  if (!(windowSeconds > 0 && windowSeconds <= MAX_RATE_LIMIT_WINDOW_SECONDS)) {
    throw new RangeError(`rate-limit window of ${windowSeconds} s: it must be between 1 s and ${MAX_RATE_LIMIT_WINDOW_SECONDS} s`);
  }
  const windowMs = windowSeconds * 1000;
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const count =
    "$transaction" in db
      ? await runWriteTransaction(db as Db, (tx) => countUse(tx, key, windowStart))
      : await countUse(db, key, windowStart);
  if (count <= limit) return { allowed: true, retryAfterSeconds: 0 };
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((windowStart.getTime() + windowMs - now.getTime()) / 1000)) };
}

async function countUse(db: Db | DbTransaction, key: string, windowStart: Date): Promise<number> {
  for (let attempt = 0; attempt < 3; attempt++) {
    // Inside the loop: the clean-up may delete an expired bucket of this key between two steps.
    await db.$executeRaw`INSERT INTO "RateLimitBucket" ("key", "windowStart", "count") VALUES (${key}, ${windowStart}, 0) ON CONFLICT ("key") DO NOTHING`;
    const counted = await db.rateLimitBucket.updateMany({ where: { key, windowStart }, data: { count: { increment: 1 } } });
    if (counted.count === 0) {
      // A bucket of an earlier window: start this one (another process may do it at the same time; then count again).
      const reset = await db.rateLimitBucket.updateMany({
        where: { key, windowStart: { lt: windowStart } },
        data: { windowStart, count: 1 },
      });
      if (reset.count === 0) continue;
    }
    const bucket = await db.rateLimitBucket.findUnique({ where: { key } });
    if (bucket && bucket.windowStart.getTime() === windowStart.getTime()) return bucket.count;
    // A later window already (clock skew between processes): this use belongs to a window that is over.
    if (bucket && bucket.windowStart.getTime() > windowStart.getTime()) return 0;
  }
  return 0;
}
