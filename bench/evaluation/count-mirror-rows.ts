import type Database from "better-sqlite3";

/** Rows per table of one mirror, for every table with a "mirrorId" column. */
export function countMirrorRows(sqlite: Database.Database, mirrorId: string): Map<string, number> {
  const tables = sqlite
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_prisma%'`)
    .pluck()
    .all() as string[];
  const counts = new Map<string, number>();
  for (const table of tables) {
    const columns = sqlite.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[];
    if (!columns.includes("mirrorId")) continue;
    counts.set(table, sqlite.prepare(`SELECT COUNT(*) FROM "${table}" WHERE "mirrorId" = ?`).pluck().get(mirrorId) as number);
  }
  return counts;
}
