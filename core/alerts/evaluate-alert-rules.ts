import type { MirrorAlertPolicy } from "../config";
import {
  assessMirrorPublishing,
  listFiringPartialStops,
  roundLagHours,
  toPartialStopEvidence,
  type MirrorPublishing,
} from "./assess-mirror-publishing";
import { compareByIssuedThenId, type CarriedAdvisory, type CarriedPackage } from "./carried-updates";
import type { NormalLag } from "./learn-normal-lag";
import { nextAlertChangeAt } from "./next-alert-change";
import { summarizeAlert, summarizePartialStop } from "./summarize-alert";
import type { SilenceMatchers } from "./silence-matchers";
import { rankSeverity } from "../alert-kinds";
import { alertDedupeKey, type AlertDetails, type AlertEventType, type AlertItem, type AlertKind } from "./types";

export {
  groupCarriedAdvisories,
  listPublishedLags,
  type CarriedAdvisory,
  type CarriedPackage,
  type CarriedPackageRow,
} from "./carried-updates";

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

export interface FiringAlert {
  id: number;
  kind: AlertKind;
  summary: string;
  major: number | null;
  details: AlertDetails;
  notifiedAt: Date | null;
  lastNotifiedAt: Date | null;
  inhibitedById: number | null;
  /** Advisory ids of the last notified event: a change kept quiet by the group interval is sent once it has passed. */
  lastNotifiedAdvisoryIds: string[] | null;
}

export interface ActiveSilence {
  id: number;
  matchers: SilenceMatchers;
  startsAt: Date;
  endsAt: Date;
}

export interface MirrorFreshness {
  lastSuccessAt: Date | null;
  lastFailureAt: Date | null;
  consecutiveFailures: number;
  lastErrorKind: string | null;
  lastErrorMessage: string | null;
  /**
   * When the last successful poll of the mirror started. A package only counts as delayed or missing on the
   * mirror once a poll that started after its verdict was reached has looked for it: between an upstream sync
   * and the mirror's next poll, old advisories read "missing" without the mirror having been asked.
   * Undefined: every verdict counts.
   */
  lastCheckedAt?: Date | null;
  /**
   * When we first tried to poll the mirror. A mirror never polled successfully turns stale only once we have
   * been trying for longer than staleAfterMinutes (a first hiccup at install is not an outage).
   * Undefined: stale from its first failure.
   */
  firstAttemptAt?: Date | null;
}

export interface AlertRulesInput {
  mirror: {
    id: string;
    name: string;
    alerts: MirrorAlertPolicy;
    expectedLagHours: number;
    staleAfterMinutes: number;
    majors: readonly number[];
  };
  now: Date;
  freshness: MirrorFreshness | null;
  /** Carried updates per RHEL major of the mirror. */
  updatesByMajor: ReadonlyMap<number, readonly CarriedAdvisory[]>;
  /** This mirror's firing alerts. */
  firing: readonly FiringAlert[];
  silences: readonly ActiveSilence[];
  policy: { groupIntervalMinutes: number; repeatIntervalHours: number };
  /**
   * The other mirrors that published each unpublished update (key: `publishedElsewhereKey`); items carry them as
   * `publishedOn`. Undefined: the items say nothing about other mirrors.
   */
  publishedElsewhere?: ReadonlyMap<string, readonly { mirrorId: string; mirrorName: string }[]>;
}

export const publishedElsewhereKey = (advisoryId: string, major: number) => `${advisoryId}\u0000${major}`;

export interface PlannedEvent {
  type: AlertEventType;
  details: AlertDetails;
  notified: boolean;
  quietReason: string | null;
}

interface AlertState {
  severity: string | null;
  summary: string;
  details: AlertDetails;
}

/** What to write: alerts refer to the publishing_stopped alert that inhibits them by its dedupe key (it may be new). */
export type AlertChange =
  | ({ type: "fire"; key: string; kind: AlertKind; major: number | null; inhibitedByKey: string | null; event: PlannedEvent } & AlertState)
  | ({
      type: "update";
      alertId: number;
      kind: AlertKind;
      major: number | null;
      inhibitedByKey?: string | null;
      events: PlannedEvent[];
    } & AlertState)
  | { type: "resolve"; alertId: number; kind: AlertKind; major: number | null; details: AlertDetails; event: PlannedEvent };

