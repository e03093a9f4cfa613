import "server-only";

import { VERDICT_STATUSES, type VerdictStatus } from "../../core/types";
import { Prisma } from "../../prisma/generated/sqlite/client";
import { getDb } from "../db/client";
import type { VerdictCounts } from "../../contract/verdict-dto";

/** Rank of a verdict when an advisory has several packages: the worst one speaks for the advisory. */
export const WORST_VERDICT_SQL = `MAX(CASE v."status" WHEN 'missing' THEN 6 WHEN 'delayed' THEN 5 WHEN 'pending' THEN 4 WHEN 'unknown' THEN 3 WHEN 'published' THEN 2 ELSE 1 END)`;
export const VERDICT_BY_RANK: Record<number, VerdictStatus> = {
  6: "missing",
  5: "delayed",
  4: "pending",
  3: "unknown",
  2: "published",
  1: "not_applicable",
};

export interface MirrorMajorStats {
  /** Advisories by their worst verdict, keyed by `mirrorMajorKey`. */
  countsByKey: Map<string, VerdictCounts>;
  /**
   * Per published advisory, the stored lag of its slowest published package (seconds), keyed by `mirrorMajorKey`.
   * An advisory with a package published before tracking (no lag) is left out: its lag is unknown, never 0.
   */
  lagsByKey: Map<string, number[]>;
  /** How many advisories were left out of `lagsByKey` that way, keyed by `mirrorMajorKey`. */
  beforeTrackingByKey: Map<string, number>;
}

export function mirrorMajorKey(mirrorId: string, major: number): string {
  return `${mirrorId}/${major}`;
}

export function createEmptyVerdictCounts(): VerdictCounts {
  return Object.fromEntries(VERDICT_STATUSES.map((status) => [status, 0])) as VerdictCounts;
}

/** Mirror × RHEL major: advisories at each verdict and the published lags; optionally for one mirror and/or major. */
export async function listMirrorMajorStats(filter: { mirrorId?: string; major?: number } = {}): Promise<MirrorMajorStats> {
  const db = getDb();
  const conditions = [
    ...(filter.mirrorId === undefined ? [] : [Prisma.sql`v."mirrorId" = ${filter.mirrorId}`]),
    ...(filter.major === undefined ? [] : [Prisma.sql`p."major" = ${filter.major}`]),
  ];
  const where = conditions.length ? Prisma.sql`WHERE ${Prisma.join(conditions, " AND ")}` : Prisma.empty;
  const publishedWhere = Prisma.join([...conditions, Prisma.sql`v."status" = 'published'`], " AND ");
  const [countRows, lagRows] = await Promise.all([
    db.$queryRaw<{ mirrorId: string; major: number | bigint; rank: number | bigint; advisories: number | bigint }[]>`
      SELECT t."mirrorId" AS "mirrorId", t."major" AS "major", t."rank" AS "rank", COUNT(*) AS "advisories" FROM (
        SELECT v."mirrorId" AS "mirrorId", p."major" AS "major", p."advisoryId" AS "advisoryId", ${Prisma.raw(WORST_VERDICT_SQL)} AS "rank"
        FROM "Verdict" v JOIN "Package" p ON p."id" = v."packageId"
        ${where}
        GROUP BY v."mirrorId", p."major", p."advisoryId") t
      GROUP BY t."mirrorId", t."major", t."rank"`,
    // COUNT(column) skips nulls: "unmeasured" counts the published packages without a lag.
    db.$queryRaw<{ mirrorId: string; major: number | bigint; lag: number | bigint | null; unmeasured: number | bigint }[]>`
      SELECT v."mirrorId" AS "mirrorId", p."major" AS "major", MAX(v."lagSeconds") AS "lag", COUNT(*) - COUNT(v."lagSeconds") AS "unmeasured"
      FROM "Verdict" v JOIN "Package" p ON p."id" = v."packageId"
      WHERE ${publishedWhere}
      GROUP BY v."mirrorId", p."major", p."advisoryId"`,
  ]);
  const countsByKey = new Map<string, VerdictCounts>();
  for (const row of countRows) {
    const key = mirrorMajorKey(row.mirrorId, Number(row.major));
    const counts = countsByKey.get(key) ?? createEmptyVerdictCounts();
    counts[VERDICT_BY_RANK[Number(row.rank)]] += Number(row.advisories);
    countsByKey.set(key, counts);
  }
  const lagsByKey = new Map<string, number[]>();
  const beforeTrackingByKey = new Map<string, number>();
  for (const row of lagRows) {
    const key = mirrorMajorKey(row.mirrorId, Number(row.major));
    if (Number(row.unmeasured) > 0 || row.lag === null) {
      beforeTrackingByKey.set(key, (beforeTrackingByKey.get(key) ?? 0) + 1);
      continue;
    }
    const lags = lagsByKey.get(key) ?? [];
    lags.push(Number(row.lag));
    lagsByKey.set(key, lags);
  }
  return { countsByKey, lagsByKey, beforeTrackingByKey };
}

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
