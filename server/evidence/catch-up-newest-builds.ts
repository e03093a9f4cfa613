import "server-only";

import { foldNewestBuilds, newestBuildKey, type BuildVersion } from "../../core/newest-builds";
import { Prisma } from "../../prisma/generated/sqlite/client";
import type { Db, DbTransaction } from "../db/client";

/** Evidence rows folded per round: bounded memory however many builds a first poll brings. */
const BATCH = 2_000;
/** Names per read of the stored newest, rows per upsert: well under every driver's bound-parameter limit. */
const NAME_CHUNK = 500;
const UPSERT_CHUNK = 200;

type FoldedBuild = BuildVersion & { id: number };

/**
 * Folds the mirror's Evidence written after `SourceState.newestBuildsThrough` into NewestBuild, in id order, and moves
 * the mark to the last row folded. Cost grows with the new rows, not with the mirror's history: a stored newest is
 * read only for the names the new rows carry.
 *
 * Call it in the transaction that wrote the Evidence (recordMirrorPoll) or in one of its own (the start-up catch-up).
 * It starts by writing the mirror's SourceState row, which serialises catch-ups of one mirror: a PostgreSQL row lock,
 * SQLite's write lock.
 */
export async function catchUpNewestBuilds(tx: DbTransaction, mirrorId: string): Promise<{ folded: number; changed: number }> {
  // An upsert that changes nothing but takes the row (and, on SQLite, the write lock) and returns the mark.
  const [mark] = await tx.$queryRaw<{ through: number | bigint }[]>`
    INSERT INTO "SourceState" ("sourceId", "sourceKind") VALUES (${mirrorId}, 'mirror')
    ON CONFLICT ("sourceId") DO UPDATE SET "newestBuildsThrough" = "SourceState"."newestBuildsThrough"
    RETURNING "newestBuildsThrough" AS "through"`;
  let through = Number(mark?.through ?? 0);
  let folded = 0;
  let changed = 0;
  for (;;) {
    const rows = await tx.evidence.findMany({
      where: { mirrorId, id: { gt: through } },
      orderBy: { id: "asc" },
      take: BATCH,
      select: { id: true, name: true, major: true, epoch: true, version: true, release: true },
    });
    if (rows.length === 0) break;
    const newest = await readStoredNewest(tx, mirrorId, [...new Set(rows.map((row) => row.name))]);
    const keys = foldNewestBuilds(newest, rows);
    await upsertNewest(
      tx,
      mirrorId,
      [...keys].map((key) => newest.get(key)!),
    );
    folded += rows.length;
    changed += keys.size;
    through = rows[rows.length - 1].id;
    if (rows.length < BATCH) break;
  }
  if (folded > 0) await tx.sourceState.update({ where: { sourceId: mirrorId }, data: { newestBuildsThrough: through } });
  return { folded, changed };
}

/**
 * Catches every configured mirror up, each in its own transaction: what a worker does at start (an upgrade's backfill).
 * A mirror with no build after its mark costs two index reads and no write.
 */
export async function catchUpAllNewestBuilds(db: Db, mirrorIds: readonly string[]): Promise<Map<string, number>> {
  const folded = new Map<string, number>();
  for (const mirrorId of mirrorIds) {
    const state = await db.sourceState.findUnique({ where: { sourceId: mirrorId }, select: { newestBuildsThrough: true } });
    const after = await db.evidence.findFirst({ where: { mirrorId, id: { gt: state?.newestBuildsThrough ?? 0 } }, select: { id: true } });
    if (!after) continue;
    const result = await db.$transaction((tx) => catchUpNewestBuilds(tx, mirrorId), { timeout: 600_000, maxWait: 60_000 });
    if (result.folded > 0) folded.set(mirrorId, result.folded);
  }
  return folded;
}

async function readStoredNewest(tx: DbTransaction, mirrorId: string, names: string[]): Promise<Map<string, FoldedBuild>> {
  const newest = new Map<string, FoldedBuild>();
  for (let index = 0; index < names.length; index += NAME_CHUNK) {
    const rows = await tx.newestBuild.findMany({
      where: { mirrorId, name: { in: names.slice(index, index + NAME_CHUNK) } },
      select: { evidence: { select: { id: true, name: true, major: true, epoch: true, version: true, release: true } } },
    });
    for (const { evidence } of rows) newest.set(newestBuildKey(evidence.name, evidence.major), evidence);
  }
  return newest;
}

async function upsertNewest(tx: DbTransaction, mirrorId: string, builds: FoldedBuild[]): Promise<void> {
  for (let index = 0; index < builds.length; index += UPSERT_CHUNK) {
    const values = builds
      .slice(index, index + UPSERT_CHUNK)
      .map((build) => Prisma.sql`(${mirrorId}, ${build.name}, ${build.major}, ${build.id})`);
    // SQLite and PostgreSQL spell the upsert alike.
    await tx.$executeRaw`INSERT INTO "NewestBuild" ("mirrorId", "name", "major", "evidenceId") VALUES ${Prisma.join(values)}
      ON CONFLICT ("mirrorId", "name", "major") DO UPDATE SET "evidenceId" = excluded."evidenceId"`;
  }
}
