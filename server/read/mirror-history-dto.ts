import { z } from "zod";
import { POLL_COVERAGE_STATUSES } from "../../core/compute-poll-coverage";
import { MirrorRelation, PollRunDto, SourceHealth } from "./dto";

/** Shapes of GET /api/v1/mirrors/{id}: one mirror's health, publication history, lag and poll coverage. Instants are ISO strings. */

const Instant = z.iso.datetime();

export const MIRROR_HISTORY_BUCKETS = ["week", "month"] as const;

export const MirrorHistoryQuery = z.object({
  bucket: z.enum(MIRROR_HISTORY_BUCKETS).default("week").describe("Group the history per UTC week (starting Monday) or month."),
  stopAfterUpdates: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(5)
    .describe("How many overdue carried updates, released after the mirror's last publication and none published, mean it stopped."),
});
export type MirrorHistoryQuery = z.infer<typeof MirrorHistoryQuery>;

export const LagPercentiles = z
  .object({
    count: z.number().int().min(1).describe("Published advisories the percentiles are taken over."),
    p50Seconds: z.number().int(),
    p90Seconds: z.number().int(),
    p99Seconds: z.number().int(),
  })
  .describe("Lag (evidence time − issuedAt) percentiles, linear interpolation between closest ranks.");
export type LagPercentiles = z.infer<typeof LagPercentiles>;

export const MirrorHistoryBucket = z
  .object({
    startAt: Instant,
    endAt: Instant.describe("Exclusive."),
    released: z.number().int().min(0).describe("Advisories the mirror carries that upstream released in this bucket (by issuedAt)."),
    releasedPublished: z.number().int().min(0).describe("Of those, how many the mirror has published by now."),
    releasedOpen: z.number().int().min(0).describe("Of those, how many are still open (pending, delayed, missing or unknown)."),
    published: z.number().int().min(0).describe("Advisories the mirror published in this bucket (by evidence time), whenever upstream released them."),
    lag: LagPercentiles.nullable().describe("Lag of this bucket's released advisories that are published; null when none is."),
    lagBySeverity: z.array(LagPercentiles.extend({ severity: z.string().nullable().describe("null: no severity (bug fix, enhancement).") })),
  })
  .describe("One week or month of a mirror's history. An advisory counts once; it is published when all its packages are.");
export type MirrorHistoryBucket = z.infer<typeof MirrorHistoryBucket>;

export const PublishingStopDto = z
  .object({
    stoppedAt: Instant.nullable().describe("When the mirror stopped publishing (its last publication); null when it has not stopped."),
    lastPublishedAt: Instant.nullable(),
    releasedSinceCount: z.number().int().min(0).describe("Carried advisories released after the last publication, none of them published."),
    overdueSinceCount: z.number().int().min(0).describe("Of those, the ones older than the mirror's expectedLagHours."),
    stopAfterUpdates: z.number().int().min(1),
  })
  .describe("Did the mirror stop publishing? Yes when at least stopAfterUpdates overdue carried updates followed its last publication.");
export type PublishingStopDto = z.infer<typeof PublishingStopDto>;

export const PollCoverageCellDto = z
  .object({
    startAt: Instant,
    endAt: Instant,
    status: z.enum(POLL_COVERAGE_STATUSES).describe("ok: a successful poll; failing: only failed polls; gap: srcwatch did not poll — no data, never healthy."),
    successCount: z.number().int().min(0),
    failureCount: z.number().int().min(0),
  })
  .describe("One hour or day of srcwatch's polling of the mirror.");
export type PollCoverageCellDto = z.infer<typeof PollCoverageCellDto>;

export const PollCoverageDto = z.object({
  unit: z.enum(["hour", "day"]),
  cells: z.array(PollCoverageCellDto).describe("Oldest first; the last cell holds now."),
});
export type PollCoverageDto = z.infer<typeof PollCoverageDto>;

export const MirrorHistoryResponse = z
  .object({
    now: Instant.describe("The instant the answer was computed for."),
    mirror: z.object({
      id: z.string(),
      name: z.string(),
      kind: z.string(),
      relation: MirrorRelation,
      majors: z.array(z.number().int()),
      streams: z.array(z.string()),
      pollIntervalSeconds: z.number(),
      expectedLagHours: z.number(),
      missingAfterHours: z.number(),
      staleAfterMinutes: z.number(),
    }),
    health: SourceHealth,
    bucket: z.enum(MIRROR_HISTORY_BUCKETS),
    buckets: z.array(MirrorHistoryBucket).describe("From the bucket of the first carried advisory to the one holding now."),
    publishingStop: PublishingStopDto,
    pollRuns: z.array(PollRunDto).describe("The 50 most recent polls of the mirror, newest first."),
    pollCoverage: z.object({
      hourly: PollCoverageDto.describe("The last 48 hours."),
      daily: PollCoverageDto.describe("The last 30 days."),
    }),
  })
  .describe("One mirror's history: health, carried updates released vs published, lag, the moment it stopped publishing, and its polling.");
export type MirrorHistoryResponse = z.infer<typeof MirrorHistoryResponse>;
