import "server-only";

import { decodeAlertDetails, encodeAlertDetails } from "../../core/alerts/alert-details-codec";
import { evaluateAlertRules, type AlertChange, type FiringAlert, type PlannedEvent } from "../../core/alerts/evaluate-alert-rules";
import { alertDedupeKey, type AlertKind } from "../../core/alerts/types";
import type { MirrorConfig, SrcwatchConfig } from "../../core/config";
import type { Db, DbTransaction } from "../db/client";
import { insertRows } from "../db/insert-rows";
import { listActiveSilences } from "./list-silences";
import { readCarriedUpdates } from "./read-mirror-publishing";
import { readPublishedElsewhere } from "./read-published-elsewhere";
import { enqueueAlertNotifications } from "../notifications/enqueue-alert-notifications";

export interface AlertEvaluationResult {
  fired: number;
  resolved: number;
  /** Firing alerts that got an event (grew, shrank, reminder, inhibited, uninhibited). */
  changed: number;
  /** Outbox rows written. */
  queued: number;
}

async function listFiringAlerts(db: Db, mirrorId: string): Promise<FiringAlert[]> {
  const alerts = await db.alert.findMany({
    where: { mirrorId, status: "firing" },
    select: {
      id: true,
      kind: true,
      major: true,
      summary: true,
      details: true,
      notifiedAt: true,
      lastNotifiedAt: true,
      inhibitedById: true,
    },
  });
  return Promise.all(
    alerts.map(async (alert) => {
      const lastNotified = alert.lastNotifiedAt
        ? await db.alertEvent.findFirst({
            where: { alertId: alert.id, notified: true },
            orderBy: [{ at: "desc" }, { id: "desc" }],
            select: { id: true, details: true },
          })
        : null;
      return {
        ...alert,
        kind: alert.kind as AlertKind,
        details: decodeAlertDetails(alert.details, { table: "Alert", id: alert.id }),
        lastNotifiedAdvisoryIds: lastNotified
          ? decodeAlertDetails(lastNotified.details, { table: "AlertEvent", id: lastNotified.id }).items.map((item) => item.advisoryId)
          : null,
      };
    }),
  );
}

/**
 * Evaluates the alert rules of one mirror and writes what changed — alerts, their events and the notifications
 * of those events — in one transaction. A firing alert is unique per dedupe key (Alert.firingKey), so a second
 * worker evaluating the same mirror at once cannot fire it twice.
 */
export async function evaluateAlerts(
  db: Db,
  input: { mirror: MirrorConfig; config: SrcwatchConfig; now: Date },
): Promise<AlertEvaluationResult> {
  return (await runAlertRules(db, input)).result;
}

/** Our polls of the mirror as the rules read them: its source state, the start of its last good poll and of its first. */
export async function readPollsOfMirror(db: Db, mirrorId: string) {
  const [state, lastGoodPoll, firstPoll] = await Promise.all([
    db.sourceState.findUnique({
      where: { sourceId: mirrorId },
      select: { lastSuccessAt: true, lastFailureAt: true, consecutiveFailures: true, lastErrorKind: true, lastErrorMessage: true },
    }),
    db.pollRun.findFirst({
      where: { sourceId: mirrorId, outcome: { in: ["success", "partial"] } },
      orderBy: { startedAt: "desc" },
      select: { startedAt: true },
    }),
    db.pollRun.findFirst({ where: { sourceId: mirrorId }, orderBy: { startedAt: "asc" }, select: { startedAt: true } }),
  ]);
  return { state, lastGoodPoll, firstPoll };
}

/**
 * What the rules would change now, read from the database without writing anything, and when their answer can next
 * change by the clock alone (core/alerts/next-alert-change.ts).
 */
export async function planAlertRules(
  db: Db,
  input: { mirror: MirrorConfig; config: SrcwatchConfig; now: Date },
): Promise<{ changes: AlertChange[]; firing: FiringAlert[]; nextChangeAt: Date | null }> {
  const { mirror, config, now } = input;
  const [{ state, lastGoodPoll, firstPoll }, updatesByMajor, firing, silences] = await Promise.all([
    readPollsOfMirror(db, mirror.id),
    readCarriedUpdates(db, mirror, now),
    listFiringAlerts(db, mirror.id),
    listActiveSilences(db, now),
  ]);
  const publishedElsewhere = await readPublishedElsewhere(db, { mirrorId: mirror.id, mirrors: config.mirrors, updatesByMajor });
  const { changes, nextChangeAt } = evaluateAlertRules({
    mirror,
    now,
    // Without a poll-run record (history pruned), the last success stands in for when the mirror was last asked.
    freshness: state && {
      ...state,
      lastCheckedAt: lastGoodPoll?.startedAt ?? state.lastSuccessAt,
      firstAttemptAt: firstPoll?.startedAt ?? state.lastFailureAt,
    },
    updatesByMajor,
    publishedElsewhere,
    firing,
    silences,
    policy: {
      groupIntervalMinutes: config.notifications.groupIntervalMinutes,
      repeatIntervalHours: config.notifications.repeatIntervalHours,
    },
  });
  return { changes, firing, nextChangeAt };
}

