import type { FoundBuild } from "../../core/types";
import type { KnownRef } from "../../sources/source-contracts";
import { Prisma } from "../../prisma/generated/sqlite/client";
import type { Db, DbTransaction } from "../db/client";
import { whereOpenVerdict } from "../verdicts/open-verdicts";
import { insertRows } from "../db/insert-rows";
import { finishPollRun } from "../poll-runs/finish-poll-run";
import type { PollRunReport } from "../poll-runs/poll-run-outcome";

const CHUNK = 500;

/**
 * What a poll asked the mirror about: `all` (a listing mirror's poll reads everything), the package names and RHEL
 * majors a per-package poll looked up successfully, or nothing (a failed poll).
 */
export type CheckedNames = "all" | ReadonlyMap<string, ReadonlySet<number>>;

const checkKey = (name: string, major: number) => `${name}\u0000${major}`;

/**
 * When the mirror was last asked about each name × major, before this poll: the later of its own check and the last
 * poll that asked about everything. Missing from the map: never asked.
 */
export async function findLastChecks(
  db: Db | DbTransaction,
  mirrorId: string,
  names: readonly string[],
): Promise<{ lastCheckedAllAt: Date | null; byNameAndMajor: Map<string, Date> }> {
  const state = await db.sourceState.findUnique({ where: { sourceId: mirrorId }, select: { lastCheckedAllAt: true } });
  const byNameAndMajor = new Map<string, Date>();
  for (let index = 0; index < names.length; index += CHUNK) {
    const rows = await db.mirrorNameCheck.findMany({
      where: { mirrorId, name: { in: names.slice(index, index + CHUNK) } },
      select: { name: true, major: true, lastCheckedAt: true },
    });
    for (const row of rows) byNameAndMajor.set(checkKey(row.name, row.major), row.lastCheckedAt);
  }
  return { lastCheckedAllAt: state?.lastCheckedAllAt ?? null, byNameAndMajor };
}

/** The later of a name × major's own check and the last poll that asked about everything; null: never asked. */
export function lastCheckOf(checks: { lastCheckedAllAt: Date | null; byNameAndMajor: ReadonlyMap<string, Date> }, name: string, major: number): Date | null {
  const own = checks.byNameAndMajor.get(checkKey(name, major)) ?? null;
  const all = checks.lastCheckedAllAt;
  return own === null || (all !== null && all > own) ? all : own;
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
  // Read before the transaction: on SQLite a transaction that reads first and then writes fails at once with
  // SQLITE_BUSY when another process holds the write lock, while one that starts by writing waits for it. No other
  // poll of this mirror runs meanwhile (the scheduler polls a mirror once at a time), so the checks cannot move.
  const lastChecks = await findLastChecks(db, input.mirrorId, [...new Set(input.newBuilds.map((build) => build.name))]);
  await db.$transaction(
    async (tx) => {
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
          lastCheckOf(lastChecks, build.name, build.major),
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

async function upsertNameChecks(tx: DbTransaction, mirrorId: string, checked: ReadonlyMap<string, ReadonlySet<number>>, at: Date): Promise<void> {
  const pairs = [...checked].flatMap(([name, majors]) => [...majors].map((major) => ({ name, major })));
  for (let index = 0; index < pairs.length; index += CHUNK) {
    const rows = pairs.slice(index, index + CHUNK).map(({ name, major }) => Prisma.sql`(${mirrorId}, ${name}, ${major}, ${at})`);
    // SQLite and PostgreSQL spell the upsert alike.
    await tx.$executeRaw`INSERT INTO "MirrorNameCheck" ("mirrorId", "name", "major", "lastCheckedAt") VALUES ${Prisma.join(rows)}
      ON CONFLICT ("mirrorId", "name", "major") DO UPDATE SET "lastCheckedAt" = excluded."lastCheckedAt"`;
  }
}

/**
 * Packages this mirror still has to show — open or not yet evaluated verdicts — by name and major (never a crawl of
 * every repository). `withBeforeTrackedFrom`: also those judged released before the mirror began, while it may still
 * be importing them (server/verdicts/open-verdicts.ts).
 */
export async function listOpenPackageNames(db: Db, mirrorId: string, options: { withBeforeTrackedFrom?: boolean } = {}): Promise<Map<string, Set<number>>> {
  const [open, unevaluated] = await Promise.all([
    db.verdict.findMany({
      where: { mirrorId, ...whereOpenVerdict(options.withBeforeTrackedFrom ?? false) },
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