export function findWorstSeverity(items: readonly AlertItem[]): string | null {
  let worst: string | null = null;
  // An unknown severity ranks after every known one, as does null: it never becomes the worst.
  for (const item of items) if (rankSeverity(item.severity) < rankSeverity(worst)) worst = item.severity;
  return worst;
}

export function isSilenceActive(silence: ActiveSilence, now: Date): boolean {
  return silence.startsAt.getTime() <= now.getTime() && now.getTime() < silence.endsAt.getTime();
}

/** A matcher left out matches anything; a major matcher never matches a mirror-wide alert. */
export function silenceMatches(matchers: SilenceMatchers, alert: { mirrorId: string; kind: AlertKind; major: number | null }): boolean {
  if (matchers.mirrorId !== undefined && matchers.mirrorId !== alert.mirrorId) return false;
  if (matchers.kind !== undefined && matchers.kind !== alert.kind) return false;
  if (matchers.major !== undefined && matchers.major !== alert.major) return false;
  return true;
}

export function isMirrorStale(freshness: MirrorFreshness | null, now: Date, staleAfterMinutes: number): boolean {
  if (!freshness) return false;
  const isOlderThanAllowed = (at: Date) => now.getTime() - at.getTime() > staleAfterMinutes * MINUTE_MS;
  if (freshness.lastSuccessAt !== null) return isOlderThanAllowed(freshness.lastSuccessAt);
  if (freshness.lastFailureAt === null) return false;
  if (freshness.firstAttemptAt === undefined) return true;
  return freshness.firstAttemptAt !== null && isOlderThanAllowed(freshness.firstAttemptAt);
}

function toItem(
  update: CarriedAdvisory,
  major: number,
  now: Date,
  keep: (pkg: CarriedPackage) => boolean,
  elsewhere?: AlertRulesInput["publishedElsewhere"],
): AlertItem {
  return {
    advisoryId: update.advisoryId,
    advisoryUrl: update.url,
    severity: update.severity,
    title: update.title,
    issuedAt: update.issuedAt.toISOString(),
    major,
    packages: update.packages
      .filter(keep)
      .map((pkg) => ({ name: pkg.name, nevra: pkg.nevra, status: pkg.status, since: pkg.since.toISOString() })),
    ageHours: Math.floor((now.getTime() - update.issuedAt.getTime()) / HOUR_MS),
    ...(elsewhere ? { publishedOn: [...(elsewhere.get(publishedElsewhereKey(update.advisoryId, major)) ?? [])] } : {}),
  };
}

