import "server-only";

import { createHash } from "node:crypto";

import type { MirrorConfig } from "../../core/config";
import { computeVerdict, type VerdictInput } from "../../core/compute-verdict";
import type { PublicationTimeOrigin, RhelStream } from "../../core/types";
import type { Db, DbTransaction } from "../db/client";
import { insertRows } from "../db/insert-rows";
import { toDate, type RawInstant } from "../db/raw-instant";
import { findLastChecks, lastCheckOf } from "../evidence/find-last-checks";
import { CLOSED_VERDICT_STATUSES } from "../../core/update/open-verdict";
import { nextVerdictChangeAt } from "../../core/update/next-verdict-change";
import { Prisma } from "../../prisma/generated/sqlite/client";
import { refreshMirrorUpdates, type HeldVerdict } from "../updates/refresh-mirror-updates";
import { isBackfillWindowOpen, whereOpenVerdict } from "./open-verdicts";

const CHUNK = 500;

interface RawEvidenceRow {
  id: number | bigint;
  name: string;
  epoch: number | bigint | null;
  version: string;
  release: string;
  major: number | bigint;
  publishedAt: RawInstant | null;
  publishedAtOrigin: string | null;
  firstSeenAt: RawInstant;
  lastAbsentAt: RawInstant | null;
}

