import { z } from "zod";
import { ADVISORY_TYPES, PUBLICATION_TIME_ORIGINS, SEVERITIES, VERDICT_STATUSES } from "../../core/types";
import { LAG_TIME_ORIGINS, VERDICT_STATUS_REASONS } from "./read-verdict-times";

/**
 * Shapes of the public JSON API (/api/v1), also what the pages render. Instants are ISO strings.
 * server/api/openapi-document.ts publishes every schema exported here under its export name.
 */

const Instant = z.iso.datetime();
const Seconds = z.number().int();

export const SourceHealthStatus = z
  .enum(["ok", "failing", "stale", "never_polled"])
  .describe("ok: last poll succeeded in time; failing: the last poll failed; stale: no success within the source's staleness limit; never_polled.");
export type SourceHealthStatus = z.infer<typeof SourceHealthStatus>;

export const SourceHealth = z
  .object({
    status: SourceHealthStatus,
    lastSuccessAt: Instant.nullable(),
    lastFailureAt: Instant.nullable(),
    lastErrorKind: z.string().nullable().describe("network, timeout, http, parse, too_large, rate_limited, invalid_data or forbidden_destination."),
    lastErrorMessage: z.string().nullable(),
    consecutiveFailures: z.number().int().min(0),
  })
  .describe("How our polling of one source (upstream or mirror) is going.");
export type SourceHealth = z.infer<typeof SourceHealth>;

export const SyncProgress = z
  .object({
    sourceId: z.string(),
    step: z.string().describe('e.g. "fetching advisories", "listing tags", "idle".'),
    done: z.number().int().min(0),
    total: z.number().int().min(0).nullable().describe("null when not known yet."),
    isFirstSync: z.boolean(),
    updatedAt: Instant,
  })
  .describe("Progress of the poll under way on one source.");
export type SyncProgress = z.infer<typeof SyncProgress>;

export const MirrorRelation = z
  .enum(["exact", "related"])
  .describe("exact: carries RHEL's sources (or rebuilds); related: related builds only (CentOS Stream).");
export type MirrorRelation = z.infer<typeof MirrorRelation>;

export const MirrorDto = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.string().describe("The mirror's source kind from the config, e.g. git-forge, errata, yum-repository."),
    relation: MirrorRelation,
    majors: z.array(z.number().int()).describe("RHEL majors the mirror carries."),
    streams: z.array(z.string()).describe("RHEL streams the mirror carries (main, EUS, AUS, E4S, TUS, ELS)."),
    expectedLagHours: z.number(),
    missingAfterHours: z.number(),
    staleAfterMinutes: z.number(),
    pollIntervalSeconds: z.number(),
    health: SourceHealth,
  })
  .describe("A place where RHEL's sources should appear.");
export type MirrorDto = z.infer<typeof MirrorDto>;

export const UpstreamDto = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.string().describe("e.g. csaf."),
    health: SourceHealth,
  })
  .describe("A feed of what RHEL released.");
export type UpstreamDto = z.infer<typeof UpstreamDto>;

export const MirrorsResponse = z
  .object({
    now: Instant.describe("The instant the answer was computed for."),
    mirrors: z.array(MirrorDto),
    upstreams: z.array(UpstreamDto),
  })
  .describe("Every configured mirror and upstream with its polling health.");
export type MirrorsResponse = z.infer<typeof MirrorsResponse>;

export const VerdictStatus = z
  .enum(VERDICT_STATUSES)
  .describe("published, pending (within the expected lag), delayed, missing (past the mirror's limit), unknown (our polling is stale), not_applicable.");
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

const LagPrecisionSeconds = Seconds.min(0)
  .nullable()
  .describe(
    "first_seen only: how long the build may have been there before srcwatch saw it — the lag build's first sight minus the start of the " +
      "poll before that asked about it and did not find it. The publication lies within that window; the lag is at most `lagSeconds`.",
  );

export const VerdictCounts = z.record(VerdictStatus, z.number().int().min(0)).describe("A count per verdict status.");
export type VerdictCounts = z.infer<typeof VerdictCounts>;

export const SummaryRow = z
  .object({
    mirrorId: z.string(),
    mirrorName: z.string(),
    major: z.number().int(),
    counts: VerdictCounts.describe("Advisories per worst verdict on this mirror for this RHEL major."),
    medianLagSeconds: Seconds.nullable().describe(
      "Median over published advisories of their slowest package's lag, seconds; null when no published advisory has a lag. " +
        "Advisories published before tracking (no lag) are left out; first_seen lags count as their upper bound.",
    ),
    beforeTrackingCount: z
      .number()
      .int()
      .min(0)
      .describe("Published advisories left out of the median: a package of theirs was already on the mirror when srcwatch first looked (no lag)."),
    health: SourceHealth,
  })
  .describe("One mirror × RHEL major.");
