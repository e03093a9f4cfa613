import { z } from "zod";
import { Instant } from "./common";
import { POLL_COVERAGE_STATUSES } from "../core/compute-poll-coverage";
import { MirrorRelation, SourceHealth } from "./mirror-dto";
import { PollRunDto } from "./poll-run-dto";

/** Shapes of GET /api/v1/mirrors/{id}: one mirror's health, publication history, lag and poll coverage. Instants are ISO strings. */

export const MIRROR_HISTORY_BUCKETS = ["week", "month"] as const;

export const MirrorHistoryQuery = z.object({
  bucket: z.enum(MIRROR_HISTORY_BUCKETS).default("week").describe("Group the history per UTC week (starting Monday) or month."),
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
    published: z
      .number()
      .int()
      .min(0)
      .describe("Advisories the mirror published in this bucket (by evidence time), whenever upstream released them."),
    lag: LagPercentiles.nullable().describe("Lag of this bucket's released advisories that are published; null when none is."),
    lagBySeverity: z.array(
      LagPercentiles.extend({ severity: z.string().nullable().describe("null: no severity (bug fix, enhancement).") }),
    ),
  })
  .describe("One week or month of a mirror's history. An advisory counts once; it is published when all its packages are.");
export type MirrorHistoryBucket = z.infer<typeof MirrorHistoryBucket>;

export const NormalLagDto = z
  .object({
    hours: z.number().min(0).describe("Lag beyond which an unpublished update counts as overdue, in hours (to 0.1 h, as the alerts say)."),
    source: z
      .enum(["learned", "configured"])
      .describe("learned: from the mirror's own history; configured: its expectedLagHours, until enough history is known."),
    percentile: z.number().describe("The percentile of the lags it is (or will be) learned as."),
    historySize: z.number().int().min(0).describe("Updates published within the history window the percentile was learned from."),
  })
  .describe("The mirror's normal lag (all its majors together): the same the publishing_stopped and partial_stop alerts use.");
export type NormalLagDto = z.infer<typeof NormalLagDto>;

export const PublishingStopDto = z
  .object({
    stoppedAt: Instant.nullable().describe("When the major stopped publishing (its last publication); null when it has not stopped."),
    lastPublishedAt: Instant.nullable().describe(
      "The major's last publication, whatever its age. For an update that was already on the mirror when tracking began, its release (a lower bound).",
    ),
    releasedSinceCount: z.number().int().min(0).describe("Carried updates released after the last publication, none of them published."),
    overdueSinceCount: z.number().int().min(0).describe("Of those, the ones older than the normal lag."),
    minOverdueUpdates: z
      .number()
      .int()
      .min(1)
      .describe("How many overdue updates mean it stopped (the mirror's alerts.stoppedMinOverdueUpdates)."),
  })
  .describe(
    "Did the major stop publishing? Yes when at least minOverdueUpdates overdue carried updates followed its last publication (the publishing_stopped rule).",
  );
export type PublishingStopDto = z.infer<typeof PublishingStopDto>;

export const PublishingShareDto = z
  .object({
    windowSize: z
      .number()
      .int()
      .min(1)
      .describe("The last updates of the major past the normal lag (they should be on the mirror by now)…"),
    publishedInWindow: z.number().int().min(0).describe("…of which the mirror published this many."),
    baselineSize: z.number().int().min(0).describe("The due updates before them (up to windowSize): the mirror's normal share."),
    publishedInBaseline: z.number().int().min(0),
  })
  .describe("How much of the last due updates the mirror published, against the updates before them.");
export type PublishingShareDto = z.infer<typeof PublishingShareDto>;

export const PartialStopDto = PublishingShareDto.extend({
  normalLagHours: z.number().min(0),
  stoppedPackages: z
    .array(z.string())
    .describe("Packages in the window's unpublished updates that the mirror published in none of the window's updates (sorted)."),
  keptPackages: z.array(z.string()).describe("Packages the mirror still published within the window (sorted)."),
}).describe("The partial_stop rule fires: the mirror stopped some packages while others keep arriving.");
export type PartialStopDto = z.infer<typeof PartialStopDto>;

export const MajorPublishingDto = z.object({
  major: z.number().int(),
  stop: PublishingStopDto,
  share: PublishingShareDto.nullable().describe("null until a full window of updates is due."),
  partialStop: PartialStopDto.nullable().describe("null when the partial_stop rule does not fire (never together with a stop)."),
});
export type MajorPublishingDto = z.infer<typeof MajorPublishingDto>;

export const MirrorPublishingDto = z
  .object({
    normalLag: NormalLagDto,
    partialStopRatio: z.number().describe("partial_stop fires when the window's share falls below this fraction of the normal share…"),
    partialStopMinNormalShare: z.number().describe("…provided the normal share is at least this."),
    majors: z.array(MajorPublishingDto).describe("Every major the mirror carries, ascending."),
  })
  .describe(
    "Is the mirror publishing, per RHEL major: the same rule, data and normal lag as its publishing_stopped and partial_stop alerts.",
  );
export type MirrorPublishingDto = z.infer<typeof MirrorPublishingDto>;

export const PollCoverageCellDto = z
  .object({
    startAt: Instant,
    endAt: Instant,
    status: z
      .enum(POLL_COVERAGE_STATUSES)
      .describe("ok: a successful poll; failing: only failed polls; gap: srcwatch did not poll — no data, never healthy."),
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
    publishing: MirrorPublishingDto,
    pollRuns: z.array(PollRunDto).describe("The 50 most recent polls of the mirror, newest first."),
    pollCoverage: z.object({
      hourly: PollCoverageDto.describe("The last 48 hours."),
      daily: PollCoverageDto.describe("The last 30 days."),
    }),
  })
  .describe(
    "One mirror's history: health, carried updates released vs published, lag, whether (and when) each major stopped publishing, and its polling.",
  );
export type MirrorHistoryResponse = z.infer<typeof MirrorHistoryResponse>;
