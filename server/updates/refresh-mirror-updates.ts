import "server-only";

import { foldUpdate, type UpdateRollup } from "../../core/update/fold-update";
import type { VerdictStatus } from "../../core/types";
import { Prisma } from "../../prisma/generated/sqlite/client";
import type { DbTransaction } from "../db/client";
import { insertRows } from "../db/insert-rows";
import { toDate, type RawInstant } from "../db/raw-instant";

const CHUNK = 500;

interface RawVerdictRow {
  advisoryId: string;
  major: number | bigint;
  issuedAt: RawInstant;
  status: string;
  statusReason: string | null;
  lagSeconds: number | bigint | null;
  publishedAt: RawInstant | null;
  nextChangeAt: RawInstant | null;
}

/** A package's verdict on the mirror as the caller holds it in memory: what the read below would return for it. */
export interface HeldVerdict {
  advisoryId: string;
  major: number;
  issuedAt: Date;
  status: string;
  statusReason: string | null;
  lagSeconds: number | null;
  publishedAt: Date | null;
  nextChangeAt: Date | null;
}

interface StoredUpdate extends UpdateRollup {
  advisoryId: string;
  major: number;
  issuedAt: Date;
  since: Date;
}

const keyOf = (advisoryId: string, major: number) => `${advisoryId}\u0000${major}`;
const time = (date: Date | null) => date?.getTime() ?? null;

function isSameUpdate(a: StoredUpdate, b: StoredUpdate): boolean {
  return (
    a.status === b.status &&
    a.statusReason === b.statusReason &&
    time(a.publishedAt) === time(b.publishedAt) &&
    a.lagSeconds === b.lagSeconds &&
    a.isPublishedBeforeTracking === b.isPublishedBeforeTracking &&
    a.isUnchecked === b.isUnchecked &&
    a.packages === b.packages &&
    time(a.nextChangeAt) === time(b.nextChangeAt) &&
    time(a.overdueIssuedAt) === time(b.overdueIssuedAt) &&
    a.issuedAt.getTime() === b.issuedAt.getTime()
  );
}

/**
 * Re-folds the Updates (MirrorUpdate) of the given advisories on one mirror from their package verdicts, inside the
 * transaction that wrote those verdicts, and moves the per mirror × major counters (MirrorUpdateCount) by what
 * changed. Cost follows the advisories given, never the size of the database. Returns how many Updates changed.
 */
