const HOUR_MS = 3_600_000;

/** One upstream update a mirror carries: when it was released and when the mirror published it (null: not yet). */
export interface CarriedUpdate {
  issuedAt: Date;
  /**
   * The publication time; for an update published before tracking (its time unknown), a lower bound — its release: the
   * mirror had it, so it was publishing at least up to then. Never our own time of looking.
   */
  publishedAt: Date | null;
  /** Unpublished, but not every package was asked about yet: never counted as overdue ("not checked is not missing"). */
  isUnchecked?: boolean;
}

export interface PublishingStop {
  /** The mirror's last publication, when upstream has released at least `minOverdueUpdates` overdue updates since; else null. */
  stoppedAt: Date | null;
  lastPublishedAt: Date | null;
  /** Updates released after the last publication (all unpublished), up to `now`. */
  releasedSinceCount: number;
  /** Of those, the ones past the mirror's expected lag and asked about: a slow mirror is not a stopped one. */
  overdueSinceCount: number;
}

/**
 * Did the mirror stop publishing? Yes when, after its last publication, upstream released at least
 * `minOverdueUpdates` carried updates that are all unpublished and older than `expectedLagHours` (the alert rules and
 * the mirror page pass the mirror's normal lag: core/alerts/assess-mirror-publishing.ts).
 * A mirror that never published anything has no stop moment.
 */
export function detectPublishingStop(
  updates: readonly CarriedUpdate[],
  input: { now: Date; minOverdueUpdates: number; expectedLagHours: number },
): PublishingStop {
  const nowMs = input.now.getTime();
  let lastPublishedMs = -Infinity;
  for (const update of updates) {
    if (update.publishedAt && update.publishedAt.getTime() <= nowMs)
      lastPublishedMs = Math.max(lastPublishedMs, update.publishedAt.getTime());
  }
  const overdueBeforeMs = nowMs - input.expectedLagHours * HOUR_MS;
  let releasedSinceCount = 0;
  let overdueSinceCount = 0;
  for (const update of updates) {
    const issuedMs = update.issuedAt.getTime();
    if (update.publishedAt !== null || issuedMs <= lastPublishedMs || issuedMs > nowMs) continue;
    releasedSinceCount += 1;
    if (issuedMs <= overdueBeforeMs && !update.isUnchecked) overdueSinceCount += 1;
  }
  const lastPublishedAt = Number.isFinite(lastPublishedMs) ? new Date(lastPublishedMs) : null;
  const isStopped = lastPublishedAt !== null && overdueSinceCount >= input.minOverdueUpdates;
  return { stoppedAt: isStopped ? lastPublishedAt : null, lastPublishedAt, releasedSinceCount, overdueSinceCount };
}