export type SummaryRow = z.infer<typeof SummaryRow>;

export const SummaryResponse = z
  .object({
    now: Instant.describe("The instant the answer was computed for."),
    rows: z.array(SummaryRow),
    progress: z.array(SyncProgress),
    advisoryCount: z.number().int().min(0),
  })
  .describe("The overview: verdict counts per mirror and RHEL major.");
export type SummaryResponse = z.infer<typeof SummaryResponse>;

export const AdvisoryMirrorStatus = z
  .object({
    mirrorId: z.string(),
    status: VerdictStatus,
    statusReason: VerdictStatusReason.nullable().describe(
      "Why the worst verdict is unknown (stale before not_checked) or not_applicable (before_tracked_from before not_carried); null otherwise.",
    ),
    lagSeconds: Seconds.nullable().describe(
      "Largest lag among the published packages, seconds; null when none is published, or when one of them was published before tracking (no lag).",
    ),
    lagTimeOrigin: LagTimeOrigin.nullable().describe(
      "Where the time of `lagSeconds` comes from (its slowest package's); before_tracking when a published package has no lag; null when none is published.",
    ),
    lagPrecisionSeconds: LagPrecisionSeconds,
  })
  .describe("An advisory's status on one mirror: the worst verdict among its packages there.");
export type AdvisoryMirrorStatus = z.infer<typeof AdvisoryMirrorStatus>;

export const AdvisoryListItem = z
  .object({
    id: z.string().describe('e.g. "RHSA-2023:3722".'),
    type: z.string().describe(`One of ${ADVISORY_TYPES.join(", ")}.`),
    severity: z.string().nullable().describe(`One of ${SEVERITIES.join(", ")}; null for most non-security advisories.`),
    title: z.string().nullable(),
    issuedAt: Instant.describe("The advisory's initial release date."),
    url: z.url(),
    majors: z.array(z.number().int()),
    packages: z.array(z.string()).describe('NEVRA strings, e.g. "bash-0:4.4.20-4.el8_6".'),
    statuses: z.array(AdvisoryMirrorStatus),
  })
  .describe("One advisory in the updates list.");
export type AdvisoryListItem = z.infer<typeof AdvisoryListItem>;

export const AdvisoryListResponse = z
  .object({
    now: Instant.describe("The instant the answer was computed for."),
    items: z.array(AdvisoryListItem),
    page: z.number().int().min(1),
    pageSize: z.number().int().min(1),
    total: z.number().int().min(0).describe("Advisories matching the filters, over all pages."),
    mirrors: z.array(z.object({ id: z.string(), name: z.string() })).describe("The mirrors `statuses` refer to."),
  })
  .describe("One page of advisories matching the filters.");
export type AdvisoryListResponse = z.infer<typeof AdvisoryListResponse>;

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
    firstSeenAt: Instant.describe("When a srcwatch poll first found the build: when it was published, if it was absent at an earlier poll (`lastAbsentAt`), else only that it was there."),
    lastAbsentAt: Instant.nullable().describe(
      "Start of the last poll before `firstSeenAt` that asked the mirror about this package name and did not find the build; null when the build was there the first time srcwatch looked.",
    ),
    publishedAt: Instant.nullable().describe("When the mirror says it published the build, if it says (believed or not: see the verdict's isTimeSuspect)."),
    publishedAtOrigin: PublicationTimeOrigin.exclude(["first_seen"])
      .nullable()
      .describe("Where `publishedAt` was read; null when the mirror gives no time (only `firstSeenAt` is known), or for a time stored before origins were kept."),
  })
  .describe("What a poll found on a mirror: one build, with its link.");
export type EvidenceDto = z.infer<typeof EvidenceDto>;

export const PackageVerdictDto = z
  .object({
    mirrorId: z.string(),
    mirrorName: z.string(),
    mirrorRelation: MirrorRelation.describe('related: the mirror carries related builds (CentOS Stream); published there means "related source available".'),
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
      .describe("How the mirror's build compares with the package (exact, equivalent, newer, older, different_stream, epoch_mismatch) and why."),
    evidence: EvidenceDto.nullable().describe("The build shown as proof: the exact build whenever the mirror has it."),
    lagEvidence: EvidenceDto.nullable().describe("The build the lag is measured to when it is not `evidence`: an earlier build that also carries the fix; null when the same."),
  })
  .describe("One package on one mirror.");
