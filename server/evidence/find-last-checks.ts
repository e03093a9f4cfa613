import "server-only";

import type { Db, DbTransaction } from "../db/client";

const CHUNK = 500;

export interface LastChecks {
  lastCheckedAllAt: Date | null;
  byNameAndMajor: ReadonlyMap<string, Date>;
}

const checkKey = (name: string, major: number) => `${name}\u0000${major}`;

/**
 * When the mirror was last asked about each name × major, before this poll: the later of its own check and the last
 * poll that asked about everything. Missing from the map: never asked.
 */
export async function findLastChecks(db: Db | DbTransaction, mirrorId: string, names: readonly string[]): Promise<LastChecks> {
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
export function lastCheckOf(checks: LastChecks, name: string, major: number): Date | null {
  const own = checks.byNameAndMajor.get(checkKey(name, major)) ?? null;
  const all = checks.lastCheckedAllAt;
  return own === null || (all !== null && all > own) ? all : own;
}
