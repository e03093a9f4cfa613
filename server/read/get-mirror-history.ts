import "server-only";

import { roundLagHours, toPartialStopEvidence, type MirrorPublishing } from "../../core/alerts/assess-mirror-publishing";
import { computePollCoverage, type PollCoverageCell } from "../../core/compute-poll-coverage";
import type { MirrorConfig } from "../../core/config";
import { percentile } from "../../core/lag-stats";
import { addBuckets, floorToBucket, listBuckets } from "../../core/time-buckets";
import { readMirrorPublishing } from "../alerts/read-mirror-publishing";
import { getConfig } from "../config/get-config";
import { getDb } from "../db/client";
import { NotFoundError } from "../errors";
import type {
  LagPercentiles,
  MirrorHistoryBucket,
  MirrorHistoryQuery,
  MirrorHistoryResponse,
  MirrorPublishingDto,
  PollCoverageDto,
} from "../../contract/mirror-history-dto";
import { computeMirrorHealth, toMirrorSettingsDto } from "./to-mirror-dto";
import { toPollRunDto } from "./to-poll-run-dto";

const HOURLY_COVERAGE_HOURS = 48;
const DAILY_COVERAGE_DAYS = 30;
const RECENT_POLL_RUN_COUNT = 50;

/**
 * One Update on the mirror (MirrorUpdate, core/fold-update.ts): published when every package it ships there is, at its
 * slowest package's time. Published before tracking: published, but when and with which lag is unknown — counted as
 * published, never as a lag or a publication in a bucket.
 */
interface AdvisoryOnMirror {
  issuedAt: Date;
  severity: string | null;
  isPublished: boolean;
  publishedAt: Date | null;
  lagSeconds: number | null;
}

function computeLagPercentiles(lags: number[]): LagPercentiles | null {
  if (lags.length === 0) return null;
  return {
    count: lags.length,
    p50Seconds: Math.round(percentile(lags, 50)),
    p90Seconds: Math.round(percentile(lags, 90)),
    p99Seconds: Math.round(percentile(lags, 99)),
  };
}

function toCoverageDto(unit: PollCoverageDto["unit"], cells: PollCoverageCell[]): PollCoverageDto {
  return { unit, cells: cells.map((cell) => ({ ...cell, startAt: cell.startAt.toISOString(), endAt: cell.endAt.toISOString() })) };
}

async function listAdvisoriesOnMirror(mirrorId: string, now: Date): Promise<AdvisoryOnMirror[]> {
  // One row per Update, folded when its verdicts were written: no grouping of package verdicts here.
  const updates = await getDb().mirrorUpdate.findMany({
    where: { mirrorId, status: { not: "not_applicable" }, issuedAt: { lte: now } },
    select: {
      issuedAt: true,
      status: true,
      publishedAt: true,
      lagSeconds: true,
      isPublishedBeforeTracking: true,
      advisory: { select: { severity: true } },
    },
  });
  return updates.map((update) => {
    const isPublished = update.status === "published";
    const isTimeKnown = isPublished && !update.isPublishedBeforeTracking && update.lagSeconds !== null && update.publishedAt !== null;
    return {
      issuedAt: update.issuedAt,
      severity: update.advisory.severity,
      isPublished,
      lagSeconds: isTimeKnown ? update.lagSeconds : null,
      publishedAt: isTimeKnown ? update.publishedAt : null,
    };
  });
}

function toPublishingDto(publishing: MirrorPublishing, policy: MirrorConfig["alerts"]): MirrorPublishingDto {
  return {
    normalLag: { ...publishing.normalLag, hours: roundLagHours(publishing.normalLag.hours) },
    partialStopRatio: policy.partialStopRatio,
    partialStopMinNormalShare: policy.partialStopMinNormalShare,
    majors: publishing.majors.map(({ major, stop, share, partialStop }) => ({
      major,
      stop: {
        stoppedAt: stop.stoppedAt?.toISOString() ?? null,
        lastPublishedAt: stop.lastPublishedAt?.toISOString() ?? null,
        releasedSinceCount: stop.releasedSinceCount,
        overdueSinceCount: stop.overdueSinceCount,
        minOverdueUpdates: policy.stoppedMinOverdueUpdates,
      },
      share,
      partialStop: partialStop && toPartialStopEvidence(partialStop),
    })),
  };
}