interface PackageRow {
  id: number;
  name: string;
  epoch: number;
  version: string;
  release: string;
  major: number;
  stream: string;
  recordedAt: Date | null;
  advisoryId: string;
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

const packageSelect = {
  id: true,
  name: true,
  epoch: true,
  version: true,
  release: true,
  major: true,
  stream: true,
  recordedAt: true,
  advisoryId: true,
  advisory: { select: { issuedAt: true } },
} as const;

const verdictSelect = {
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
  nextChangeAt: true,
  package: { select: packageSelect },
} as const;

/** What of the mirror's configuration the verdicts are computed from: a change re-evaluates every verdict. */
function hashVerdictConfig(mirror: MirrorConfig): string {
  const { majors, streams, expectedLagHours, missingAfterHours, staleAfterMinutes, relation, suspectTimeBeforeReleaseDays, trackedFrom } =
    mirror;
  const fields = [
    majors,
    streams,
    expectedLagHours,
    missingAfterHours,
    staleAfterMinutes,
    relation,
    suspectTimeBeforeReleaseDays,
    trackedFrom,
  ];
  return createHash("sha256").update(JSON.stringify(fields)).digest("hex").slice(0, 16);
}

type EvaluationMarks = Omit<Prisma.MirrorEvaluationUncheckedCreateInput, "mirrorId" | "nextChangeAt">;

/** Nothing moved since the last pass but the clock: the marks need no write. */
function isSameEvaluation(previous: Prisma.MirrorEvaluationGetPayload<object>, marks: EvaluationMarks): boolean {
  const time = (value: Date | string | null | undefined) => (value ? new Date(value).getTime() : null);
  return (
    previous.packageIdThrough === marks.packageIdThrough &&
    previous.evidenceIdThrough === marks.evidenceIdThrough &&
    time(previous.lastSuccessAt) === time(marks.lastSuccessAt) &&
    time(previous.lastCheckedAllAt) === time(marks.lastCheckedAllAt) &&
    time(previous.nameChecksThrough) === time(marks.nameChecksThrough) &&
    previous.wasStale === marks.wasStale &&
    previous.configHash === marks.configHash
  );
}

/**
 * Keeps the pass's marks and the earliest time-only change of the mirror's verdicts (one index seek); a pass that wrote
 * verdicts or Updates moves changeSeq, which tells the alert rules to run again.
 */
async function recordEvaluation(
  db: Db | DbTransaction,
  mirrorId: string,
  marks: EvaluationMarks,
  options: { isChanged: boolean },
): Promise<void> {
  const next = await db.verdict.aggregate({ where: { mirrorId, nextChangeAt: { not: null } }, _min: { nextChangeAt: true } });
  const evaluation = { ...marks, nextChangeAt: next._min.nextChangeAt };
  await db.mirrorEvaluation.upsert({
    where: { mirrorId },
    create: { mirrorId, ...evaluation, changeSeq: options.isChanged ? 1 : 0 },
    update: { ...evaluation, ...(options.isChanged ? { changeSeq: { increment: 1 } } : {}) },
  });
}

/**
 * The packages whose verdict on the mirror may have changed since the last pass, and nothing else: verdicts whose
 * `nextChangeAt` passed (pending → delayed → missing), the unknown ones when a poll asked the mirror since (not checked →
 * checked), and the open ones of names the mirror's new evidence is about. Every query walks an index from a mark.
 */
async function findDuePackageIds(
  db: Db,
  input: {
    mirrorId: string;
    now: Date;
    withBeforeTrackedFrom: boolean;
    evidenceIdAfter: number;
    evidenceIdThrough: number;
    isAskedSince: boolean;
    isTimeDue: boolean;
  },
): Promise<number[]> {
  const closed = Prisma.join([...CLOSED_VERDICT_STATUSES]);
  const open = input.withBeforeTrackedFrom
    ? Prisma.sql`(v."status" NOT IN (${closed}) OR (v."status" = 'not_applicable' AND v."statusReason" = 'before_tracked_from'))`
    : Prisma.sql`v."status" NOT IN (${closed})`;
  const [timed, unknown, evidenced] = await Promise.all([
    input.isTimeDue
      ? db.verdict.findMany({ where: { mirrorId: input.mirrorId, nextChangeAt: { lte: input.now } }, select: { packageId: true } })
      : [],
    input.isAskedSince ? db.verdict.findMany({ where: { mirrorId: input.mirrorId, status: "unknown" }, select: { packageId: true } }) : [],
    input.evidenceIdThrough > input.evidenceIdAfter
      ? db.$queryRaw<{ packageId: number | bigint }[]>`
          SELECT v."packageId" AS "packageId"
          FROM (SELECT DISTINCT e."name" AS "name", e."major" AS "major" FROM "Evidence" e
                WHERE e."mirrorId" = ${input.mirrorId} AND e."id" > ${input.evidenceIdAfter} AND e."id" <= ${input.evidenceIdThrough}) n
            JOIN "Package" p ON p."name" = n."name" AND p."major" = n."major"
            JOIN "Verdict" v ON v."packageId" = p."id" AND v."mirrorId" = ${input.mirrorId}
          WHERE ${open}`
      : [],
  ]);
  return [...new Set([...timed, ...unknown, ...evidenced].map((row) => Number(row.packageId)))];
}

/**
 * The packages recorded in (idAfter, idThrough] that have no verdict on the mirror yet: a range of Package's key. Raw
 * columns: a first evaluation reads every package, and Prisma's model decoding cost more than the query.
 */
async function readPackagesWithoutVerdict(db: Db, input: { mirrorId: string; idAfter: number; idThrough: number }): Promise<PackageRow[]> {
  const rows = await db.$queryRaw<
    {
      id: number | bigint;
      name: string;
      epoch: number | bigint;
      version: string;
      release: string;
      major: number | bigint;
      stream: string;
      recordedAt: RawInstant | null;
      advisoryId: string;
      issuedAt: RawInstant;
    }[]
  >`
    SELECT p."id" AS "id", p."name" AS "name", p."epoch" AS "epoch", p."version" AS "version", p."release" AS "release",
      p."major" AS "major", p."stream" AS "stream", p."recordedAt" AS "recordedAt", p."advisoryId" AS "advisoryId",
      a."issuedAt" AS "issuedAt"
    FROM "Package" p JOIN "Advisory" a ON a."id" = p."advisoryId"
    WHERE p."id" > ${input.idAfter} AND p."id" <= ${input.idThrough}
      AND NOT EXISTS (SELECT 1 FROM "Verdict" v WHERE v."packageId" = p."id" AND v."mirrorId" = ${input.mirrorId})
    ORDER BY p."id" ASC`;
  return rows.map((row) => ({
    id: Number(row.id),
    name: row.name,
    epoch: Number(row.epoch),
    version: row.version,
    release: row.release,
    major: Number(row.major),
    stream: row.stream,
    recordedAt: row.recordedAt === null ? null : toDate(row.recordedAt),
    advisoryId: row.advisoryId,
    advisory: { issuedAt: toDate(row.issuedAt) },
  }));
}

/**
 * Moves whenever an upstream poll finishes (each writes its advisories and its source's health in one transaction):
 * equal before a pass's reads and in its write transaction, no upstream write came in between.
 */
async function readUpstreamMark(db: Db | DbTransaction): Promise<string> {
  const sources = await db.sourceState.findMany({
    where: { sourceKind: "upstream" },
    select: { sourceId: true, lastSuccessAt: true, lastFailureAt: true },
    orderBy: { sourceId: "asc" },
  });
  return JSON.stringify(sources);
}

/** The bound of a pass's write transaction: a first evaluation writes every verdict and Update of a mirror at once. */
export const EVALUATION_TRANSACTION_OPTIONS = { timeout: 120_000, maxWait: 30_000 } as const;

/**
 * Evaluates the mirror's verdicts that are due (findDuePackageIds) and creates those of packages recorded since the
 * last pass; a pass with nothing due reads no verdict. Everything open is evaluated on the first pass, when the
 * mirror's configuration changed, when our polls of it turn stale or fresh again, and with `includeClosed` (after a
 * migration or a config change: the closed ones too). Writes only what changed, with every status change in
 * VerdictChange and the Updates (MirrorUpdate) of the advisories it touched, in one transaction.
 */
export async function evaluateMirrorVerdicts(
  db: Db,
  input: { mirror: MirrorConfig; now: Date; includeClosed?: boolean },
): Promise<VerdictEvaluationResult> {
  const { mirror, now } = input;
  const configHash = hashVerdictConfig(mirror);
  // The marks are read first: whatever arrives while this pass runs is left to the next one.
  const [state, previous, packageMark, evidenceMark, nameCheckMark] = await Promise.all([
    db.sourceState.findUnique({ where: { sourceId: mirror.id }, select: { lastSuccessAt: true, lastCheckedAllAt: true } }),
    db.mirrorEvaluation.findUnique({ where: { mirrorId: mirror.id } }),
    db.package.aggregate({ _max: { id: true } }),
    db.evidence.aggregate({ where: { mirrorId: mirror.id }, _max: { id: true } }),
    db.mirrorNameCheck.aggregate({ where: { mirrorId: mirror.id }, _max: { lastCheckedAt: true } }),
  ]);
  const packageIdThrough = packageMark._max.id ?? 0;
  const evidenceIdThrough = evidenceMark._max.id ?? 0;
  const nameChecksThrough = nameCheckMark._max.lastCheckedAt ?? null;
  const lastSuccessAt = state?.lastSuccessAt ?? null;
  const lastCheckedAllAt = state?.lastCheckedAllAt ?? null;
  const isStale = lastSuccessAt !== null && now.getTime() - lastSuccessAt.getTime() > mirror.staleAfterMinutes * 60_000;
  const withBeforeTrackedFrom = isBackfillWindowOpen(mirror, now);
  // Closed verdicts and every Update too: after a migration, a config change, or before this mirror's first mark.
  const isRebuild = input.includeClosed === true || !previous || previous.configHash !== configHash;
  const isEverythingDue = isRebuild || previous.wasStale !== isStale;
  // Read before the verdicts, and only by a rebuild: the one pass that folds its Updates from what it holds.
  const upstreamMark = isRebuild ? await readUpstreamMark(db) : null;
  const sameTime = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

  let openVerdicts: Prisma.VerdictGetPayload<{ select: typeof verdictSelect }>[];
  let newPackages: PackageRow[];
  if (isEverythingDue) {
    [openVerdicts, newPackages] = await Promise.all([
      db.verdict.findMany({
        where: { mirrorId: mirror.id, ...(isRebuild ? {} : whereOpenVerdict(withBeforeTrackedFrom)) },
        select: verdictSelect,
      }),
      readPackagesWithoutVerdict(db, { mirrorId: mirror.id, idAfter: 0, idThrough: packageIdThrough }),
    ]);
  } else {
    const dueIds = await findDuePackageIds(db, {
      mirrorId: mirror.id,
      now,
      withBeforeTrackedFrom,
      evidenceIdAfter: previous.evidenceIdThrough,
      evidenceIdThrough,
      isTimeDue: previous.nextChangeAt !== null && previous.nextChangeAt.getTime() <= now.getTime(),
      isAskedSince:
        !sameTime(previous.lastSuccessAt, lastSuccessAt) ||
        !sameTime(previous.lastCheckedAllAt, lastCheckedAllAt) ||
        !sameTime(previous.nameChecksThrough, nameChecksThrough),
    });
    openVerdicts = [];
    for (const ids of chunk(dueIds)) {
      openVerdicts.push(...(await db.verdict.findMany({ where: { mirrorId: mirror.id, packageId: { in: ids } }, select: verdictSelect })));
    }
    newPackages =
      packageIdThrough > previous.packageIdThrough
        ? await readPackagesWithoutVerdict(db, { mirrorId: mirror.id, idAfter: previous.packageIdThrough, idThrough: packageIdThrough })
        : [];
  }
  const evaluation = {
    evaluatedAt: now,
    packageIdThrough,
    evidenceIdThrough,
    lastSuccessAt,
    lastCheckedAllAt,
    nameChecksThrough,
    wasStale: isStale,
    configHash,
  };

  const names = [...new Set([...openVerdicts.map((verdict) => verdict.package.name), ...newPackages.map((row) => row.name)])];
  type EvidenceRow = VerdictInput["evidence"][number] & { id: number };
  const evidenceByKey = new Map<string, EvidenceRow[]>();
  // When a poll last asked about each name × major: its own check (per-package mirrors) or the last poll that asked about all.
  const checks = await findLastChecks(db, mirror.id, names);
  for (const namesChunk of chunk(names)) {
    // Raw columns: a first evaluation reads every build of the mirror, and Prisma's model decoding of tens of thousands
    // of rows cost more than the query.
    const evidence = await db.$queryRaw<RawEvidenceRow[]>`
      SELECT e."id" AS "id", e."name" AS "name", e."epoch" AS "epoch", e."version" AS "version", e."release" AS "release",
        e."major" AS "major", e."publishedAt" AS "publishedAt", e."publishedAtOrigin" AS "publishedAtOrigin",
        e."firstSeenAt" AS "firstSeenAt", e."lastAbsentAt" AS "lastAbsentAt"
      FROM "Evidence" e
      WHERE e."mirrorId" = ${mirror.id} AND e."name" IN (${Prisma.join(namesChunk)})
      ORDER BY e."id" ASC`;
    for (const row of evidence) {
      const major = Number(row.major);
      const key = `${row.name}\u0000${major}`;
      const list = evidenceByKey.get(key) ?? [];
      list.push({
        id: Number(row.id),
        name: row.name,
        epoch: row.epoch === null ? null : Number(row.epoch),
        version: row.version,
        release: row.release,
        publishedAt: row.publishedAt === null ? null : toDate(row.publishedAt),
        publishedAtOrigin: row.publishedAtOrigin as PublicationTimeOrigin | null,
        firstSeenAt: toDate(row.firstSeenAt),
        lastAbsentAt: row.lastAbsentAt === null ? null : toDate(row.lastAbsentAt),
      });
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
      nextChangeAt: nextVerdictChangeAt(result.status, row.advisory.issuedAt, mirror),
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
      verdict.matchReason === current.matchReason &&
      (verdict.nextChangeAt?.getTime() ?? null) === (current.nextChangeAt?.getTime() ?? null);
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

  /** Every verdict of the mirror as this pass leaves it; complete only in a rebuild, which read them all. */
  const heldVerdicts = (): HeldVerdict[] => {
    const held = (row: PackageRow, verdict: Omit<HeldVerdict, "advisoryId" | "major" | "issuedAt">) => ({
      advisoryId: row.advisoryId,
      major: row.major,
      issuedAt: row.advisory.issuedAt,
      status: verdict.status,
      statusReason: verdict.statusReason,
      lagSeconds: verdict.lagSeconds,
      publishedAt: verdict.publishedAt,
      nextChangeAt: verdict.nextChangeAt,
    });
    const updated = new Map(updates.map((update) => [update.packageId, update]));
    const packageOf = new Map(newPackages.map((row) => [row.id, row]));
    return [
      ...creates.map((create) => held(packageOf.get(create.packageId)!, create)),
      ...openVerdicts.map((current) => held(current.package, updated.get(current.packageId) ?? current)),
    ];
  };

  if (creates.length || updates.length || (isRebuild && openVerdicts.length)) {
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
        update.nextChangeAt?.toISOString() ?? null,
        update.statusChanged,
      ]);
      const group = groups.get(key) ?? { ...update, packageIds: [] };
      group.packageIds.push(update.packageId);
      groups.set(key, group);
    }
    await db.$transaction(async (tx) => {
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
          "nextChangeAt",
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
          row.nextChangeAt,
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
              nextChangeAt: group.nextChangeAt,
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
      // The Updates of every advisory a written verdict belongs to, folded again in the same transaction.
      const advisoryOf = new Map([...openVerdicts.map((row) => [row.packageId, row.package.advisoryId] as const)]);
      for (const row of newPackages) advisoryOf.set(row.id, row.advisoryId);
      const touched = isRebuild
        ? [...advisoryOf.values()]
        : [...creates.map((row) => row.packageId), ...updates.map((row) => row.packageId)].map((id) => advisoryOf.get(id)!);
      await refreshMirrorUpdates(tx, {
        mirrorId: mirror.id,
        advisoryIds: touched,
        now,
        // A rebuild read every verdict of the mirror: the Updates fold from what this pass holds, not a read back,
        // unless an upstream poll wrote since (a package removed, a release time moved): then what the database holds.
        ...(isRebuild && (await readUpstreamMark(tx)) === upstreamMark ? { allVerdicts: heldVerdicts() } : {}),
      });
      await recordEvaluation(tx, mirror.id, evaluation, { isChanged: true });
    }, EVALUATION_TRANSACTION_OPTIONS);
  } else if (!previous || openVerdicts.length || newPackages.length || !isSameEvaluation(previous, evaluation)) {
    await recordEvaluation(db, mirror.id, evaluation, { isChanged: false });
  }
  return { evaluated: openVerdicts.length + newPackages.length, created: creates.length, changed: updates.length };
}
