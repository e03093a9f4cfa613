import "server-only";

import type { MirrorConfig } from "../../core/config";
import { computeVerdict, type VerdictInput } from "../../core/compute-verdict";
import type { PublicationTimeOrigin, RhelStream } from "../../core/types";
import type { Db } from "../db/client";
import { insertRows } from "../db/insert-rows";
import { findLastChecks, lastCheckOf } from "../evidence/find-last-checks";
import { isBackfillWindowOpen, whereOpenVerdict } from "./open-verdicts";

const CHUNK = 500;

interface PackageRow {
  id: number;
  name: string;
  epoch: number;
  version: string;
  release: string;
  major: number;
  stream: string;
  recordedAt: Date | null;
  advisory: { issuedAt: Date };
}

export interface VerdictEvaluationResult {
  evaluated: number;
  created: number;
  changed: number;
}

function chunk<T>(items: T[], size = CHUNK): T[][] {
  const chunks: T[][] = [];
  for (let index = 0; index < items.length; index += size) chunks.push(items.slice(index, index + size));
  return chunks;
}

/**
 * Recomputes the open verdicts of one mirror (and creates those of packages it has none for).
 * Published and not-applicable verdicts are final unless `includeClosed` (config changes).
 * Writes only what changed; every status change is kept in VerdictChange.
 */
