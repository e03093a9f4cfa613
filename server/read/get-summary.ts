import "server-only";

import { median } from "../../core/lag-stats";
import { getConfig } from "../config/get-config";
import { getDb } from "../db/client";
import type { SyncProgress } from "../../contract/mirror-dto";
import type { SummaryResponse } from "../../contract/summary-dto";
import { createEmptyVerdictCounts, listMirrorMajors, listMirrorMajorStats, mirrorMajorKey } from "./list-mirror-major-stats";
import { computeMirrorHealth, upstreamStaleAfterMinutes } from "./to-mirror-dto";
import { readPublishingStrips } from "./read-publishing-strips";

/**
 * Mirror × RHEL major: how many advisories stand at each verdict, and the median of the stored lags of the published ones
 * (those published before tracking have none and are only counted).
 */
export async function getSummary(input: { now: Date }): Promise<SummaryResponse> {
  const config = getConfig();
  const db = getDb();
  const [{ countsByKey, lagsByKey, beforeTrackingByKey }, states, advisoryCount] = await Promise.all([
    listMirrorMajorStats(),
    db.sourceState.findMany(),
    db.advisory.count(),
  ]);
  const stateById = new Map(states.map((state) => [state.sourceId, state]));

  const keys = config.mirrors.flatMap((mirror) =>
    listMirrorMajors(mirror, countsByKey).map((major) => ({
      mirrorId: mirror.id,
      major,
      hasBeforeTracking: (beforeTrackingByKey.get(mirrorMajorKey(mirror.id, major)) ?? 0) > 0,
    })),
  );
  const strips = await readPublishingStrips(db, {
    rows: keys,
    now: input.now,
    lastSuccessAt: new Map(config.mirrors.map((mirror) => [mirror.id, stateById.get(mirror.id)?.lastSuccessAt ?? null])),
  });
  const rows = config.mirrors.flatMap((mirror) => {
    const health = computeMirrorHealth(mirror, stateById.get(mirror.id), input.now);
    return listMirrorMajors(mirror, countsByKey).map((major) => {
      const key = mirrorMajorKey(mirror.id, major);
      const lags = lagsByKey.get(key) ?? [];
      return {
        mirrorId: mirror.id,
        mirrorName: mirror.name,
        major,
        counts: countsByKey.get(key) ?? createEmptyVerdictCounts(),
        medianLagSeconds: lags.length ? Math.round(median(lags)) : null,
        beforeTrackingCount: beforeTrackingByKey.get(key) ?? 0,
        health,
        publishing: strips.get(`${mirror.id}/${major}`)!,
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
    return [
      {
        sourceId: source.id,
        step: state.progressStep,
        done: state.progressDone,
        total: state.progressTotal,
        isFirstSync: !state.lastSuccessAt,
        updatedAt: state.progressUpdatedAt.toISOString(),
      },
    ];
  });
  return { now: input.now.toISOString(), rows, progress, advisoryCount };
}
