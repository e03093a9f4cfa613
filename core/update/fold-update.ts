import type { VerdictStatus } from "../types";
import { worstVerdict } from "../worst-verdict";

/**
 * The statuses of an overdue Update — later than its mirror's normal window (delayed) or past it (missing): the report's
 * rows, and the only ones MirrorUpdate.overdueIssuedAt indexes.
 */
export const OVERDUE_UPDATE_STATUSES = ["delayed", "missing"] as const;

/** One package verdict of an Update, as stored. */
export interface UpdatePackageVerdict {
  status: VerdictStatus;
  statusReason: string | null;
  /** Seconds from the release to the build that carries the fix; null unless published with a known time. */
  lagSeconds: number | null;
  /** When the fix reached the mirror (Verdict.publishedAt); null unless published with a known time. */
  publishedAt: Date | null;
  nextChangeAt: Date | null;
}

/**
 * The Update — one advisory × RHEL major × mirror — as its package verdicts make it. The one rollup every page, mail,
 * feed, count and alert reads (stored in MirrorUpdate).
 */
export interface UpdateRollup {
  /** The worst package verdict: missing > delayed > pending > unknown > published > not_applicable. */
  status: VerdictStatus;
  /** unknown: stale when any package is stale, else not_checked; not_applicable: before_tracked_from, else not_carried. */
  statusReason: string | null;
  /**
   * Published: when its last applicable package reached the mirror. A package published before tracking has no time:
   * the release stands in as a lower bound (a rebuild imports an update after upstream releases it). null otherwise.
   */
  publishedAt: Date | null;
  /** Published with a known time for every package: the slowest package's lag. null otherwise (never 0 for unknown). */
  lagSeconds: number | null;
  /** Published, but some package was there at our first look: when it arrived is unknown. */
  isPublishedBeforeTracking: boolean;
  /** Not published and some package is unknown: no evidence that the mirror lacks it. */
  isUnchecked: boolean;
  /** How many package verdicts it folds (not-applicable ones included). */
  packages: number;
  /** The earliest time-only change among its packages; null when none. */
  nextChangeAt: Date | null;
  /** Overdue (delayed or missing): the advisory's release, so that overdue Updates in release order are an index range; else null. */
  overdueIssuedAt: Date | null;
}

/** Folds the package verdicts of one advisory × major on one mirror into the Update; `packages` must not be empty. */
export function foldUpdate(issuedAt: Date, packages: readonly UpdatePackageVerdict[]): UpdateRollup {
  const status = worstVerdict(packages.map((verdict) => verdict.status));
  let nextChangeMs = Infinity;
  for (const verdict of packages) if (verdict.nextChangeAt) nextChangeMs = Math.min(nextChangeMs, verdict.nextChangeAt.getTime());
  const rollup: UpdateRollup = {
    status,
    statusReason: null,
    publishedAt: null,
    lagSeconds: null,
    isPublishedBeforeTracking: false,
    isUnchecked: false,
    packages: packages.length,
    nextChangeAt: nextChangeMs === Infinity ? null : new Date(nextChangeMs),
    overdueIssuedAt: (OVERDUE_UPDATE_STATUSES as readonly VerdictStatus[]).includes(status) ? issuedAt : null,
  };
  if (status === "published") {
    const published = packages.filter((verdict) => verdict.status === "published");
    rollup.isPublishedBeforeTracking = published.some((verdict) => verdict.publishedAt === null);
    rollup.publishedAt = new Date(Math.max(...published.map((verdict) => (verdict.publishedAt ?? issuedAt).getTime())));
    rollup.lagSeconds = rollup.isPublishedBeforeTracking ? null : Math.max(...published.map((verdict) => verdict.lagSeconds ?? 0));
  } else if (status !== "not_applicable") {
    rollup.isUnchecked = packages.some((verdict) => verdict.status === "unknown");
  }
  if (status === "unknown") {
    rollup.statusReason = packages.some((verdict) => verdict.statusReason === "stale") ? "stale" : "not_checked";
  } else if (status === "not_applicable") {
    rollup.statusReason = packages.some((verdict) => verdict.statusReason === "before_tracked_from")
      ? "before_tracked_from"
      : "not_carried";
  }
  return rollup;
}
