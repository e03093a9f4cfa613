import "server-only";

import type { Evidence } from "../../core/types";
import { Prisma } from "../../prisma/generated/sqlite/client";
import type { Db, DbTransaction } from "../db/client";
import { insertRows } from "../db/insert-rows";
import { finishPollRun } from "../poll-runs/finish-poll-run";
import type { PollRunReport } from "../poll-runs/poll-run-outcome";
import { catchUpNewestBuilds } from "./catch-up-newest-builds";
import { findLastChecks, lastCheckOf } from "./find-last-checks";

const CHUNK = 500;

/**
 * What a poll asked the mirror about: `all` (a listing mirror's poll reads everything), the package names and RHEL
 * majors a per-package poll looked up successfully, or nothing (a failed poll).
 */
export type CheckedNames = "all" | ReadonlyMap<string, ReadonlySet<number>>;

/**
 * Stores the builds a mirror poll found for the first time, with its PollRun and what it asked about, in one
 * transaction. Each new build keeps the start of the last poll that asked about its name without seeing it
 * (`lastAbsentAt`): without it, a build without a mirror time was published before tracking. The mirror's NewestBuild
 * rows take the new builds in the same transaction.
 */
export async function recordMirrorPoll(
  db: Db,
  input: {
    mirrorId: string;
    pollRunId: number;
    /** The poll's start: the moment it asked. */
    startedAt: Date;
    now: Date;
    newBuilds: Evidence[];
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
        [
          "mirrorId",
          "name",
          "epoch",
          "version",
          "release",
          "major",
          "moduleStream",
          "kind",
          "ref",
          "url",
          "commitSha",
          "firstSeenAt",
          "publishedAt",
          "publishedAtOrigin",
          "lastAbsentAt",
        ],
        input.newBuilds.map((build) => [
          input.mirrorId,
          build.name,
          build.epoch,
          build.version,
          build.release,
          build.major,
          build.moduleStream,
          build.evidenceKind,
          build.ref,
          build.url,
          build.commitSha,
          input.now,
          build.publishedAt,
          // The contract says null exactly when publishedAt is: an origin without a time would be a lie.
          build.publishedAt === null ? null : build.publishedAtOrigin,
          lastCheckOf(lastChecks, build.name, build.major),
        ]),
      );
      // The newest build per name × major moves with the rows that could move it, in the same transaction.
      await catchUpNewestBuilds(tx, input.mirrorId);
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

async function upsertNameChecks(
  tx: DbTransaction,
  mirrorId: string,
  checked: ReadonlyMap<string, ReadonlySet<number>>,
  at: Date,
): Promise<void> {
  const pairs = [...checked].flatMap(([name, majors]) => [...majors].map((major) => ({ name, major })));
  for (let index = 0; index < pairs.length; index += CHUNK) {
    const rows = pairs.slice(index, index + CHUNK).map(({ name, major }) => Prisma.sql`(${mirrorId}, ${name}, ${major}, ${at})`);
    // SQLite and PostgreSQL spell the upsert alike.
    await tx.$executeRaw`INSERT INTO "MirrorNameCheck" ("mirrorId", "name", "major", "lastCheckedAt") VALUES ${Prisma.join(rows)}
      ON CONFLICT ("mirrorId", "name", "major") DO UPDATE SET "lastCheckedAt" = excluded."lastCheckedAt"`;
  }
}