function computeBuckets(advisories: AdvisoryOnMirror[], input: { unit: MirrorHistoryQuery["bucket"]; now: Date }): MirrorHistoryBucket[] {
  if (advisories.length === 0) return [];
  const firstIssuedAt = advisories.reduce(
    (first, advisory) => (advisory.issuedAt < first ? advisory.issuedAt : first),
    advisories[0].issuedAt,
  );
  const buckets = listBuckets(firstIssuedAt, input.now, input.unit).map((bucket) => ({
    ...bucket,
    released: 0,
    releasedPublished: 0,
    published: 0,
    lags: [] as number[],
    lagsBySeverity: new Map<string | null, number[]>(),
  }));
  const indexByStartMs = new Map(buckets.map((bucket, index) => [bucket.startAt.getTime(), index]));
  const bucketOf = (at: Date) => buckets[indexByStartMs.get(floorToBucket(at, input.unit).getTime()) ?? -1];
  for (const advisory of advisories) {
    const released = bucketOf(advisory.issuedAt);
    released.released += 1;
    if (!advisory.isPublished) continue;
    released.releasedPublished += 1;
    // Published before tracking: when, and so its lag, is unknown — no lag and no bucket of publication.
    if (advisory.publishedAt === null || advisory.lagSeconds === null) continue;
    released.lags.push(advisory.lagSeconds);
    const severityLags = released.lagsBySeverity.get(advisory.severity) ?? [];
    severityLags.push(advisory.lagSeconds);
    released.lagsBySeverity.set(advisory.severity, severityLags);
    const published = bucketOf(advisory.publishedAt);
    if (published) published.published += 1;
  }
  return buckets.map((bucket) => ({
    startAt: bucket.startAt.toISOString(),
    endAt: bucket.endAt.toISOString(),
    released: bucket.released,
    releasedPublished: bucket.releasedPublished,
    releasedOpen: bucket.released - bucket.releasedPublished,
    published: bucket.published,
    lag: computeLagPercentiles(bucket.lags),
    lagBySeverity: [...bucket.lagsBySeverity.entries()].map(([severity, lags]) => ({ severity, ...computeLagPercentiles(lags)! })),
  }));
}

/**
 * One mirror's history: carried advisories released vs published per week or month, lag percentiles,
 * per major whether it stopped publishing (fully or partly: the alert rules' own assessment, same data and normal lag),
 * its recent poll runs and whether srcwatch polled it each hour and day.
 * Throws NotFoundError for a mirror that is not configured.
 */
export async function getMirrorHistory(mirrorId: string, query: MirrorHistoryQuery, input: { now: Date }): Promise<MirrorHistoryResponse> {
  const mirror = getConfig().mirrors.find((candidate) => candidate.id === mirrorId);
  if (!mirror) throw new NotFoundError(`Mirror ${mirrorId} is not configured`);
  const { now } = input;
  const db = getDb();
  const coverageFrom = addBuckets(floorToBucket(now, "day"), "day", 1 - DAILY_COVERAGE_DAYS);
  const [advisories, { publishing }, state, recentRuns, coverageRuns] = await Promise.all([
    listAdvisoriesOnMirror(mirror.id, now),
    readMirrorPublishing(db, mirror, now),
    db.sourceState.findUnique({ where: { sourceId: mirror.id } }),
    db.pollRun.findMany({ where: { sourceId: mirror.id }, orderBy: [{ startedAt: "desc" }, { id: "desc" }], take: RECENT_POLL_RUN_COUNT }),
    db.pollRun.findMany({
      where: { sourceId: mirror.id, startedAt: { gte: coverageFrom, lte: now } },
      select: { startedAt: true, outcome: true },
    }),
  ]);

  return {
    now: now.toISOString(),
    mirror: toMirrorSettingsDto(mirror),
    health: computeMirrorHealth(mirror, state, now),
    bucket: query.bucket,
    buckets: computeBuckets(advisories, { unit: query.bucket, now }),
    publishing: toPublishingDto(publishing, mirror.alerts),
    pollRuns: recentRuns.map(toPollRunDto),
    pollCoverage: {
      hourly: toCoverageDto("hour", computePollCoverage(coverageRuns, { now, unit: "hour", bucketCount: HOURLY_COVERAGE_HOURS })),
      daily: toCoverageDto("day", computePollCoverage(coverageRuns, { now, unit: "day", bucketCount: DAILY_COVERAGE_DAYS })),
    },
  };
}
