import type { Db } from "../db/client";

/** Progress of the poll under way, shown by the pages and logged by the worker. */
export async function recordSourceProgress(
  db: Db,
  input: { sourceId: string; sourceKind: "upstream" | "mirror"; step: string; done: number; total: number | null; now: Date },
): Promise<void> {
  const data = { progressStep: input.step, progressDone: input.done, progressTotal: input.total, progressUpdatedAt: input.now };
  await db.sourceState.upsert({
    where: { sourceId: input.sourceId },
    create: { sourceId: input.sourceId, sourceKind: input.sourceKind, ...data },
    update: data,
  });
}

export async function getSyncState<T>(db: Db, sourceId: string, fallback: T): Promise<T> {
  const state = await db.sourceState.findUnique({ where: { sourceId }, select: { syncState: true } });
  if (!state) return fallback;
  try {
    return { ...fallback, ...(JSON.parse(state.syncState) as Partial<T>) };
  } catch {
    return fallback;
  }
}
