import "server-only";

import { LAG_TIME_ORIGINS, VERDICT_STATUS_REASONS, type LagTimeOrigin, type VerdictStatusReason } from "../../core/compute-verdict";
import { PUBLICATION_TIME_ORIGINS, type PublicationTimeOrigin } from "../../core/types";

/**
 * What the read side shows of a verdict's times is what `core/compute-verdict.ts` decided and the Verdict row stores
 * (lagSeconds, publishedAt, lagTimeOrigin, statusReason): nothing here re-derives a lag or its origin. These helpers
 * only narrow the stored strings to the API's enums and aggregate stored lags.
 */

type MirrorTimeOrigin = Exclude<PublicationTimeOrigin, "first_seen">;

/** An Evidence row's stored origin as the API names it; anything else (a time stored before origins were kept) is unknown. */
export function readPublicationTimeOrigin(stored: string | null): MirrorTimeOrigin | null {
  const origin = PUBLICATION_TIME_ORIGINS.find((candidate) => candidate === stored);
  return origin === undefined || origin === "first_seen" ? null : origin;
}

/** The stored Verdict.lagTimeOrigin; null when unpublished, or for a value this version does not know. */
export function readLagTimeOrigin(stored: string | null): LagTimeOrigin | null {
  return LAG_TIME_ORIGINS.find((candidate) => candidate === stored) ?? null;
}

/** The stored Verdict.statusReason; null when the status needs none. */
export function readStatusReason(stored: string | null): VerdictStatusReason | null {
  return VERDICT_STATUS_REASONS.find((candidate) => candidate === stored) ?? null;
}

/**
 * How precise a first_seen lag is: the lag build was absent at the poll that started at `lastAbsentAt` and found by the
 * one of `firstSeenAt`, so it was published within that window (the lag is an upper bound). null for every other origin.
 */
export function findLagPrecisionSeconds(
  lagTimeOrigin: LagTimeOrigin | null,
  lagBuild: { firstSeenAt: Date; lastAbsentAt: Date | null } | null | undefined,
): number | null {
  if (lagTimeOrigin !== "first_seen" || !lagBuild?.lastAbsentAt) return null;
  return Math.max(0, Math.round((lagBuild.firstSeenAt.getTime() - lagBuild.lastAbsentAt.getTime()) / 1000));
}

export interface StoredLag {
  lagSeconds: number | null;
  lagTimeOrigin: LagTimeOrigin | null;
  lagPrecisionSeconds: number | null;
}

type LagBuild = { firstSeenAt: Date; lastAbsentAt: Date | null } | null | undefined;

/** A Verdict row's stored lag as the API shows it; the lag build is `lagEvidence` when set, else `evidence`. */
export function readStoredLag(verdict: {
  lagSeconds: number | null;
  lagTimeOrigin: string | null;
  evidence?: LagBuild;
  lagEvidence?: LagBuild;
}): StoredLag {
  const lagTimeOrigin = readLagTimeOrigin(verdict.lagTimeOrigin);
  return {
    lagSeconds: verdict.lagSeconds,
    lagTimeOrigin,
    lagPrecisionSeconds: findLagPrecisionSeconds(lagTimeOrigin, verdict.lagEvidence ?? verdict.evidence),
  };
}

/**
 * The lag of several published packages together (an advisory on a mirror): its slowest package's stored lag, with that
 * package's origin. Unknown (before_tracking, no lag) as soon as one of them has no lag: a maximum over the others would
 * be a guess. On a tie, an exact time wins over an upper bound.
 */
export function combinePublishedLags(lags: readonly StoredLag[]): StoredLag | null {
  if (lags.length === 0) return null;
  const unmeasured = lags.find((lag) => lag.lagSeconds === null);
  if (unmeasured) return { lagSeconds: null, lagTimeOrigin: unmeasured.lagTimeOrigin, lagPrecisionSeconds: null };
  const isBound = (lag: StoredLag) => lag.lagTimeOrigin === "first_seen";
  return lags.reduce((slowest, lag) =>
    lag.lagSeconds! > slowest.lagSeconds! || (lag.lagSeconds === slowest.lagSeconds && isBound(slowest) && !isBound(lag)) ? lag : slowest,
  );
}

// Of several verdicts with the same (worst) status, the reason that explains most: our outage before a poll yet to come,
// a mirror that began later before one that does not carry the major at all.
const REASON_PRIORITY: Record<VerdictStatusReason, number> = { stale: 2, not_checked: 1, before_tracked_from: 2, not_carried: 1 };

/** Why an advisory stands at `status` on a mirror: the reason of its packages at that status. */
export function combineStatusReasons(
  status: string,
  verdicts: readonly { status: string; statusReason: VerdictStatusReason | null }[],
): VerdictStatusReason | null {
  let best: VerdictStatusReason | null = null;
  for (const verdict of verdicts) {
    if (verdict.status !== status || verdict.statusReason === null) continue;
    if (best === null || REASON_PRIORITY[verdict.statusReason] > REASON_PRIORITY[best]) best = verdict.statusReason;
  }
  return best;
}
