import Database from "better-sqlite3";
import { computeMedian } from "./compute-median";

const BASELINE_MIRROR_ID = "bench-raw-insert-baseline";

export interface RawInsertBaseline {
  /** Median wall time of the repetitions. */
  ms: number;
  /** Median CPU time (user + system) of this process over the same repetitions. */
  cpuMs: number;
  rowsByTable: Record<string, number>;
}

/**
 * The floor for writing what an evaluation wrote: the same rows of `tables` (every one of `mirrorId`'s), under a second
 * mirror in the same database file, through one prepared better-sqlite3 INSERT per table in one transaction. The copies
 * are deleted after each repetition (not timed).
 */
export function measureRawInsertBaseline(input: {
  file: string;
  mirrorId: string;
  tables: string[];
  repetitions: number;
}): RawInsertBaseline {
  const sqlite = new Database(input.file, { timeout: 30_000 });
  try {
    const mirrorColumns = sqlite.prepare(`SELECT name FROM pragma_table_info('Mirror')`).pluck().all() as string[];
    const copies = input.tables.map((table) => {
      const info = sqlite.prepare(`SELECT name, type, pk FROM pragma_table_info(?)`).all(table) as Array<{
        name: string;
        type: string;
        pk: number;
      }>;
      // An INTEGER PRIMARY KEY alone is the rowid (autoincrement): the copy gets a new one, as the evaluation's row did.
      const keyColumns = info.filter((column) => column.pk > 0);
      const isRowid = keyColumns.length === 1 && keyColumns[0].type.toUpperCase() === "INTEGER";
      const columns = info.map((column) => column.name).filter((name) => !(isRowid && name === keyColumns[0].name));
      const mirrorIndex = columns.indexOf("mirrorId");
      const quoted = columns.map((name) => `"${name}"`).join(",");
      const rows = sqlite.prepare(`SELECT ${quoted} FROM "${table}" WHERE "mirrorId" = ?`).raw().all(input.mirrorId) as unknown[][];
      for (const row of rows) row[mirrorIndex] = BASELINE_MIRROR_ID;
      const insert = sqlite.prepare(`INSERT INTO "${table}" (${quoted}) VALUES (${columns.map(() => "?").join(",")})`);
      return { table, rows, insert };
    });
    const insertMirror = sqlite.prepare(
      `INSERT INTO "Mirror" (${mirrorColumns.map((name) => `"${name}"`).join(",")})
       SELECT ${mirrorColumns.map((name) => (name === "id" ? "?" : `"${name}"`)).join(",")} FROM "Mirror" WHERE "id" = ?`,
    );
    const removeCopies = sqlite.transaction(() => {
      for (const { table } of copies) sqlite.prepare(`DELETE FROM "${table}" WHERE "mirrorId" = ?`).run(BASELINE_MIRROR_ID);
      sqlite.prepare(`DELETE FROM "Mirror" WHERE "id" = ?`).run(BASELINE_MIRROR_ID);
    });
    const insertAll = sqlite.transaction(() => {
      for (const { rows, insert } of copies) for (const row of rows) insert.run(row);
    });

    const timings: number[] = [];
    const cpuTimings: number[] = [];
    for (let repetition = 0; repetition < input.repetitions; repetition++) {
      insertMirror.run(BASELINE_MIRROR_ID, input.mirrorId);
      const start = process.hrtime.bigint();
      const cpuStart = process.cpuUsage();
      insertAll();
      const cpu = process.cpuUsage(cpuStart);
      timings.push(Number(process.hrtime.bigint() - start) / 1e6);
      cpuTimings.push((cpu.user + cpu.system) / 1000);
      removeCopies();
    }
    return {
      ms: computeMedian(timings),
      cpuMs: computeMedian(cpuTimings),
      rowsByTable: Object.fromEntries(copies.map(({ table, rows }) => [table, rows.length])),
    };
  } finally {
    sqlite.close();
  }
}
