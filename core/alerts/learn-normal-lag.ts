import type { MirrorAlertPolicy } from "../config";
import { percentile } from "../lag-stats";

const DAY_MS = 86_400_000;

/** One update the mirror published: when, and how long after its upstream release. */
export interface PublishedLag {
  publishedAt: Date;
  lagSeconds: number;
}

export interface NormalLag {
  /** Lag beyond which an unpublished update counts as overdue. */
  hours: number;
  source: "learned" | "configured";
  percentile: number;
  /** Publications within the history window the percentile was (or would have been) learned from. */
  historySize: number;
}

/**
 * The mirror's normal lag: the configured percentile of the lags of the updates it published in the last
 * `stoppedHistoryDays`; the mirror's expectedLagHours until `stoppedMinHistory` are known; never below `stoppedMinLagHours`.
 */
export function learnNormalLag(
  published: readonly PublishedLag[],
  input: {
    now: Date;
    policy: Pick<MirrorAlertPolicy, "stoppedLagPercentile" | "stoppedHistoryDays" | "stoppedMinHistory" | "stoppedMinLagHours">;
    expectedLagHours: number;
  },
): NormalLag {
  const { now, policy } = input;
  const sinceMs = now.getTime() - policy.stoppedHistoryDays * DAY_MS;
  const lags = published
    .filter(
      (update) =>
        update.publishedAt.getTime() > sinceMs && update.publishedAt.getTime() <= now.getTime() && Number.isFinite(update.lagSeconds),
    )
    .map((update) => Math.max(0, update.lagSeconds));
  const isLearned = lags.length >= policy.stoppedMinHistory;
  const hours = isLearned ? percentile(lags, policy.stoppedLagPercentile) / 3600 : input.expectedLagHours;
  return {
    hours: Math.max(hours, policy.stoppedMinLagHours),
    source: isLearned ? "learned" : "configured",
    percentile: policy.stoppedLagPercentile,
    historySize: lags.length,
  };
}