export async function evaluateMirrorVerdicts(
  db: Db,
  input: { mirror: MirrorConfig; now: Date; includeClosed?: boolean },
): Promise<VerdictEvaluationResult> {
  const { mirror, now } = input;
  const packageSelect = {
    id: true,
    name: true,
    epoch: true,
    version: true,
    release: true,
    major: true,
    stream: true,
    recordedAt: true,
    advisory: { select: { issuedAt: true } },
  } as const;

  const [state, openVerdicts, newPackages] = await Promise.all([
    db.sourceState.findUnique({ where: { sourceId: mirror.id }, select: { lastSuccessAt: true } }),
    db.verdict.findMany({
      where: { mirrorId: mirror.id, ...(input.includeClosed ? {} : whereOpenVerdict(isBackfillWindowOpen(mirror, now))) },
      select: {
        packageId: true,
        status: true,
        statusReason: true,
        lagSeconds: true,
        publishedAt: true,
        lagTimeOrigin: true,
        evidenceId: true,
        lagEvidenceId: true,
        isTimeSuspect: true,
        matchOutcome: true,
        matchReason: true,
        package: { select: packageSelect },
      },
    }),
    db.package.findMany({ where: { verdicts: { none: { mirrorId: mirror.id } } }, select: packageSelect }),
  ]);

  const names = [...new Set([...openVerdicts.map((verdict) => verdict.package.name), ...newPackages.map((row) => row.name)])];
  type EvidenceRow = VerdictInput["evidence"][number] & { id: number };
  const evidenceByKey = new Map<string, EvidenceRow[]>();
  // When a poll last asked about each name × major: its own check (per-package mirrors) or the last poll that asked about all.
  const checks = await findLastChecks(db, mirror.id, names);
  for (const namesChunk of chunk(names)) {
    const evidence = await db.evidence.findMany({
      where: { mirrorId: mirror.id, name: { in: namesChunk } },
      select: {
        id: true,
        name: true,
        epoch: true,
        version: true,
        release: true,
        major: true,
        publishedAt: true,
        publishedAtOrigin: true,
        firstSeenAt: true,
        lastAbsentAt: true,
      },
      orderBy: { id: "asc" },
    });
    for (const row of evidence) {
      const key = `${row.name}\u0000${row.major}`;
      const list = evidenceByKey.get(key) ?? [];
      list.push({ ...row, publishedAtOrigin: row.publishedAtOrigin as PublicationTimeOrigin | null });
      evidenceByKey.set(key, list);
    }
  }

  const lastSuccessfulPollAt = state?.lastSuccessAt ?? null;
  const trackedFrom = mirror.trackedFrom ? new Date(mirror.trackedFrom) : null;
  const decide = (row: PackageRow) => {
    const evidence = evidenceByKey.get(`${row.name}\u0000${row.major}`) ?? [];
    const result = computeVerdict({
      now,
      issuedAt: row.advisory.issuedAt,
      package: {
        name: row.name,
        epoch: row.epoch,
        version: row.version,
        release: row.release,
        major: row.major,
        stream: row.stream as RhelStream,
      },
      mirror: {
        majors: mirror.majors,
        streams: mirror.streams,
        expectedLagHours: mirror.expectedLagHours,
        missingAfterHours: mirror.missingAfterHours,
        staleAfterMinutes: mirror.staleAfterMinutes,
        relation: mirror.relation,
        suspectTimeBeforeReleaseDays: mirror.suspectTimeBeforeReleaseDays,
        trackedFrom,
      },
      evidence,
      lastSuccessfulPollAt,
      checkedAt: lastCheckOf(checks, row.name, row.major),
      recordedAt: row.recordedAt,
    });
    return {
      status: result.status,
      statusReason: result.statusReason,
      lagSeconds: result.lagSeconds,
      publishedAt: result.publishedAt,
      lagTimeOrigin: result.lagTimeOrigin,
      evidenceId: result.evidenceIndex === null ? null : evidence[result.evidenceIndex].id,
      lagEvidenceId: result.lagEvidenceIndex === null ? null : evidence[result.lagEvidenceIndex].id,
      isTimeSuspect: result.isTimeSuspect,
      matchOutcome: result.match?.outcome ?? null,
      matchReason: result.match?.reason ?? null,
    };
  };

  type Decision = ReturnType<typeof decide>;
  const creates: (Decision & { packageId: number; mirrorId: string; since: Date; evaluatedAt: Date })[] = [];
  const changes: {
    packageId: number;
    mirrorId: string;
    fromStatus: string | null;
    toStatus: string;
    lagSeconds: number | null;
    changedAt: Date;
  }[] = [];
  const updates: (Decision & { packageId: number; statusChanged: boolean })[] = [];

  for (const row of newPackages) {
    const verdict = decide(row);
    creates.push({ packageId: row.id, mirrorId: mirror.id, ...verdict, since: now, evaluatedAt: now });
    changes.push({
      packageId: row.id,
      mirrorId: mirror.id,
      fromStatus: null,
      toStatus: verdict.status,
      lagSeconds: verdict.lagSeconds,
      changedAt: now,
    });
  }
  for (const current of openVerdicts) {
    const verdict = decide(current.package);
    const statusChanged = verdict.status !== current.status;
    const isUnchanged =
      !statusChanged &&
      verdict.statusReason === current.statusReason &&
      verdict.lagSeconds === current.lagSeconds &&
      (verdict.publishedAt?.getTime() ?? null) === (current.publishedAt?.getTime() ?? null) &&
      verdict.lagTimeOrigin === current.lagTimeOrigin &&
      verdict.evidenceId === current.evidenceId &&
      verdict.lagEvidenceId === current.lagEvidenceId &&
      verdict.isTimeSuspect === current.isTimeSuspect &&
      verdict.matchOutcome === current.matchOutcome &&
      verdict.matchReason === current.matchReason;
    if (isUnchanged) continue;
    updates.push({ packageId: current.packageId, ...verdict, statusChanged });
    if (statusChanged) {
      changes.push({
        packageId: current.packageId,
        mirrorId: mirror.id,
        fromStatus: current.status,
        toStatus: verdict.status,
        lagSeconds: verdict.lagSeconds,
        changedAt: now,
      });
    }
  }

  if (creates.length || updates.length) {
    // Most changes share their new values (a whole mirror turning unknown or delayed): one statement per group.
    const groups = new Map<string, Decision & { statusChanged: boolean; packageIds: number[] }>();
    for (const update of updates) {
      const key = JSON.stringify([
        update.status,
        update.statusReason,
        update.lagSeconds,
        update.publishedAt?.toISOString() ?? null,
        update.lagTimeOrigin,
        update.evidenceId,
        update.lagEvidenceId,
        update.isTimeSuspect,
        update.matchOutcome,
        update.matchReason,
        update.statusChanged,
      ]);
      const group = groups.get(key) ?? { ...update, packageIds: [] };
      group.packageIds.push(update.packageId);
      groups.set(key, group);
    }
    await db.$transaction(
      async (tx) => {
        await insertRows(
          tx,
          "Verdict",
          [
            "packageId",
            "mirrorId",
            "status",
            "statusReason",
            "lagSeconds",
            "publishedAt",
            "lagTimeOrigin",
            "evidenceId",
            "lagEvidenceId",
            "isTimeSuspect",
            "matchOutcome",
            "matchReason",
            "since",
            "evaluatedAt",
          ],
          creates.map((row) => [
            row.packageId,
            row.mirrorId,
            row.status,
            row.statusReason,
            row.lagSeconds,
            row.publishedAt,
            row.lagTimeOrigin,
            row.evidenceId,
            row.lagEvidenceId,
            row.isTimeSuspect,
            row.matchOutcome,
            row.matchReason,
            row.since,
            row.evaluatedAt,
          ]),
        );
        for (const group of groups.values()) {
          for (const ids of chunk(group.packageIds)) {
            await tx.verdict.updateMany({
              where: { mirrorId: mirror.id, packageId: { in: ids } },
              data: {
                status: group.status,
                statusReason: group.statusReason,
                lagSeconds: group.lagSeconds,
                publishedAt: group.publishedAt,
                lagTimeOrigin: group.lagTimeOrigin,
                evidenceId: group.evidenceId,
                lagEvidenceId: group.lagEvidenceId,
                isTimeSuspect: group.isTimeSuspect,
                matchOutcome: group.matchOutcome,
                matchReason: group.matchReason,
                evaluatedAt: now,
                ...(group.statusChanged ? { since: now } : {}),
              },
            });
          }
        }
        await insertRows(
          tx,
          "VerdictChange",
          ["packageId", "mirrorId", "fromStatus", "toStatus", "lagSeconds", "changedAt"],
          changes.map((row) => [row.packageId, row.mirrorId, row.fromStatus, row.toStatus, row.lagSeconds, row.changedAt]),
        );
      },
      { timeout: 120_000, maxWait: 30_000 },
    );
  }
  return { evaluated: openVerdicts.length + newPackages.length, created: creates.length, changed: updates.length };
}
