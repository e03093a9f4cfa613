import "server-only";

import type { Db } from "../db/client";

export async function startPollRun(db: Db, input: { sourceId: string; sourceKind: "upstream" | "mirror"; now: Date }): Promise<number> {
  const run = await db.pollRun.create({
    data: { sourceId: input.sourceId, sourceKind: input.sourceKind, startedAt: input.now, outcome: "running" },
    select: { id: true },
  });
  return run.id;
}

/** A worker that died mid-poll leaves runs "running": close them as failed at the next start. */
export async function failInterruptedPollRuns(db: Db, now: Date): Promise<number> {
  const result = await db.pollRun.updateMany({
    where: { outcome: "running" },
    data: { outcome: "failed", finishedAt: now, errorKind: "internal", errorMessage: "interrupted: the worker stopped during this poll" },
  });
  return result.count;
}
