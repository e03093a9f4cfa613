import "server-only";

import type { StoredEvidence } from "../../core/types";
import type { Db } from "../db/client";

const CHUNK = 500;

/** Evidence already stored for the mirror, by ref: for those package names, or all of them (names null). */
export async function listStoredEvidence(db: Db, mirrorId: string, names: string[] | null): Promise<Map<string, StoredEvidence>> {
  const byRef = new Map<string, StoredEvidence>();
  const select = { ref: true, commitSha: true, publishedAt: true } as const;
  const batches =
    names === null
      ? [null]
      : Array.from({ length: Math.ceil(names.length / CHUNK) }, (_, index) => names.slice(index * CHUNK, (index + 1) * CHUNK));
  for (const batch of batches) {
    const rows = await db.evidence.findMany({ where: { mirrorId, ...(batch ? { name: { in: batch } } : {}) }, select });
    for (const row of rows) byRef.set(row.ref, { commitSha: row.commitSha, publishedAt: row.publishedAt });
  }
  return byRef;
}
