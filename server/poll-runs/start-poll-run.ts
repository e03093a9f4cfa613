import "server-only";

import type { Db } from "../db/client";

export async function startPollRun(db: Db, input: { sourceId: string; sourceKind: "upstream" | "mirror"; now: Date }): Promise<number> {
  const run = await db.pollRun.create({
    data: { sourceId: input.sourceId, sourceKind: input.sourceKind, startedAt: input.now, outcome: "running" },
    select: { id: true },
  });
  return run.id;
}

/**
 * A worker that died mid-poll leaves runs "running": close them as failed. With one worker, at its next start (every
 * running run is its own); with a job queue, for one source when its poll job starts again (the queue runs one poll job
 * per source at a time, so a run still open belongs to a job whose worker died and whose claim expired).
 */
export async function failInterruptedPollRuns(db: Db, now: Date, input: { sourceId?: string } = {}): Promise<number> {
  const result = await db.pollRun.updateMany({
    where: { outcome: "running", ...(input.sourceId === undefined ? {} : { sourceId: input.sourceId }) },
    data: { outcome: "failed", finishedAt: now, errorKind: "internal", errorMessage: "interrupted: the worker stopped during this poll" },
  });
  return result.count;
}
