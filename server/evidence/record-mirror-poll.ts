import type { FoundBuild } from "../../core/types";
import type { KnownRef } from "../../sources/source-contracts";
import type { Db } from "../db/client";
import { insertRows } from "../db/insert-rows";
import { finishPollRun } from "../poll-runs/finish-poll-run";
import type { PollRunReport } from "../poll-runs/poll-run-outcome";

const CHUNK = 500;

/** Stores the builds a mirror poll found for the first time, with its PollRun, in one transaction. */
export async function recordMirrorPoll(
  db: Db,
  input: { mirrorId: string; pollRunId: number; now: Date; newBuilds: FoundBuild[]; report: PollRunReport; syncState?: string },
): Promise<void> {
  await db.$transaction(
    async (tx) => {
      // A listing mirror's first poll brings every build it has: tens of thousands of rows.
      await insertRows(
        tx,
        "Evidence",
        ["mirrorId", "name", "epoch", "version", "release", "major", "moduleStream", "kind", "ref", "url", "commitSha", "firstSeenAt", "publishedAt", "publishedAtOrigin"],
        input.newBuilds.map((build) => [
          input.mirrorId, build.name, build.epoch, build.version, build.release, build.major, build.moduleStream,
          build.evidenceKind, build.ref, build.url, build.commitSha, input.now, build.publishedAt,
          // The contract says null exactly when publishedAt is: an origin without a time would be a lie.
          build.publishedAt === null ? null : build.publishedAtOrigin,
        ]),
      );
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