/** evaluateAlerts, also saying when the rules' answer can next change by the clock alone (core/alerts/next-alert-change.ts). */
export async function runAlertRules(
  db: Db,
  input: { mirror: MirrorConfig; config: SrcwatchConfig; now: Date },
): Promise<{ result: AlertEvaluationResult; nextChangeAt: Date | null }> {
  const { mirror, config, now } = input;
  const { changes, firing, nextChangeAt } = await planAlertRules(db, input);
  const result: AlertEvaluationResult = { fired: 0, resolved: 0, changed: 0, queued: 0 };
  if (changes.length === 0) return { result, nextChangeAt };

  try {
    await db.$transaction((tx) => applyAlertChanges(tx, { mirror, config, now, changes, firing, result }), {
      timeout: 60_000,
      maxWait: 30_000,
    });
  } catch (error) {
    // A concurrent evaluation of the same mirror got there first (e.g. the same event row); the next one starts from its state.
    if (isUniqueViolation(error)) return { result: { fired: 0, resolved: 0, changed: 0, queued: 0 }, nextChangeAt: now };
    throw error;
  }
  // Alerts just notified start their group and repeat intervals now: the rules may change again when those end.
  return { result, nextChangeAt: earliest(nextChangeAt, changes.length > 0 ? nextIntervalEnd(config, now) : null) };
}

function nextIntervalEnd(config: SrcwatchConfig, now: Date): Date {
  return new Date(now.getTime() + config.notifications.groupIntervalMinutes * 60_000);
}

function earliest(a: Date | null, b: Date | null): Date | null {
  if (a === null) return b;
  if (b === null) return a;
  return a.getTime() <= b.getTime() ? a : b;
}

function isUniqueViolation(error: unknown): boolean {
  const { code, message } = error as { code?: string; message?: string };
  return code === "P2002" || /unique constraint|duplicate key value/i.test(message ?? "");
}

async function applyAlertChanges(
  tx: DbTransaction,
  input: {
    mirror: MirrorConfig;
    config: SrcwatchConfig;
    now: Date;
    changes: AlertChange[];
    firing: FiringAlert[];
    result: AlertEvaluationResult;
  },
): Promise<void> {
  const { mirror, config, now, result } = input;
  const idByKey = new Map(input.firing.map((alert) => [alertDedupeKey(alert.kind, mirror.id, alert.major), alert.id]));
  const resolveInhibitor = (key: string | null) => (key === null ? null : (idByKey.get(key) ?? null));

  const writeEvent = async (alert: { id: number; kind: AlertKind; major: number | null }, event: PlannedEvent) => {
    const created = await tx.alertEvent.create({
      data: {
        alertId: alert.id,
        type: event.type,
        at: now,
        details: encodeAlertDetails(event.details, { table: "AlertEvent" }),
        notified: event.notified,
        quietReason: event.quietReason,
      },
      select: { id: true },
    });
    if (!event.notified) return false;
    result.queued += await enqueueAlertNotifications(tx, {
      alert: { id: alert.id, kind: alert.kind, mirrorId: mirror.id, major: alert.major },
      event: { id: created.id, type: event.type, details: event.details },
      config,
      now,
    });
    return true;
  };
  const markNotified = (alertId: number) =>
    tx.alert
      .updateMany({ where: { id: alertId, notifiedAt: null }, data: { notifiedAt: now } })
      .then(() => tx.alert.update({ where: { id: alertId }, data: { lastNotifiedAt: now } }));

  for (const change of input.changes) {
    if (change.type === "fire") {
      // Another worker may have fired the same key a moment ago: the unique firingKey turns our insert into a no-op.
      const inserted = await insertRows(
        tx,
        "Alert",
        [
          "dedupeKey",
          "firingKey",
          "kind",
          "mirrorId",
          "major",
          "status",
          "severity",
          "summary",
          "details",
          "startsAt",
          "lastChangedAt",
          "inhibitedById",
        ],
        [
          [
            change.key,
            change.key,
            change.kind,
            mirror.id,
            change.major,
            "firing",
            change.severity,
            change.summary,
            encodeAlertDetails(change.details),
            now,
            now,
            resolveInhibitor(change.inhibitedByKey),
          ],
        ],
        { onConflictDoNothing: "firingKey" },
      );
      const alert = await tx.alert.findUniqueOrThrow({ where: { firingKey: change.key }, select: { id: true } });
      idByKey.set(change.key, alert.id);
      if (inserted === 0) continue;
      result.fired++;
      if (await writeEvent({ id: alert.id, kind: change.kind, major: change.major }, change.event)) await markNotified(alert.id);
    } else if (change.type === "update") {
      let isNotified = false;
      for (const event of change.events)
        isNotified = (await writeEvent({ id: change.alertId, kind: change.kind, major: change.major }, event)) || isNotified;
      await tx.alert.update({
        where: { id: change.alertId },
        data: {
          severity: change.severity,
          summary: change.summary,
          details: encodeAlertDetails(change.details, { table: "Alert", id: change.alertId }),
          ...(change.events.length > 0 ? { lastChangedAt: now } : {}),
          ...(change.inhibitedByKey !== undefined ? { inhibitedById: resolveInhibitor(change.inhibitedByKey) } : {}),
        },
      });
      if (isNotified) await markNotified(change.alertId);
      if (change.events.length > 0) result.changed++;
    } else {
      const resolved = await tx.alert.updateMany({
        where: { id: change.alertId, status: "firing" },
        data: { status: "resolved", firingKey: null, resolvedAt: now, lastChangedAt: now },
      });
      if (resolved.count === 0) continue;
      result.resolved++;
      if (await writeEvent({ id: change.alertId, kind: change.kind, major: change.major }, change.event)) {
        await tx.alert.update({ where: { id: change.alertId }, data: { lastNotifiedAt: now } });
      }
    }
  }
}
