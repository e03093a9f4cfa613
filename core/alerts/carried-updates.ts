import type { VerdictStatus } from "../types";
import { foldUpdate } from "../update/fold-update";

/** One package of an advisory × major as the mirror stands: its verdict there. */
export interface CarriedPackage {
  name: string;
  nevra: string;
  status: string;
  /** When the verdict took its status: our own time, never a publication time. */
  since: Date;
  /** Lag of the evidence that published it; null when unpublished or published before tracking. */
  lagSeconds: number | null;
  /** When the fix reached the mirror (Verdict.publishedAt); null when unpublished or published before tracking. */
  publishedAt: Date | null;
}

/** One upstream update (advisory × major) the mirror carries, judged at advisory level. */
export interface CarriedAdvisory {
  advisoryId: string;
  url: string;
  severity: string | null;
  title: string | null;
  issuedAt: Date;
  /**
   * When the last of its applicable packages reached the mirror; null while any is not published. For an update with a
   * package published before tracking this is only a lower bound (see `isPublishedBeforeTracking`).
   */
  publishedAt: Date | null;
  /**
   * Published, but some package was already on the mirror at our first look: when it arrived is unknown. Its lag is
   * unknown (left out of normal-lag learning) and `publishedAt` is a lower bound: the latest of its release and its
   * other packages' times.
   */
  isPublishedBeforeTracking: boolean;
  /** Some unpublished package is unknown (not checked yet, or our data is stale): no evidence that the mirror lacks it. */
  isUnchecked: boolean;
  /** Applicable packages only (not_applicable ones are left out). */
  packages: CarriedPackage[];
}

/** Package-level verdict rows of one mirror, as read from the database. */
export interface CarriedPackageRow {
  advisoryId: string;
  url: string;
  severity: string | null;
  title: string | null;
  issuedAt: Date;
  major: number;
  name: string;
  nevra: string;
  status: string;
  since: Date;
  lagSeconds: number | null;
  publishedAt: Date | null;
}

/** Oldest release first; the advisory id breaks ties (code-unit order, as the database's `ORDER BY id` in C collation). */
export function compareByIssuedThenId(
  a: Pick<CarriedAdvisory, "issuedAt" | "advisoryId">,
  b: Pick<CarriedAdvisory, "issuedAt" | "advisoryId">,
): number {
  return a.issuedAt.getTime() - b.issuedAt.getTime() || (a.advisoryId < b.advisoryId ? -1 : a.advisoryId > b.advisoryId ? 1 : 0);
}

/**
 * Advisory × major from package verdicts: published when every applicable package is, at the latest of their
 * publication times (Verdict.publishedAt); not_applicable packages are ignored and an advisory with none applicable is
 * not carried. A package published before tracking has no publication time: our `since` (when we looked) is never used
 * for it; the advisory's release stands as a lower bound instead — a rebuild mirror imports an update after upstream
 * releases it, so a mirror that had it was publishing at least up to that release.
 */
export function groupCarriedAdvisories(rows: readonly CarriedPackageRow[]): Map<number, CarriedAdvisory[]> {
  const byKey = new Map<string, { major: number; advisory: CarriedAdvisory; rows: CarriedPackageRow[] }>();
  for (const row of rows) {
    if (row.status === "not_applicable") continue;
    const key = `${row.advisoryId}\u0000${row.major}`;
    let entry = byKey.get(key);
    if (!entry) {
      const advisory: CarriedAdvisory = {
        advisoryId: row.advisoryId,
        url: row.url,
        severity: row.severity,
        title: row.title,
        issuedAt: row.issuedAt,
        publishedAt: null,
        isPublishedBeforeTracking: false,
        isUnchecked: false,
        packages: [],
      };
      entry = { major: row.major, advisory, rows: [] };
      byKey.set(key, entry);
    }
    entry.rows.push(row);
    entry.advisory.packages.push({
      name: row.name,
      nevra: row.nevra,
      status: row.status,
      since: row.since,
      lagSeconds: row.lagSeconds,
      publishedAt: row.publishedAt,
    });
  }
  const byMajor = new Map<number, CarriedAdvisory[]>();
  for (const entry of byKey.values()) {
    // The Update's one rollup (core/update/fold-update.ts), over the applicable packages.
    const update = foldUpdate(
      entry.advisory.issuedAt,
      entry.rows.map((row) => ({ ...row, status: row.status as VerdictStatus, statusReason: null, nextChangeAt: null })),
    );
    entry.advisory.publishedAt = update.publishedAt;
    entry.advisory.isPublishedBeforeTracking = update.isPublishedBeforeTracking;
    entry.advisory.isUnchecked = update.isUnchecked;
    const list = byMajor.get(entry.major) ?? [];
    list.push(entry.advisory);
    byMajor.set(entry.major, list);
  }
  for (const list of byMajor.values()) list.sort(compareByIssuedThenId);
  return byMajor;
}

/**
 * The published updates' lags, for learning what is normal for this mirror (all its majors together). Updates
 * published before tracking are left out: when they arrived is unknown.
 */
export function listPublishedLags(
  updatesByMajor: ReadonlyMap<number, readonly CarriedAdvisory[]>,
): { publishedAt: Date; lagSeconds: number }[] {
  const lags: { publishedAt: Date; lagSeconds: number }[] = [];
  for (const updates of updatesByMajor.values()) {
    for (const update of updates) {
      if (update.publishedAt && !update.isPublishedBeforeTracking) {
        lags.push({ publishedAt: update.publishedAt, lagSeconds: (update.publishedAt.getTime() - update.issuedAt.getTime()) / 1000 });
      }
    }
  }
  return lags;
}
