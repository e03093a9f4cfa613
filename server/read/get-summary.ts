import { median } from "../../core/lag-stats";
import { VERDICT_STATUSES, type VerdictStatus } from "../../core/types";
import { getConfig } from "../config/get-config";
import { getDb } from "../db/client";
import { computeSourceHealth } from "./compute-source-health";
import type { SummaryResponse, SyncProgress, VerdictCounts } from "./dto";
import { upstreamStaleAfterMinutes } from "./list-mirrors";

/** Rank of a verdict when an advisory has several packages: the worst one speaks for the advisory. */
export const WORST_VERDICT_SQL = `MAX(CASE v."status" WHEN 'missing' THEN 6 WHEN 'delayed' THEN 5 WHEN 'pending' THEN 4 WHEN 'unknown' THEN 3 WHEN 'published' THEN 2 ELSE 1 END)`;
export const VERDICT_BY_RANK: Record<number, VerdictStatus> = { 6: "missing", 5: "delayed", 4: "pending", 3: "unknown", 2: "published", 1: "not_applicable" };

function emptyCounts(): VerdictCounts {
  return Object.fromEntries(VERDICT_STATUSES.map((status) => [status, 0])) as VerdictCounts;
}

/** Mirror × RHEL major: how many advisories stand at each verdict, and the median lag of the published ones. */
export async function getSummary(input: { now: Date }): Promise<SummaryResponse> {
  const config = getConfig();
  const db = getDb();
  const [countRows, lagRows, states, advisoryCount] = await Promise.all([
    db.$queryRawUnsafe<{ mirrorId: string; major: number | bigint; rank: number | bigint; advisories: number | bigint }[]>(
      `SELECT t."mirrorId" AS "mirrorId", t."major" AS "major", t."rank" AS "rank", COUNT(*) AS "advisories" FROM (
         SELECT v."mirrorId" AS "mirrorId", p."major" AS "major", p."advisoryId" AS "advisoryId", ${WORST_VERDICT_SQL} AS "rank"
         FROM "Verdict" v JOIN "Package" p ON p."id" = v."packageId"
         GROUP BY v."mirrorId", p."major", p."advisoryId") t
       GROUP BY t."mirrorId", t."major", t."rank"`,
    ),
    db.$queryRawUnsafe<{ mirrorId: string; major: number | bigint; lag: number | bigint }[]>(
      `SELECT v."mirrorId" AS "mirrorId", p."major" AS "major", MAX(v."lagSeconds") AS "lag"
       FROM "Verdict" v JOIN "Package" p ON p."id" = v."packageId"
       WHERE v."status" = 'published' AND v."lagSeconds" IS NOT NULL
       GROUP BY v."mirrorId", p."major", p."advisoryId"`,
    ),
    db.sourceState.findMany(),
    db.advisory.count(),
  ]);
  const stateById = new Map(states.map((state) => [state.sourceId, state]));
  const countsByKey = new Map<string, VerdictCounts>();
  for (const row of countRows) {
    const key = `${row.mirrorId}/${Number(row.major)}`;
    const counts = countsByKey.get(key) ?? emptyCounts();
    counts[VERDICT_BY_RANK[Number(row.rank)]] += Number(row.advisories);
    countsByKey.set(key, counts);
  }
  const lagsByKey = new Map<string, number[]>();
  for (const row of lagRows) {
    const key = `${row.mirrorId}/${Number(row.major)}`;
    const lags = lagsByKey.get(key) ?? [];
    lags.push(Number(row.lag));
    lagsByKey.set(key, lags);
  }
  // A major the mirror no longer carries still shows while it has verdicts other than "not applicable".
  const majorsWithData = (mirrorId: string) =>
    [...countsByKey.entries()]
      .filter(([key, counts]) => key.startsWith(`${mirrorId}/`) && Object.entries(counts).some(([status, count]) => status !== "not_applicable" && count > 0))
      .map(([key]) => Number(key.slice(mirrorId.length + 1)));

  const rows = config.mirrors.flatMap((mirror) => {
    const majors = [...new Set([...mirror.majors, ...majorsWithData(mirror.id)])].sort((a, b) => a - b);
    const health = computeSourceHealth(stateById.get(mirror.id), { now: input.now, staleAfterMinutes: mirror.staleAfterMinutes });
    return majors.map((major) => {
      const lags = lagsByKey.get(`${mirror.id}/${major}`) ?? [];
      return {
        mirrorId: mirror.id,
        mirrorName: mirror.name,
        major,
        counts: countsByKey.get(`${mirror.id}/${major}`) ?? emptyCounts(),
        medianLagSeconds: lags.length ? Math.round(median(lags)) : null,
        health,
      };
    });
  });

  const sources = [
    ...config.upstreams.map((upstream) => ({ id: upstream.id, staleAfterMinutes: upstreamStaleAfterMinutes(upstream) })),
    ...config.mirrors.map((mirror) => ({ id: mirror.id, staleAfterMinutes: mirror.staleAfterMinutes })),
  ];
  const progress: SyncProgress[] = sources.flatMap((source) => {
    const state = stateById.get(source.id);
    if (!state?.progressStep || state.progressStep === "idle" || !state.progressUpdatedAt) return [];
    return [{
      sourceId: source.id,
      step: state.progressStep,
      done: state.progressDone,
      total: state.progressTotal,
      isFirstSync: !state.lastSuccessAt,
      updatedAt: state.progressUpdatedAt.toISOString(),
    }];
  });
  return { now: input.now.toISOString(), rows, progress, advisoryCount };
}
