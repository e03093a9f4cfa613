import type { Db } from "../../server/db/client";
import { EVALUATION_TRANSACTION_OPTIONS } from "../../server/verdicts/evaluate-mirror-verdicts";
import { refreshMirrorUpdates } from "../../server/updates/refresh-mirror-updates";

/**
 * For tests that write Verdict rows by hand instead of through the evaluation: folds the Updates and counters of the
 * given advisories on the mirror again, as the evaluation does in the verdicts' transaction.
 */
export async function refreshUpdatesOf(db: Db, mirrorId: string, advisoryIds: string[], now = new Date()): Promise<void> {
  // The evaluation's own transaction bound: Prisma's 5 s default expired under load (20,000 advisories on a busy PostgreSQL).
  await db.$transaction((tx) => refreshMirrorUpdates(tx, { mirrorId, advisoryIds, now }), EVALUATION_TRANSACTION_OPTIONS);
}
