import { deleteExpiredRateLimitBuckets } from "../server/rate-limit/delete-expired-rate-limit-buckets";
import { deleteUnconfirmedSubscriptions } from "../server/subscriptions/delete-unconfirmed-subscriptions";
import type { WorkerDeps } from "./worker-deps";

export interface AbandonedRowsDeleted {
  rateLimitBuckets: number;
  unconfirmedSubscriptions: number;
  /** False when a bound stopped the pass with rows left: run again soon. */
  isComplete: boolean;
}

/** What requests leave behind and nobody will use again: ended rate-limit windows, never-confirmed subscriptions. */
export async function deleteAbandonedRows(deps: Pick<WorkerDeps, "db" | "now" | "logger">): Promise<AbandonedRowsDeleted> {
  const buckets = await deleteExpiredRateLimitBuckets(deps.db, deps.now());
  const subscriptions = await deleteUnconfirmedSubscriptions(deps.db, deps.now());
  const result = {
    rateLimitBuckets: buckets.deleted,
    unconfirmedSubscriptions: subscriptions.deleted,
    isComplete: buckets.isComplete && subscriptions.isComplete,
  };
  if (result.rateLimitBuckets || result.unconfirmedSubscriptions)
    deps.logger.info({ component: "cleanup", ...result }, "abandoned rows deleted");
  return result;
}
