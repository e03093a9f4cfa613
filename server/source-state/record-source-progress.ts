import "server-only";

import { safeDecodeSyncState } from "../db/codecs/sync-state-codec";
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

/** A source's incremental state as its last successful poll left it; null before the first one. */
export async function getSyncState(db: Db, sourceId: string): Promise<unknown> {
  const row = await db.sourceState.findUnique({ where: { sourceId }, select: { syncState: true, lastSuccessAt: true } });
  if (!row || !row.lastSuccessAt) return null;
  return safeDecodeSyncState(row.syncState);
}
