import "server-only";

import { formatDuration } from "../../core/format/format-duration";
import { percentile } from "../../core/lag-stats";
import { getConfig } from "../config/get-config";
import { getDb } from "../db/client";
import { NotFoundError } from "../errors";
import type { VerdictCounts } from "../../contract/verdict-dto";
import { createEmptyVerdictCounts, listMirrorMajors, listMirrorMajorStats, mirrorMajorKey } from "./list-mirror-major-stats";

export const BADGE_METRICS = ["status", "lag"] as const;
export type BadgeMetric = (typeof BADGE_METRICS)[number];

/** Named colours both badge-maker and shields' endpoint badges understand. */
export type BadgeColor = "brightgreen" | "yellow" | "orange" | "red" | "lightgrey";

export interface Badge {
  label: string;
  message: string;
  color: BadgeColor;
}

const MINUTE_SECONDS = 60;
const HOUR_SECONDS = 3600;

/**
 * The badge of one mirror × RHEL major. Status counts advisories by their worst verdict; while the mirror's
 * last successful poll is older than `staleAfterMinutes`, its open advisories read "unknown", never "missing".
 */
export function computeBadge(input: {
  metric: BadgeMetric;
  mirrorName: string;
  major: number;
  counts: VerdictCounts;
  publishedLagsSeconds: readonly number[];
  lastSuccessfulPollAt: Date | null;
  policy: { staleAfterMinutes: number; expectedLagHours: number; missingAfterHours: number };
  now: Date;
}): Badge {
  const label = `RHEL ${input.major} · ${input.mirrorName}`;
  if (input.metric === "lag") {
    if (input.publishedLagsSeconds.length === 0) return { label, message: "lag p90 n/a", color: "lightgrey" };
    const p90Seconds = percentile(input.publishedLagsSeconds, 90);
    const color: BadgeColor =
      p90Seconds <= input.policy.expectedLagHours * HOUR_SECONDS
        ? "brightgreen"
        : p90Seconds <= input.policy.missingAfterHours * HOUR_SECONDS
          ? "orange"
          : "red";
    return { label, message: `lag p90 ${formatDuration(p90Seconds)}`, color };
  }

  const { missing, delayed, pending, unknown, published } = input.counts;
  const openCount = missing + delayed + pending + unknown;
  if (openCount + published === 0) return { label, message: "no updates", color: "lightgrey" };
  const isMirrorStale =
    input.lastSuccessfulPollAt === null ||
    input.now.getTime() - input.lastSuccessfulPollAt.getTime() > input.policy.staleAfterMinutes * MINUTE_SECONDS * 1000;
  if (isMirrorStale && openCount > 0) return { label, message: "unknown", color: "lightgrey" };
  if (missing > 0) return { label, message: `${missing} missing`, color: "red" };
  if (delayed > 0) return { label, message: `${delayed} delayed`, color: "orange" };
  if (pending > 0) return { label, message: `${pending} pending`, color: "yellow" };
  if (unknown > 0) return { label, message: `${unknown} unknown`, color: "lightgrey" };
  return { label, message: "all published", color: "brightgreen" };
}

export async function getBadge(input: { mirrorId: string; major: number; metric: BadgeMetric; now: Date }): Promise<Badge> {
  const mirror = getConfig().mirrors.find((candidate) => candidate.id === input.mirrorId);
  if (!mirror) throw new NotFoundError("unknown mirror");
  const [{ countsByKey, lagsByKey }, state] = await Promise.all([
    listMirrorMajorStats({ mirrorId: mirror.id, major: input.major }),
    getDb().sourceState.findUnique({ where: { sourceId: mirror.id } }),
  ]);
  if (!listMirrorMajors(mirror, countsByKey).includes(input.major)) throw new NotFoundError("unknown RHEL major");
  const key = mirrorMajorKey(mirror.id, input.major);
  return computeBadge({
    metric: input.metric,
    mirrorName: mirror.name,
    major: input.major,
    counts: countsByKey.get(key) ?? createEmptyVerdictCounts(),
    publishedLagsSeconds: lagsByKey.get(key) ?? [],
    lastSuccessfulPollAt: state?.lastSuccessAt ?? null,
    policy: mirror,
    now: input.now,
  });
}
