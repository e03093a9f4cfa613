import { z } from "zod";
import { LAG_TIME_ORIGINS, VERDICT_STATUS_REASONS } from "../core/compute-verdict";
import { PUBLICATION_TIME_ORIGINS, VERDICT_STATUSES } from "../core/types";
import { Instant, Seconds } from "./common";
import { MirrorRelation } from "./mirror-dto";

/** A package's verdict on one mirror and the evidence behind it. */

export const VerdictStatus = z
  .enum(VERDICT_STATUSES)
  .describe(
    "published, pending (within the expected lag), delayed, missing (past the mirror's limit), unknown (our polling is stale), not_applicable.",
  );
export type VerdictStatus = z.infer<typeof VerdictStatus>;

export const VerdictStatusReason = z
  .enum(VERDICT_STATUS_REASONS)
  .describe(
    "Why a verdict is unknown or not applicable. unknown: stale (our polls of the mirror fail, its answer is old) or not_checked " +
      "(no poll of the mirror has asked about this package yet: not checked yet, which is not missing); not_applicable: not_carried " +
      "(the mirror does not carry this RHEL major or stream) or before_tracked_from (released before the mirror began: its `trackedFrom`).",
  );
export type VerdictStatusReason = z.infer<typeof VerdictStatusReason>;

export const LagTimeOrigin = z
  .enum(LAG_TIME_ORIGINS)
  .describe(
    "Where the time a published lag is measured to comes from. The mirror's own time, exact: tagger_date (the tag object), commit_date " +
      "(the tagged commit), forge_api (Pagure, GitLab), erratum_date (the mirror's erratum or updateinfo), index_date (a directory index's " +
      "date column), mirror (the mirror's own time, stored before its origin was kept). first_seen: srcwatch's first sight of the build, an " +
      "UPPER BOUND of its publication (it was absent at the poll before; see lagPrecisionSeconds). before_tracking: the build was already " +
      "there when srcwatch first looked and the mirror gives no (believable) time of its own: it was published before tracking and has NO lag.",
  );
export type LagTimeOrigin = z.infer<typeof LagTimeOrigin>;

export const LagPrecisionSeconds = Seconds.min(0)
  .nullable()
  .describe(
    "first_seen only: how long the build may have been there before srcwatch saw it — the lag build's first sight minus the start of the " +
      "poll before that asked about it and did not find it. The publication lies within that window; the lag is at most `lagSeconds`.",
  );

export const VerdictCounts = z.record(VerdictStatus, z.number().int().min(0)).describe("A count per verdict status.");
export type VerdictCounts = z.infer<typeof VerdictCounts>;

export const PublicationTimeOrigin = z
  .enum(PUBLICATION_TIME_ORIGINS)
  .describe(
    "Where a time comes from: tagger_date (the tag object), commit_date (the tagged commit), forge_api (a forge's API: Pagure, GitLab), " +
      "erratum_date (the mirror's erratum or updateinfo), index_date (a directory index's date column), first_seen (srcwatch's first sight of the build).",
  );
export type PublicationTimeOrigin = z.infer<typeof PublicationTimeOrigin>;

export const EvidenceDto = z
  .object({
    kind: z.string().describe("tag, srpm, erratum or package: what `url` points at."),
    nevra: z.string(),
    ref: z.string().describe("Unique per mirror, e.g. refs/tags/imports/c8/bash-4.4.20-4.el8_6."),
    url: z.url().nullable().describe("null when the mirror's link was not on the mirror's own hosts (it is then not kept)."),
    commitSha: z.string().nullable(),
    firstSeenAt: Instant.describe(
      "When a srcwatch poll first found the build: when it was published, if it was absent at an earlier poll (`lastAbsentAt`), else only that it was there.",
    ),
    lastAbsentAt: Instant.nullable().describe(
      "Start of the last poll before `firstSeenAt` that asked the mirror about this package name and did not find the build; null when the build was there the first time srcwatch looked.",
    ),
    publishedAt: Instant.nullable().describe(
      "When the mirror says it published the build, if it says (believed or not: see the verdict's isTimeSuspect).",
    ),
    publishedAtOrigin: PublicationTimeOrigin.exclude(["first_seen"])
      .nullable()
      .describe(
        "Where `publishedAt` was read; null when the mirror gives no time (only `firstSeenAt` is known), or for a time stored before origins were kept.",
      ),
  })
  .describe("What a poll found on a mirror: one build, with its link.");
export type EvidenceDto = z.infer<typeof EvidenceDto>;

export const PackageVerdictDto = z
  .object({
    mirrorId: z.string(),
    mirrorName: z.string(),
    mirrorRelation: MirrorRelation.describe(
      'related: the mirror carries related builds (CentOS Stream); published there means "related source available".',
    ),
    status: VerdictStatus,
    statusReason: VerdictStatusReason.nullable().describe("Why unknown or not_applicable; null for the other statuses."),
    lagSeconds: Seconds.nullable().describe(
      "`publishedAt` − the advisory's issuedAt (at least 0), seconds; null until published, and null when published before tracking (no lag).",
    ),
    publishedAt: Instant.nullable().describe(
      "When the fix reached the mirror as the lag counts it: the believed time of `lagEvidence` (else `evidence`). For first_seen it is srcwatch's " +
        "first sight, an upper bound, never a publication time the mirror gave. null until published, and null when published before tracking.",
    ),
    lagTimeOrigin: LagTimeOrigin.nullable().describe("Where `publishedAt` comes from; null until published."),
    lagPrecisionSeconds: LagPrecisionSeconds,
    isTimeSuspect: z
      .boolean()
      .describe(
        "The mirror's time for the lag build was after our first sight of it, or too long before the release, so it is not believed: the lag is " +
          "measured to our first sight instead (first_seen), or there is none (before_tracking).",
      ),
    since: Instant.describe("When the verdict took its current status."),
    match: z
      .object({ outcome: z.string(), reason: z.string() })
      .nullable()
      .describe(
        "How the mirror's build compares with the package (exact, equivalent, newer, older, different_stream, epoch_mismatch) and why.",
      ),
    evidence: EvidenceDto.nullable().describe("The build shown as proof: the exact build whenever the mirror has it."),
    lagEvidence: EvidenceDto.nullable().describe(
      "The build the lag is measured to when it is not `evidence`: an earlier build that also carries the fix; null when the same.",
    ),
  })
  .describe("One package on one mirror.");
export type PackageVerdictDto = z.infer<typeof PackageVerdictDto>;