/** What each kind would look like now (null: the condition does not hold). */
function computeWanted(
  input: AlertRulesInput,
  publishing: MirrorPublishing,
): Map<string, { kind: AlertKind; major: number | null } & AlertState> {
  const { mirror, now } = input;
  const { normalLag } = publishing;
  const wanted = new Map<string, { kind: AlertKind; major: number | null } & AlertState>();
  const base = { mirrorId: mirror.id, mirrorName: mirror.name };

  if (isMirrorStale(input.freshness, now, mirror.staleAfterMinutes)) {
    const freshness = input.freshness!;
    const details: AlertDetails = {
      ...base,
      major: null,
      items: [],
      stale: {
        lastSuccessAt: freshness.lastSuccessAt?.toISOString() ?? null,
        staleAfterMinutes: mirror.staleAfterMinutes,
        lastErrorKind: freshness.lastErrorKind,
        lastErrorMessage: freshness.lastErrorMessage,
        consecutiveFailures: freshness.consecutiveFailures,
      },
    };
    wanted.set(alertDedupeKey("mirror_stale", mirror.id, null), {
      kind: "mirror_stale",
      major: null,
      severity: null,
      summary: summarizeAlert({ kind: "mirror_stale", mirrorName: mirror.name, major: null }, details)!,
      details,
    });
  }

  for (const { major, stop, partialStop } of publishing.majors) {
    const updates = [...(input.updatesByMajor.get(major) ?? [])].sort(compareByIssuedThenId);
    const unpublishedPackages = (pkg: CarriedPackage) => pkg.status !== "published";
    if (stop.stoppedAt) {
      const stoppedMs = stop.stoppedAt.getTime();
      const items = updates
        .filter(
          (update) => update.publishedAt === null && update.issuedAt.getTime() > stoppedMs && update.issuedAt.getTime() <= now.getTime(),
        )
        .map((update) => toItem(update, major, now, unpublishedPackages, input.publishedElsewhere));
      const details: AlertDetails = {
        ...base,
        major,
        items,
        stop: {
          lastPublishedAt: stop.stoppedAt.toISOString(),
          normalLagHours: roundLagHours(normalLag.hours),
          normalLagSource: normalLag.source,
          percentile: normalLag.percentile,
          historySize: normalLag.historySize,
          releasedSinceCount: stop.releasedSinceCount,
          overdueSinceCount: stop.overdueSinceCount,
        },
      };
      wanted.set(alertDedupeKey("publishing_stopped", mirror.id, major), {
        kind: "publishing_stopped",
        major,
        severity: findWorstSeverity(items),
        summary: summarizeAlert({ kind: "publishing_stopped", mirrorName: mirror.name, major }, details)!,
        details,
      });
    }
    if (partialStop) {
      const items = partialStop.unpublished.map((update) => toItem(update, major, now, unpublishedPackages, input.publishedElsewhere));
      const evidence = toPartialStopEvidence(partialStop);
      wanted.set(alertDedupeKey("partial_stop", mirror.id, major), {
        kind: "partial_stop",
        major,
        severity: findWorstSeverity(items),
        summary: summarizePartialStop(mirror.name, major, evidence),
        details: { ...base, major, items, partialStop: evidence },
      });
    }
    if (!mirror.alerts.updateAlerts) continue;
    const lastCheckedAt = input.freshness?.lastCheckedAt;
    const isChecked = (pkg: CarriedPackage) =>
      lastCheckedAt === undefined || (lastCheckedAt !== null && pkg.since.getTime() <= lastCheckedAt.getTime());
    for (const [kind, status] of [
      ["update_missing", "missing"],
      ["update_delayed", "delayed"],
    ] as const) {
      const counts = (pkg: CarriedPackage) => pkg.status === status && isChecked(pkg);
      const items = updates
        .filter((update) => update.packages.some(counts))
        .map((update) => toItem(update, major, now, counts, input.publishedElsewhere));
      if (items.length === 0) continue;
      const details: AlertDetails = { ...base, major, items };
      wanted.set(alertDedupeKey(kind, mirror.id, major), {
        kind,
        major,
        severity: findWorstSeverity(items),
        summary: summarizeAlert({ kind, mirrorName: mirror.name, major }, details)!,
        details,
      });
    }
  }
  return wanted;
}

function advisoryIds(details: AlertDetails): string[] {
  return details.items.map((item) => item.advisoryId);
}

/**
 * Details as compared between evaluations: ages grow every time and are not a change. Nor is another mirror publishing
 * one of the items (`publishedOn`): that is evidence read at each evaluation, not an input that schedules one — a
 * mirror's rules run when its own Updates or thresholds change (server/alerts/evaluate-alerts-when-due.ts). Keys are
 * sorted: the stored side comes back through the codec in its schema's key order, the new side in the order the rules
 * built it.
 */
function comparable(details: AlertDetails): string {
  return JSON.stringify(
    {
      ...details,
      items: details.items.map(({ ageHours: _ageHours, publishedOn: _publishedOn, ...item }) => item),
      added: undefined,
      removed: undefined,
    },
    sortKeys,
  );
}

