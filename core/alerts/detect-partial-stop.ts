import type { MirrorAlertPolicy } from "../config";
import { compareByIssuedThenId, type CarriedAdvisory } from "./carried-updates";

const HOUR_MS = 3_600_000;
/** Shares are fractions: a hair of tolerance so that 8/20 against 16/20 × 0.5 is "equal", not "below" by rounding. */
const EPSILON = 1e-9;

export type PartialStopPolicy = Pick<MirrorAlertPolicy, "partialStopWindow" | "partialStopRatio" | "partialStopMinNormalShare">;

/** How much of the last due updates of a major the mirror published, against the ones before them. */
export interface PublishingShare {
  /** The last `windowSize` updates past the normal lag (they should be on the mirror by now)… */
  windowSize: number;
  /** …of which the mirror published this many. */
  publishedInWindow: number;
  /** The due updates before them, up to `windowSize`: the mirror's normal share. */
  baselineSize: number;
  publishedInBaseline: number;
}

export interface PartialStopResult extends PublishingShare {
  /** The normal lag that decided which updates are due. */
  normalLagHours: number;
  /** Names of packages in the window's unpublished updates that the mirror published in none of the window's updates (sorted). */
  stoppedPackages: string[];
  /** Names of packages the mirror published within the window (sorted). */
  keptPackages: string[];
  /** The window's unpublished updates, oldest first: what the alert lists. */
  unpublished: CarriedAdvisory[];
}

/** The normal share a firing partial stop was judged against (its alert's baselineSize / publishedInBaseline). */
export type NormalShare = Pick<PublishingShare, "baselineSize" | "publishedInBaseline">;

export interface PartialStopAssessment {
  /** null: fewer than `partialStopWindow` updates are due yet — no share to speak of. */
  share: PublishingShare | null;
  /** null: the rule does not fire. */
  partialStop: PartialStopResult | null;
}

/**
 * An update we have not been able to check (an `unknown` package: stale or not asked yet) is neither published nor
 * missing as far as we know: it does not count in either share.
 */
function isJudged(update: CarriedAdvisory): boolean {
  return update.publishedAt !== null || !update.packages.some((pkg) => pkg.status === "unknown");
}

/**
 * The updates of one major that should be on the mirror by now (released at or before now − normal lag), oldest first:
 * the last `windowSize` of them and the `windowSize` before them.
 */
export function selectDueWindow(
  updates: readonly CarriedAdvisory[],
  input: { now: Date; normalLagHours: number; windowSize: number },
): { window: CarriedAdvisory[]; baseline: CarriedAdvisory[] } {
  const dueBeforeMs = input.now.getTime() - input.normalLagHours * HOUR_MS;
  const due = updates.filter((update) => update.issuedAt.getTime() <= dueBeforeMs && isJudged(update)).sort(compareByIssuedThenId);
  const windowStart = Math.max(0, due.length - input.windowSize);
  return { window: due.slice(windowStart), baseline: due.slice(Math.max(0, windowStart - input.windowSize), windowStart) };
}

const sortedNames = (names: Iterable<string>) => [...new Set(names)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/**
 * Did the mirror stop publishing part of a major — package by package, while a few keep arriving? Yes when, of the last
 * `partialStopWindow` due updates, the share it published is below `partialStopRatio` × its normal share (the share of
 * the due updates before them, of which there must be at least half a window), that normal share is at least
 * `partialStopMinNormalShare`, and the major has not stopped outright (`isStopped`: a full stop already says it all).
 *
 * Once it fires, the normal share it fired with (`firingNormalShare`, from the firing alert) stays the measure until the
 * mirror is back above it: otherwise, 2 × `partialStopWindow` updates into the stop, the "normal" updates before the
 * window would be the stopped ones themselves and the alert would resolve while nothing changed.
 */
export function detectPartialStop(
  updates: readonly CarriedAdvisory[],
  input: { now: Date; normalLagHours: number; policy: PartialStopPolicy; isStopped: boolean; firingNormalShare?: NormalShare | null },
): PartialStopAssessment {
  const { policy } = input;
  const size = policy.partialStopWindow;
  const { window, baseline } = selectDueWindow(updates, { now: input.now, normalLagHours: input.normalLagHours, windowSize: size });
  if (window.length < size) return { share: null, partialStop: null };
  const isPublished = (update: CarriedAdvisory) => update.publishedAt !== null;
  const share: PublishingShare = {
    windowSize: window.length,
    publishedInWindow: window.filter(isPublished).length,
    baselineSize: baseline.length,
    publishedInBaseline: baseline.filter(isPublished).length,
  };
  if (input.isStopped) return { share, partialStop: null };
  const firing = input.firingNormalShare && input.firingNormalShare.baselineSize > 0 ? input.firingNormalShare : null;
  const normal: NormalShare = firing ?? share;
  if (normal.baselineSize * 2 < size) return { share, partialStop: null };
  const windowShare = share.publishedInWindow / share.windowSize;
  const normalShare = normal.publishedInBaseline / normal.baselineSize;
  const isFiring =
    (firing !== null || normalShare >= policy.partialStopMinNormalShare - EPSILON) &&
    windowShare < normalShare * policy.partialStopRatio - EPSILON;
  if (!isFiring) return { share, partialStop: null };

  const unpublished = window.filter((update) => !isPublished(update));
  const keptPackages = sortedNames(
    window.flatMap((update) => update.packages.filter((pkg) => pkg.status === "published").map((pkg) => pkg.name)),
  );
  const kept = new Set(keptPackages);
  const stoppedPackages = sortedNames(
    unpublished.flatMap((update) =>
      update.packages.filter((pkg) => pkg.status !== "published" && !kept.has(pkg.name)).map((pkg) => pkg.name),
    ),
  );
  return {
    share,
    partialStop: {
      ...share,
      baselineSize: normal.baselineSize,
      publishedInBaseline: normal.publishedInBaseline,
      normalLagHours: input.normalLagHours,
      stoppedPackages,
      keptPackages,
      unpublished,
    },
  };
}
