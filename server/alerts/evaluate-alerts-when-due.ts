import "server-only";

import { createHash } from "node:crypto";
import type { MirrorConfig, SrcwatchConfig } from "../../core/config";
import type { Db } from "../db/client";
import { readPollsOfMirror, runAlertRules, type AlertEvaluationResult } from "./evaluate-alerts";

/**
 * However quiet a mirror, its rules run at least this often: a safety net under next-alert-change.ts, whose times are
 * meant to be exact (test/integration/alerts-when-due.test.ts checks that a skipped pass would have changed nothing).
 */
export const ALERT_RULES_MAX_GAP_MS = 6 * 3_600_000;

/**
 * What the alert rules of the mirror read, apart from the Updates themselves, in a few indexed single-row reads:
 * a pass that finds the same hash before the next time threshold would change nothing. The Updates are represented by
 * MirrorEvaluation.changeSeq, which every write of a verdict, an Update or an advisory moves.
 */
async function hashExternalInputs(db: Db, input: { mirror: MirrorConfig; config: SrcwatchConfig; now: Date }): Promise<string> {
  const { mirror, config, now } = input;
  const [evaluation, { state, lastGoodPoll, firstPoll }, silences] = await Promise.all([
    db.mirrorEvaluation.findUnique({ where: { mirrorId: mirror.id }, select: { changeSeq: true } }),
    readPollsOfMirror(db, mirror.id),
    // Active now: one that starts or ends between two passes changes this set, and so the hash.
    db.silence.findMany({
      where: { startsAt: { lte: now }, endsAt: { gt: now } },
      select: { id: true, matchers: true },
      orderBy: { id: "asc" },
    }),
  ]);
  return JSON.stringify([
    evaluation?.changeSeq ?? null,
    state,
    lastGoodPoll?.startedAt ?? null,
    firstPoll?.startedAt ?? null,
    silences,
    mirror,
    config.notifications.groupIntervalMinutes,
    config.notifications.repeatIntervalHours,
  ]);
}

/**
 * The mirror's firing alerts, without their details (large, and written only by the rules' own passes, after which the
 * hash is taken again): an alert fired, resolved or notified by another writer changes it.
 */
async function hashFiringAlerts(db: Db, mirrorId: string): Promise<string> {
  const firing = await db.alert.findMany({
    where: { mirrorId, status: "firing" },
    select: { id: true, notifiedAt: true, lastNotifiedAt: true, inhibitedById: true, lastChangedAt: true },
    orderBy: { id: "asc" },
  });
  return JSON.stringify(firing);
}

const digest = (...parts: string[]) => createHash("sha256").update(parts.join("\u0000")).digest("hex");

/**
 * The alert rules of the mirror, run only when something they read changed (the Updates, our polls, the firing alerts,
 * the active silences, the configuration) or when a time threshold of theirs passed (core/alerts/next-alert-change.ts):
 * a pass with nothing due costs a few single-row reads instead of reading every open Update. The scheduler and
 * `worker --once` call this; evaluateAlerts runs the rules unconditionally.
 */
export async function evaluateAlertsWhenDue(
  db: Db,
  input: { mirror: MirrorConfig; config: SrcwatchConfig; now: Date },
): Promise<AlertEvaluationResult & { skipped: boolean }> {
  const { mirror, now } = input;
  // Read before the rules run: whatever changes meanwhile makes the stored hash differ, so the next pass runs them.
  const [external, firingBefore, previous] = await Promise.all([
    hashExternalInputs(db, input),
    hashFiringAlerts(db, mirror.id),
    db.mirrorAlertEvaluation.findUnique({ where: { mirrorId: mirror.id } }),
  ]);
  if (previous && previous.inputsHash === digest(external, firingBefore) && now.getTime() < previous.nextChangeAt.getTime()) {
    return { fired: 0, resolved: 0, changed: 0, queued: 0, skipped: true };
  }

  const { result, nextChangeAt } = await runAlertRules(db, input);
  // The firing alerts as this pass left them (it is their only writer for the mirror).
  const firingAfter = await hashFiringAlerts(db, mirror.id);
  const cap = now.getTime() + ALERT_RULES_MAX_GAP_MS;
  const mark = {
    evaluatedAt: now,
    inputsHash: digest(external, firingAfter),
    nextChangeAt: new Date(nextChangeAt === null ? cap : Math.min(nextChangeAt.getTime(), cap)),
  };
  await db.mirrorAlertEvaluation.upsert({ where: { mirrorId: mirror.id }, create: { mirrorId: mirror.id, ...mark }, update: mark });
  return { ...result, skipped: false };
}