function sortKeys(_key: string, value: unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function diffIds(before: readonly string[], after: readonly string[]): { added: string[]; removed: string[] } {
  const beforeSet = new Set(before);
  const afterSet = new Set(after);
  return { added: after.filter((id) => !beforeSet.has(id)), removed: before.filter((id) => !afterSet.has(id)) };
}

/**
 * The alert rules of one mirror at `now`, as changes to apply (pure: the caller reads and writes).
 * - mirror_stale (we cannot poll it) freezes every other kind of the mirror: nothing fires, changes or resolves meanwhile.
 * - publishing_stopped (mirror × major), else partial_stop, inhibits update_* of the same mirror × major: they are kept,
 *   their events are quiet, and they resolve only once the stop is over. Both come from assessMirrorPublishing, the rule
 *   the mirror page shows.
 * - fired notifies unless inhibited or silenced; grew/shrank at most once per group interval; a reminder every repeat interval
 *   while notified before; resolved notifies whenever anything about the alert was notified, silences notwithstanding.
 */
export function evaluateAlertRules(input: AlertRulesInput): {
  changes: AlertChange[];
  normalLag: NormalLag;
  publishing: MirrorPublishing;
  /** When the answer can next change by the clock alone (core/alerts/next-alert-change.ts). */
  nextChangeAt: Date | null;
} {
  const { mirror, now, policy } = input;
  const publishing = assessMirrorPublishing({
    updatesByMajor: input.updatesByMajor,
    now,
    policy: mirror.alerts,
    expectedLagHours: mirror.expectedLagHours,
    firingPartialStops: listFiringPartialStops(input.firing),
  });
  const { normalLag } = publishing;
  const wanted = computeWanted(input, publishing);
  const firingByKey = new Map(input.firing.map((alert) => [alertDedupeKey(alert.kind, mirror.id, alert.major), alert]));
  const keyById = new Map(input.firing.map((alert) => [alert.id, alertDedupeKey(alert.kind, mirror.id, alert.major)]));
  const changes: AlertChange[] = [];

  const silenceOf = (kind: AlertKind, major: number | null) =>
    input.silences.find(
      (silence) => isSilenceActive(silence, now) && silenceMatches(silence.matchers, { mirrorId: mirror.id, kind, major }),
    ) ?? null;
  const isStale = wanted.has(alertDedupeKey("mirror_stale", mirror.id, null));
  // A full stop takes precedence over a partial one (the rule never fires both for one major).
  const inhibitorKeyOf = (kind: AlertKind, major: number | null) => {
    if (kind !== "update_delayed" && kind !== "update_missing") return null;
    const stopKey = alertDedupeKey("publishing_stopped", mirror.id, major);
    if (wanted.has(stopKey)) return stopKey;
    const partialKey = alertDedupeKey("partial_stop", mirror.id, major);
    return wanted.has(partialKey) ? partialKey : null;
  };
  /** Folded into another stop than the one it points at (a partial stop that turned into a full one). */
  const isInhibitorChanged = (alert: FiringAlert, inhibitedByKey: string | null) =>
    inhibitedByKey !== null && alert.inhibitedById !== null && keyById.get(alert.inhibitedById) !== inhibitedByKey;
  const quietReasonOf = (kind: AlertKind, major: number | null, inhibitorKey: string | null) => {
    if (inhibitorKey) return "inhibited";
    const silence = silenceOf(kind, major);
    return silence ? `silenced:${silence.id}` : null;
  };
  const isRepeatDue = (alert: FiringAlert) =>
    policy.repeatIntervalHours > 0 &&
    alert.lastNotifiedAt !== null &&
    now.getTime() - alert.lastNotifiedAt.getTime() >= policy.repeatIntervalHours * HOUR_MS;
  const isGroupIntervalOver = (alert: FiringAlert) =>
    alert.lastNotifiedAt === null || now.getTime() - alert.lastNotifiedAt.getTime() >= policy.groupIntervalMinutes * MINUTE_MS;

  // Stops first, then partial stops: the per-update alerts they inhibit refer to them.
  const ORDER: Partial<Record<AlertKind, number>> = { mirror_stale: 0, publishing_stopped: 1, partial_stop: 2 };
  const order = (kind: AlertKind) => ORDER[kind] ?? 3;
  const keys = [...new Set([...wanted.keys(), ...firingByKey.keys()])].sort((a, b) => {
    const kindA = (wanted.get(a) ?? firingByKey.get(a)!).kind;
    const kindB = (wanted.get(b) ?? firingByKey.get(b)!).kind;
    return order(kindA) - order(kindB) || a.localeCompare(b);
  });

  for (const key of keys) {
    const want = wanted.get(key);
    const current = firingByKey.get(key);
    const kind = (want ?? current)!.kind;
    const major = (want ?? current)!.major;
    if (isStale && kind !== "mirror_stale") continue;

    if (want && !current) {
      const inhibitedByKey = inhibitorKeyOf(kind, major);
      const quietReason = quietReasonOf(kind, major, inhibitedByKey);
      changes.push({
        type: "fire",
        key,
        kind,
        major,
        severity: want.severity,
        summary: want.summary,
        details: want.details,
        inhibitedByKey,
        event: { type: "fired", details: want.details, notified: quietReason === null, quietReason },
      });
      continue;
    }

    if (!want && current) {
      const inhibitedByKey = inhibitorKeyOf(kind, major);
      if (inhibitedByKey) {
        // Folded into a firing stop: it resolves (and tells those it told) once the stop is over, not in the middle of it.
        if (current.inhibitedById === null || isInhibitorChanged(current, inhibitedByKey)) {
          const isNewlyInhibited = current.inhibitedById === null;
          changes.push({
            type: "update",
            alertId: current.id,
            kind,
            major,
            severity: findWorstSeverity(current.details.items),
            summary: current.summary,
            details: current.details,
            inhibitedByKey,
            events: isNewlyInhibited ? [{ type: "inhibited", details: current.details, notified: false, quietReason: "inhibited" }] : [],
          });
        }
        continue;
      }
      const wasNotified = current.notifiedAt !== null;
      changes.push({
        type: "resolve",
        alertId: current.id,
        kind,
        major,
        details: current.details,
        event: {
          type: "resolved",
          details: current.details,
          notified: wasNotified,
          quietReason: wasNotified ? null : "not_notified_before",
        },
      });
      continue;
    }

    const alert = current!;
    const next = want!;
    const events: PlannedEvent[] = [];
    const inhibitedByKey = inhibitorKeyOf(kind, major);
    const wasInhibited = alert.inhibitedById !== null;
    const silence = silenceOf(kind, major);
    let isNotified = alert.notifiedAt !== null;

    if (inhibitedByKey && !wasInhibited) {
      events.push({ type: "inhibited", details: next.details, notified: false, quietReason: "inhibited" });
    } else if (!inhibitedByKey && wasInhibited) {
      // Folded into a stop that is over: those who never heard of it hear now; the others already know.
      const notified = !isNotified && silence === null;
      events.push({
        type: "uninhibited",
        details: next.details,
        notified,
        quietReason: notified ? null : silence ? `silenced:${silence.id}` : "notified_before",
      });
      if (notified) isNotified = true;
    }
    const quietReason = inhibitedByKey ? "inhibited" : silence ? `silenced:${silence.id}` : null;
    const justNotified = events.some((event) => event.notified);

    const before = advisoryIds(alert.details);
    const after = advisoryIds(next.details);
    const { added, removed } = diffIds(before, after);
    if (added.length > 0 || removed.length > 0) {
      const notified = quietReason === null && !justNotified && isGroupIntervalOver(alert);
      const reason = quietReason ?? (justNotified ? "group_interval" : notified ? null : "group_interval");
      events.push({
        type: added.length > 0 ? "grew" : "shrank",
        details: { ...next.details, added, removed },
        notified,
        quietReason: notified ? null : reason,
      });
    } else if (quietReason === null && !justNotified && isNotified && alert.lastNotifiedAdvisoryIds && isGroupIntervalOver(alert)) {
      // A change the group interval kept quiet, now due: tell what differs from what was last sent.
      const pending = diffIds(alert.lastNotifiedAdvisoryIds, after);
      if (pending.added.length > 0 || pending.removed.length > 0) {
        events.push({
          type: pending.added.length > 0 ? "grew" : "shrank",
          details: { ...next.details, ...pending },
          notified: true,
          quietReason: null,
        });
      }
    }

    if (quietReason === null && !events.some((event) => event.notified)) {
      if (isNotified && isRepeatDue(alert)) {
        events.push({ type: "reminder", details: next.details, notified: true, quietReason: null });
      } else if (!isNotified && !inhibitedByKey && !wasInhibited) {
        // Fired while silenced and the silence is over: it has not been told yet.
        events.push({ type: "reminder", details: next.details, notified: true, quietReason: null });
      }
    }

    const isDetailsChanged = comparable(alert.details) !== comparable(next.details);
    const isInhibitionChanged = (inhibitedByKey !== null) !== wasInhibited || isInhibitorChanged(alert, inhibitedByKey);
    if (events.length > 0 || isDetailsChanged || isInhibitionChanged) {
      changes.push({
        type: "update",
        alertId: alert.id,
        kind,
        major,
        severity: next.severity,
        summary: next.summary,
        details: next.details,
        ...(isInhibitionChanged ? { inhibitedByKey } : {}),
        events,
      });
    }
  }
  return { changes, normalLag, publishing, nextChangeAt: nextAlertChangeAt(input, normalLag, isStale) };
}
