import { z } from "zod";
import { Instant, Seconds } from "./common";
import { SourceHealth, SyncProgress } from "./mirror-dto";
import { VerdictCounts } from "./verdict-dto";

/** The overview's counts per mirror × RHEL major. */

export const MirrorPublishingStrip = z
  .object({
    lastPublishedAt: Instant.nullable().describe(
      "The mirror's last publication for this major, as the publishing_stopped rule and the mirror page take it: its time (its own, " +
        "or first seen), or for an update it already had when we first looked, a lower bound: the latest of its release and its other " +
        "packages' times (see isLastPublishedLowerBound); null when none.",
    ),
    isLastPublishedLowerBound: z
      .boolean()
      .describe("lastPublishedAt is the lower bound of an update the mirror had before we first looked: it published it later than that."),
    stoppedSince: Instant.nullable().describe(
      "While its publishing_stopped alert fires: the last publication before the stop (the alert's own figure); else null.",
    ),
    stopAlertId: z.number().int().nullable().describe("That alert, to link to."),
    days: z
      .array(z.number().int().min(0).nullable())
      .describe(
        "Updates published per UTC day over the last 90 days, oldest first, ending today; null: a day we were not polling the mirror " +
          "(after our last successful poll, or before our first one when the mirror dated nothing that day).",
      ),
  })
  .describe("Is the mirror publishing: its last publication, a 90-day strip, and the stop if one fires.");
export type MirrorPublishingStrip = z.infer<typeof MirrorPublishingStrip>;

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
      .describe(
        "Published advisories left out of the median: a package of theirs was already on the mirror when srcwatch first looked (no lag).",
      ),
    health: SourceHealth,
    publishing: MirrorPublishingStrip,
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
