import type { FoundBuild } from "../../core/types";
import type { KnownRef } from "../../sources/source-contracts";
import { Prisma } from "../../prisma/generated/sqlite/client";
import type { Db, DbTransaction } from "../db/client";
import { insertRows } from "../db/insert-rows";
import { finishPollRun } from "../poll-runs/finish-poll-run";
import type { PollRunReport } from "../poll-runs/poll-run-outcome";

const CHUNK = 500;

/**
 * What a poll asked the mirror about: `all` (a listing mirror's poll reads everything), the package names a
 * per-package poll looked up successfully, or nothing (a failed poll).
 */
export type CheckedNames = "all" | readonly string[];

/**
 * When the mirror was last asked about each name, before this poll: the later of the name's own check and the last
 * poll that asked about everything. null: never asked.
 */
async function findLastChecks(tx: DbTransaction, mirrorId: string, names: readonly string[]): Promise<Map<string, Date | null>> {
  const state = await tx.sourceState.findUnique({ where: { sourceId: mirrorId }, select: { lastCheckedAllAt: true } });
  const checks = new Map<string, Date | null>(names.map((name) => [name, state?.lastCheckedAllAt ?? null]));
  for (let index = 0; index < names.length; index += CHUNK) {
    const rows = await tx.mirrorNameCheck.findMany({ where: { mirrorId, name: { in: names.slice(index, index + CHUNK) } }, select: { name: true, lastCheckedAt: true } });
    for (const row of rows) {
      const all = checks.get(row.name) ?? null;
      checks.set(row.name, all === null || row.lastCheckedAt > all ? row.lastCheckedAt : all);
    }
  }
  return checks;
}

/**
 * Stores the builds a mirror poll found for the first time, with its PollRun and what it asked about, in one
 * transaction. Each new build keeps the start of the last poll that asked about its name without seeing it
 * (`lastAbsentAt`): without it, a build without a mirror time was published before tracking.
 */
export async function recordMirrorPoll(
  db: Db,
  input: {
    mirrorId: string;
    pollRunId: number;
    /** The poll's start: the moment it asked. */
    startedAt: Date;
    now: Date;
    newBuilds: FoundBuild[];
    checkedNames: CheckedNames;
    report: PollRunReport;
    syncState?: string;
  },
): Promise<void> {
  await db.$transaction(
    async (tx) => {
      const lastChecks = await findLastChecks(tx, input.mirrorId, [...new Set(input.newBuilds.map((build) => build.name))]);
      // A listing mirror's first poll brings every build it has: tens of thousands of rows.
      await insertRows(
        tx,
        "Evidence",
        ["mirrorId", "name", "epoch", "version", "release", "major", "moduleStream", "kind", "ref", "url", "commitSha", "firstSeenAt", "publishedAt", "publishedAtOrigin", "lastAbsentAt"],
        input.newBuilds.map((build) => [
          input.mirrorId, build.name, build.epoch, build.version, build.release, build.major, build.moduleStream,
          build.evidenceKind, build.ref, build.url, build.commitSha, input.now, build.publishedAt,
          // The contract says null exactly when publishedAt is: an origin without a time would be a lie.
          build.publishedAt === null ? null : build.publishedAtOrigin,
          lastChecks.get(build.name) ?? null,
        ]),
      );
      if (input.checkedNames === "all") {
        await tx.sourceState.upsert({
          where: { sourceId: input.mirrorId },
          create: { sourceId: input.mirrorId, sourceKind: "mirror", lastCheckedAllAt: input.startedAt },
          update: { lastCheckedAllAt: input.startedAt },
        });
      } else {
        await upsertNameChecks(tx, input.mirrorId, input.checkedNames, input.startedAt);
      }
      await finishPollRun(tx, {
        pollRunId: input.pollRunId,
        sourceId: input.mirrorId,
        sourceKind: "mirror",
        now: input.now,
        report: input.report,
        syncState: input.syncState,
      });
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}

async function upsertNameChecks(tx: DbTransaction, mirrorId: string, names: readonly string[], at: Date): Promise<void> {
  for (let index = 0; index < names.length; index += CHUNK) {
    const rows = names.slice(index, index + CHUNK).map((name) => Prisma.sql`(${mirrorId}, ${name}, ${at})`);
    // SQLite and PostgreSQL spell the upsert alike.
    await tx.$executeRaw`INSERT INTO "MirrorNameCheck" ("mirrorId", "name", "lastCheckedAt") VALUES ${Prisma.join(rows)}
      ON CONFLICT ("mirrorId", "name") DO UPDATE SET "lastCheckedAt" = excluded."lastCheckedAt"`;
  }
}

/** Packages this mirror still has to show — open or not yet evaluated verdicts — by name and major (never a crawl of every repository). */
export async function listOpenPackageNames(db: Db, mirrorId: string): Promise<Map<string, Set<number>>> {
  const [open, unevaluated] = await Promise.all([
    db.verdict.findMany({
      where: { mirrorId, status: { notIn: ["published", "not_applicable"] } },
      select: { package: { select: { name: true, major: true } } },
    }),
    db.package.findMany({ where: { verdicts: { none: { mirrorId } } }, select: { name: true, major: true } }),
  ]);
  const byName = new Map<string, Set<number>>();
  for (const pkg of [...open.map((row) => row.package), ...unevaluated]) {
    const majors = byName.get(pkg.name) ?? new Set<number>();
    majors.add(pkg.major);
    byName.set(pkg.name, majors);
  }
  return byName;
}

/** Evidence refs the mirror already has: for those package names, or all of them (names null). */
export async function listKnownRefs(db: Db, mirrorId: string, names: string[] | null): Promise<Map<string, KnownRef>> {
  const refs = new Map<string, KnownRef>();
  const select = { ref: true, commitSha: true, publishedAt: true } as const;
  const batches = names === null ? [null] : Array.from({ length: Math.ceil(names.length / CHUNK) }, (_, index) => names.slice(index * CHUNK, (index + 1) * CHUNK));
  for (const batch of batches) {
    const rows = await db.evidence.findMany({ where: { mirrorId, ...(batch ? { name: { in: batch } } : {}) }, select });
    for (const row of rows) refs.set(row.ref, { commitSha: row.commitSha, publishedAt: row.publishedAt });
  }
  return refs;
}
