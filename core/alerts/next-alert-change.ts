import type { AlertRulesInput } from "./evaluate-alert-rules";
import type { NormalLag } from "./learn-normal-lag";

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * When the alert rules' answer can next change by the clock alone, their other inputs (the Updates, our polls, the
 * firing alerts, the silences, the configuration) staying as they are: the earliest of
 * - the mirror turning stale (its last success, or its first attempt, plus staleAfterMinutes); while it is stale, only
 *   the intervals of its alerts (the other kinds are frozen until a poll succeeds, which is an input);
 * - an update's release coming (a release time in the future is not counted yet);
 * - an update turning overdue, and due for the partial-stop window (its release plus the normal lag);
 * - a publication leaving the normal-lag history window (its time plus stoppedHistoryDays), or one in the future arriving;
 * - a firing alert's group interval or repeat interval ending (a held-back change or a reminder is sent then).
 * Each time counts itself and the millisecond after it, so that a pass sees the change whether its rule compares with
 * < or ≤. Null: nothing changes by time alone.
 */
export function nextAlertChangeAt(input: AlertRulesInput, normalLag: NormalLag, isStale: boolean): Date | null {
  const nowMs = input.now.getTime();
  let next = Infinity;
  // A rule may compare with ≤ (changed at the time itself) or < (changed just after): both moments count.
  const consider = (ms: number) => {
    for (const at of [Math.ceil(ms), Math.ceil(ms) + 1]) if (at > nowMs && at < next) next = at;
  };

  const { freshness, mirror, policy } = input;
  if (freshness) {
    const staleMs = mirror.staleAfterMinutes * MINUTE_MS;
    if (freshness.lastSuccessAt) consider(freshness.lastSuccessAt.getTime() + staleMs);
    else if (freshness.lastFailureAt && freshness.firstAttemptAt) consider(freshness.firstAttemptAt.getTime() + staleMs);
  }

  // A stale mirror's other alerts are frozen until a poll succeeds (a new input): only its own alerts' intervals run on.
  const updatesByMajor = isStale ? new Map() : input.updatesByMajor;
  const lagMs = normalLag.hours * HOUR_MS;
  const historyMs = mirror.alerts.stoppedHistoryDays * DAY_MS;
  for (const updates of updatesByMajor.values()) {
    for (const update of updates) {
      const issuedMs = update.issuedAt.getTime();
      consider(issuedMs);
      consider(issuedMs + lagMs);
      if (update.publishedAt) {
        consider(update.publishedAt.getTime());
        consider(update.publishedAt.getTime() + historyMs);
      }
    }
  }

  for (const alert of input.firing) {
    if (!alert.lastNotifiedAt) continue;
    consider(alert.lastNotifiedAt.getTime() + policy.groupIntervalMinutes * MINUTE_MS);
    if (policy.repeatIntervalHours > 0) consider(alert.lastNotifiedAt.getTime() + policy.repeatIntervalHours * HOUR_MS);
  }
  return Number.isFinite(next) ? new Date(next) : null;
}