export type PackageVerdictDto = z.infer<typeof PackageVerdictDto>;

export const AdvisoryPackageDto = z
  .object({
    nevra: z.string(),
    name: z.string(),
    epoch: z.number().int().min(0),
    version: z.string(),
    release: z.string(),
    major: z.number().int(),
    stream: z.string().describe("main, EUS, AUS, E4S, TUS or ELS."),
    minor: z.string().nullable().describe('RHEL minor, e.g. "8.8"; null when the source does not say.'),
    moduleStream: z.string().nullable().describe('e.g. "ruby:3.1"; null when not modular.'),
    verdicts: z.array(PackageVerdictDto),
  })
  .describe("A source package the advisory shipped, for one RHEL major and stream.");
export type AdvisoryPackageDto = z.infer<typeof AdvisoryPackageDto>;

export const AdvisoryDetailResponse = z
  .object({
    now: Instant.describe("The instant the answer was computed for."),
    advisory: z.object({
      id: z.string(),
      type: z.string().describe(`One of ${ADVISORY_TYPES.join(", ")}.`),
      severity: z.string().nullable(),
      title: z.string().nullable(),
      issuedAt: Instant,
      updatedAt: Instant,
      url: z.url(),
      cves: z.array(z.string()),
    }),
    packages: z.array(AdvisoryPackageDto),
  })
  .describe("One advisory with every package's verdict on every mirror.");
export type AdvisoryDetailResponse = z.infer<typeof AdvisoryDetailResponse>;

export const PollRunDto = z
  .object({
    id: z.string(),
    sourceId: z.string(),
    sourceKind: z.enum(["upstream", "mirror"]),
    startedAt: Instant,
    finishedAt: Instant.nullable(),
    outcome: z.enum(["running", "success", "partial", "failed"]),
    requests: z.number().int().min(0),
    notModified: z.number().int().min(0).describe("Requests answered 304 Not Modified."),
    bytes: z.number().int().min(0),
    items: z.number().int().min(0),
    errorKind: z.string().nullable(),
    errorMessage: z.string().nullable(),
  })
  .describe("One poll of one source.");
export type PollRunDto = z.infer<typeof PollRunDto>;

export const PollRunsResponse = z
  .object({
    now: Instant.describe("The instant the answer was computed for."),
    items: z.array(PollRunDto).describe("Newest first."),
  })
  .describe("The latest poll runs.");
export type PollRunsResponse = z.infer<typeof PollRunsResponse>;

export const ApiErrorBody = z
  .object({
    error: z.object({
      code: z.string().describe("bad_request, not_found, internal, …"),
      message: z.string(),
      details: z.unknown().optional().describe("For bad_request: a list of { parameter, message }."),
    }),
  })
  .describe("Every error answer of /api/v1.");
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;

/** `a,b` or repeated parameters → a list. */
const csv = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (value) => (typeof value === "string" ? value.split(",") : value),
    z.array(z.preprocess((part) => (typeof part === "string" ? part.trim() : part), item)).min(1),
  );

export const ADVISORY_SORTS = ["issuedAt", "id"] as const;

/** Filters of the updates list, from a URL query string (API and page share it). */
export const AdvisoryListQuery = z.object({
  verdict: csv(z.enum(VERDICT_STATUSES)).optional().describe("Advisories with a package (of `major`, when given) whose verdict on `mirror` (any mirror when absent) is one of these."),
  mirror: csv(z.string().min(1)).optional().describe("Mirror ids `verdict` applies to."),
  major: csv(z.coerce.number().int().min(1).max(99)).optional().describe("RHEL majors, e.g. 8,9."),
  severity: csv(z.enum(SEVERITIES)).optional(),
  type: csv(z.enum(ADVISORY_TYPES)).optional(),
  q: z.string().trim().max(200).optional().describe("Part of an advisory id, CVE id or package name."),
  sort: z.enum(ADVISORY_SORTS).default("issuedAt"),
  order: z.enum(["asc", "desc"]).default("desc"),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type AdvisoryListQuery = z.infer<typeof AdvisoryListQuery>;

export const PollRunsQuery = z.object({
  source: z.string().min(1).optional().describe("A mirror or upstream id."),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type PollRunsQuery = z.infer<typeof PollRunsQuery>;
