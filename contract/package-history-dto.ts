import { z } from "zod";
import { VERDICT_STATUSES } from "../core/types";
import { LAG_TIME_ORIGINS, VERDICT_STATUS_REASONS } from "../core/compute-verdict";

/** The verdict's stored status, lag and times (the same values as the advisory detail's PackageVerdictDto). */
export const PackageVerdictSummary = z.object({
  mirrorId: z.string(),
  status: z.enum(VERDICT_STATUSES),
  /** unknown: stale or not_checked (no poll asked about it yet); not_applicable: not_carried or before_tracked_from; else null. */
  statusReason: z.enum(VERDICT_STATUS_REASONS).nullable(),
  /** null until published, and null when published before tracking (no lag). */
  lagSeconds: z.number().int().nullable(),
  /** When the fix reached the mirror as the lag counts it (for first_seen: an upper bound); null when there is no lag. */
  publishedAt: z.string().nullable(),
  /**
   * Where that time comes from: the mirror's own (tagger_date … index_date, mirror), first_seen (our first sight: an upper
   * bound) or before_tracking (there when we first looked: no lag); null until published.
   */
  lagTimeOrigin: z.enum(LAG_TIME_ORIGINS).nullable(),
  /** first_seen only: the lag build's first sight minus the start of the poll before that did not find it, seconds. */
  lagPrecisionSeconds: z.number().int().min(0).nullable(),
  /** When a srcwatch poll first found the lag build (for before_tracking: the first look); null until published. */
  firstSeenAt: z.string().nullable(),
  /** The mirror's time was not believed: the lag is measured to our first sight, or there is none. */
  isTimeSuspect: z.boolean(),
  evidenceUrl: z.string().nullable(),
});
export type PackageVerdictSummary = z.infer<typeof PackageVerdictSummary>;

/** One build of the package an advisory shipped, for one RHEL major and stream. */
export const PackageBuild = z.object({
  nevra: z.string(),
  major: z.number().int(),
  stream: z.string(),
  minor: z.string().nullable(),
  moduleStream: z.string().nullable(),
  verdicts: z.array(PackageVerdictSummary),
});
export type PackageBuild = z.infer<typeof PackageBuild>;

export const PackageAdvisoryEntry = z.object({
  advisoryId: z.string(),
  type: z.string(),
  severity: z.string().nullable(),
  title: z.string().nullable(),
  issuedAt: z.string(),
  builds: z.array(PackageBuild),
});
export type PackageAdvisoryEntry = z.infer<typeof PackageAdvisoryEntry>;

/** One package's source history: every advisory that shipped it, newest first, across RHEL majors. */
export const PackageHistoryResponse = z.object({
  now: z.string(),
  name: z.string(),
  majors: z.array(z.number().int()),
  mirrors: z.array(z.object({ id: z.string(), name: z.string() })),
  advisories: z.array(PackageAdvisoryEntry),
});
export type PackageHistoryResponse = z.infer<typeof PackageHistoryResponse>;