export async function refreshMirrorUpdates(
  tx: DbTransaction,
  input: {
    mirrorId: string;
    advisoryIds: Iterable<string>;
    now: Date;
    /**
     * Every verdict the mirror has, as written in this transaction, when the caller holds them all (a pass that read
     * every verdict of the mirror, or created them): the Updates fold from them instead of reading them back.
     */
    allVerdicts?: readonly HeldVerdict[];
  },
): Promise<number> {
  const advisoryIds = [...new Set(input.advisoryIds)];
  const deltas = new Map<string, { major: number; status: string; delta: number; beforeTracking: number }>();
  const count = (row: { major: number; status: string; isPublishedBeforeTracking: boolean }, delta: number) => {
    const key = `${row.major}\u0000${row.status}`;
    const entry = deltas.get(key) ?? { major: row.major, status: row.status, delta: 0, beforeTracking: 0 };
    entry.delta += delta;
    if (row.isPublishedBeforeTracking) entry.beforeTracking += delta;
    deltas.set(key, entry);
  };
  let changed = 0;
  const heldByAdvisory = new Map<string, HeldVerdict[]>();
  for (const verdict of input.allVerdicts ?? []) {
    const list = heldByAdvisory.get(verdict.advisoryId) ?? [];
    list.push(verdict);
    heldByAdvisory.set(verdict.advisoryId, list);
  }
  for (let index = 0; index < advisoryIds.length; index += CHUNK) {
    const ids = advisoryIds.slice(index, index + CHUNK);
    const [verdicts, stored] = await Promise.all([
      input.allVerdicts
        ? ids.flatMap((id) => heldByAdvisory.get(id) ?? [])
        : tx.$queryRaw<RawVerdictRow[]>`
        SELECT p."advisoryId" AS "advisoryId", p."major" AS "major", a."issuedAt" AS "issuedAt", v."status" AS "status",
          v."statusReason" AS "statusReason", v."lagSeconds" AS "lagSeconds", v."publishedAt" AS "publishedAt",
          v."nextChangeAt" AS "nextChangeAt"
        FROM "Package" p
          JOIN "Verdict" v ON v."packageId" = p."id" AND v."mirrorId" = ${input.mirrorId}
          JOIN "Advisory" a ON a."id" = p."advisoryId"
        WHERE p."advisoryId" IN (${Prisma.join(ids)})`,
      tx.mirrorUpdate.findMany({ where: { mirrorId: input.mirrorId, advisoryId: { in: ids } } }),
    ]);
    const groups = new Map<string, { advisoryId: string; major: number; issuedAt: Date; rows: (RawVerdictRow | HeldVerdict)[] }>();
    for (const row of verdicts) {
      const major = Number(row.major);
      const key = keyOf(row.advisoryId, major);
      const group = groups.get(key) ?? { advisoryId: row.advisoryId, major, issuedAt: toDate(row.issuedAt), rows: [] };
      group.rows.push(row);
      groups.set(key, group);
    }
    const storedByKey = new Map(stored.map((row) => [keyOf(row.advisoryId, row.major), row as unknown as StoredUpdate]));
    const folded: StoredUpdate[] = [];
    // An advisory is rewritten whole (every major) when any of its Updates changed or lost its last package.
    const changedAdvisories = new Set<string>();
    for (const group of groups.values()) {
      const rollup = foldUpdate(
        group.issuedAt,
        group.rows.map((row) => ({
          status: row.status as VerdictStatus,
          statusReason: row.statusReason,
          lagSeconds: row.lagSeconds === null ? null : Number(row.lagSeconds),
          publishedAt: row.publishedAt === null ? null : toDate(row.publishedAt),
          nextChangeAt: row.nextChangeAt === null ? null : toDate(row.nextChangeAt),
        })),
      );
      const before = storedByKey.get(keyOf(group.advisoryId, group.major));
      const after: StoredUpdate = {
        ...rollup,
        advisoryId: group.advisoryId,
        major: group.major,
        issuedAt: group.issuedAt,
        since: before && before.status === rollup.status ? before.since : input.now,
      };
      folded.push(after);
      if (!before || !isSameUpdate(before, after)) {
        changedAdvisories.add(group.advisoryId);
        changed++;
      }
    }
    for (const [key, before] of storedByKey) {
      if (groups.has(key)) continue;
      changedAdvisories.add(before.advisoryId);
      changed++;
    }
    if (changedAdvisories.size === 0) continue;
    const removals = stored.filter((row) => changedAdvisories.has(row.advisoryId));
    const writes = folded.filter((row) => changedAdvisories.has(row.advisoryId));
    for (const row of removals) count(row, -1);
    for (const row of writes) count(row, +1);
    if (removals.length) {
      await tx.mirrorUpdate.deleteMany({ where: { mirrorId: input.mirrorId, advisoryId: { in: [...changedAdvisories] } } });
    }
    await insertRows(
      tx,
      "MirrorUpdate",
      [
        "mirrorId",
        "advisoryId",
        "major",
        "status",
        "statusReason",
        "issuedAt",
        "publishedAt",
        "lagSeconds",
        "isPublishedBeforeTracking",
        "isUnchecked",
        "packages",
        "since",
        "nextChangeAt",
        "overdueIssuedAt",
      ],
      writes.map((row) => [
        input.mirrorId,
        row.advisoryId,
        row.major,
        row.status,
        row.statusReason,
        row.issuedAt,
        row.publishedAt,
        row.lagSeconds,
        row.isPublishedBeforeTracking,
        row.isUnchecked,
        row.packages,
        row.since,
        row.nextChangeAt,
        row.overdueIssuedAt,
      ]),
    );
  }
  for (const { major, status, delta, beforeTracking } of deltas.values()) {
    if (delta === 0 && beforeTracking === 0) continue;
    // SQLite and PostgreSQL spell the upsert alike.
    await tx.$executeRaw`INSERT INTO "MirrorUpdateCount" ("mirrorId", "major", "status", "count", "beforeTracking")
      VALUES (${input.mirrorId}, ${major}, ${status}, ${delta}, ${beforeTracking})
      ON CONFLICT ("mirrorId", "major", "status") DO UPDATE SET "count" = "MirrorUpdateCount"."count" + excluded."count",
        "beforeTracking" = "MirrorUpdateCount"."beforeTracking" + excluded."beforeTracking"`;
  }
  return changed;
}
