import type { FoundBuild } from "../../core/types";
import type { Db } from "../db/client";
import { finishPollRun } from "../poll-runs/finish-poll-run";
import type { PollRunReport } from "../poll-runs/poll-run-outcome";

const CHUNK = 500;

/** Stores the builds a mirror poll found for the first time, with its PollRun, in one transaction. */
export async function recordMirrorPoll(
  db: Db,
  input: { mirrorId: string; pollRunId: number; now: Date; newBuilds: FoundBuild[]; report: PollRunReport },
): Promise<void> {
  await db.$transaction(
    async (tx) => {
      for (let index = 0; index < input.newBuilds.length; index += CHUNK) {
        await tx.evidence.createMany({
          data: input.newBuilds.slice(index, index + CHUNK).map((build) => ({
            mirrorId: input.mirrorId,
            name: build.name,
            epoch: build.epoch,
            version: build.version,
            release: build.release,
            major: build.major,
            moduleStream: build.moduleStream,
            ref: build.ref,
            url: build.url,
            commitSha: build.commitSha,
            firstSeenAt: input.now,
            publishedAt: build.publishedAt,
          })),
        });
      }
      await finishPollRun(tx, { pollRunId: input.pollRunId, sourceId: input.mirrorId, sourceKind: "mirror", now: input.now, report: input.report });
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

export async function listKnownRefs(db: Db, mirrorId: string, names: string[]): Promise<Map<string, Map<string, { commitSha: string | null; publishedAt: Date | null }>>> {
  const byName = new Map<string, Map<string, { commitSha: string | null; publishedAt: Date | null }>>();
  for (let index = 0; index < names.length; index += CHUNK) {
    const rows = await db.evidence.findMany({
      where: { mirrorId, name: { in: names.slice(index, index + CHUNK) } },
      select: { name: true, ref: true, commitSha: true, publishedAt: true },
    });
    for (const row of rows) {
      const refs = byName.get(row.name) ?? new Map();
      refs.set(row.ref, { commitSha: row.commitSha, publishedAt: row.publishedAt });
      byName.set(row.name, refs);
    }
  }
  return byName;
}
