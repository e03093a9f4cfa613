import "server-only";

import { VERDICT_STATUSES, type VerdictStatus } from "../../core/types";
import { getDb } from "../db/client";
import type { VerdictCounts } from "../../contract/verdict-dto";

/** The published Updates a mirror × major's lag figures (median, percentiles) are learned from: the newest ones. */
export const LAG_SAMPLE_SIZE = 500;

export interface MirrorMajorStats {
  /** Updates (advisory × major) by status, keyed by `mirrorMajorKey`. */
  countsByKey: Map<string, VerdictCounts>;
  /**
   * The lags (seconds) of the newest LAG_SAMPLE_SIZE published Updates, keyed by `mirrorMajorKey`. An Update with a
   * package published before tracking (no lag) is left out: its lag is unknown, never 0.
   */
  lagsByKey: Map<string, number[]>;
  /** How many published Updates have no lag that way, keyed by `mirrorMajorKey`. */
  beforeTrackingByKey: Map<string, number>;
}

export function mirrorMajorKey(mirrorId: string, major: number): string {
  return `${mirrorId}/${major}`;
}

export function createEmptyVerdictCounts(): VerdictCounts {
  return Object.fromEntries(VERDICT_STATUSES.map((status) => [status, 0])) as VerdictCounts;
}

/**
 * Mirror × RHEL major: Updates at each status from the counters (MirrorUpdateCount), and the lags of the newest
 * LAG_SAMPLE_SIZE published ones (an index walk each); optionally for one mirror and/or major. Costs the number of
 * mirrors × majors, never the number of updates.
 */
export async function listMirrorMajorStats(filter: { mirrorId?: string; major?: number } = {}): Promise<MirrorMajorStats> {
  const db = getDb();
  const counters = await db.mirrorUpdateCount.findMany({
    where: {
      ...(filter.mirrorId === undefined ? {} : { mirrorId: filter.mirrorId }),
      ...(filter.major === undefined ? {} : { major: filter.major }),
    },
  });
  const countsByKey = new Map<string, VerdictCounts>();
  const beforeTrackingByKey = new Map<string, number>();
  for (const row of counters) {
    if (!isVerdictStatus(row.status) || row.count === 0) continue;
    const key = mirrorMajorKey(row.mirrorId, row.major);
    const counts = countsByKey.get(key) ?? createEmptyVerdictCounts();
    counts[row.status] += row.count;
    countsByKey.set(key, counts);
    if (row.beforeTracking > 0) beforeTrackingByKey.set(key, row.beforeTracking);
  }
  const published = counters.filter((row) => row.status === "published" && row.count > row.beforeTracking);
  const lagsByKey = new Map<string, number[]>(
    await Promise.all(
      published.map(async (row) => {
        const updates = await db.mirrorUpdate.findMany({
          // Dated Updates are exactly the published ones with a lag (core/update/fold-update.ts): one index range.
          where: {
            mirrorId: row.mirrorId,
            major: row.major,
            status: "published",
            isPublishedBeforeTracking: false,
            lagSeconds: { not: null },
          },
          orderBy: { publishedAt: "desc" },
          take: LAG_SAMPLE_SIZE,
          select: { lagSeconds: true },
        });
        return [mirrorMajorKey(row.mirrorId, row.major), updates.map((update) => update.lagSeconds!)] as const;
      }),
    ),
  );
  return { countsByKey, lagsByKey, beforeTrackingByKey };
}

const isVerdictStatus = (status: string): status is VerdictStatus => (VERDICT_STATUSES as readonly string[]).includes(status);

/** The majors a mirror shows: those it carries, and another one while it has verdicts other than "not applicable". */
export function listMirrorMajors(mirror: { id: string; majors: readonly number[] }, countsByKey: Map<string, VerdictCounts>): number[] {
  const majorsWithData = [...countsByKey.entries()]
    .filter(
      ([key, counts]) =>
        key.startsWith(`${mirror.id}/`) && Object.entries(counts).some(([status, count]) => status !== "not_applicable" && count > 0),
    )
    .map(([key]) => Number(key.slice(mirror.id.length + 1)));
  return [...new Set([...mirror.majors, ...majorsWithData])].sort((a, b) => a - b);
}
