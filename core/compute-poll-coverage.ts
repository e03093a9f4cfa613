import { addBuckets, floorToBucket, type TimeBucketUnit } from "./time-buckets";

export const POLL_COVERAGE_STATUSES = ["ok", "failing", "gap"] as const;
export type PollCoverageStatus = (typeof POLL_COVERAGE_STATUSES)[number];

export interface PollAttempt {
  startedAt: Date;
  /** running, success, partial or failed; a run still running has no result yet. */
  outcome: string;
}

export interface PollCoverageCell {
  startAt: Date;
  endAt: Date;
  /** ok: at least one successful poll; failing: polls, all failed; gap: no finished poll — no data, never healthy. */
  status: PollCoverageStatus;
  successCount: number;
  failureCount: number;
}

/** The last `bucketCount` hours or days up to the one holding `now`, each with what srcwatch's polls of a source found. */
export function computePollCoverage(
  runs: readonly PollAttempt[],
  input: { now: Date; unit: Extract<TimeBucketUnit, "hour" | "day">; bucketCount: number },
): PollCoverageCell[] {
  const firstStartAt = addBuckets(floorToBucket(input.now, input.unit), input.unit, 1 - input.bucketCount);
  const cells = Array.from({ length: input.bucketCount }, (_, index) => {
    const startAt = addBuckets(firstStartAt, input.unit, index);
    return { startAt, endAt: addBuckets(startAt, input.unit, 1), successCount: 0, failureCount: 0 };
  });
  const bucketMs = cells[0] ? cells[0].endAt.getTime() - cells[0].startAt.getTime() : 1;
  for (const run of runs) {
    const startedMs = run.startedAt.getTime();
    if (startedMs > input.now.getTime()) continue;
    const cell = cells[Math.floor((startedMs - firstStartAt.getTime()) / bucketMs)];
    if (!cell) continue;
    if (run.outcome === "success" || run.outcome === "partial") cell.successCount += 1;
    else if (run.outcome === "failed") cell.failureCount += 1;
  }
  return cells.map((cell) => ({
    ...cell,
    status: cell.successCount > 0 ? "ok" : cell.failureCount > 0 ? "failing" : "gap",
  }));
}
