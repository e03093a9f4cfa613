import "server-only";

import { Prisma } from "../../prisma/generated/sqlite/client";
import type { Db, DbTransaction } from "./client";

const MAX_PARAMETERS = 30_000;

type Value = string | number | boolean | Date | null;

/**
 * Multi-row INSERT through the Prisma connection, for bulk paths: about 10× faster than createMany
 * here. Table and column names come from code, never from input; values are bound parameters.
 * Returns how many rows were inserted.
 */
export async function insertRows(
  db: Db | DbTransaction,
  table: string,
  columns: readonly string[],
  rows: readonly Value[][],
  options: { onConflictDoNothing?: string } = {},
): Promise<number> {
  if (rows.length === 0) return 0;
  const rowsPerStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  const head = Prisma.raw(`INSERT INTO "${table}" (${columns.map((column) => `"${column}"`).join(", ")}) VALUES `);
  // Rows whose unique column already holds the value are skipped (SQLite and PostgreSQL spell it alike).
  const tail = options.onConflictDoNothing ? Prisma.raw(` ON CONFLICT ("${options.onConflictDoNothing}") DO NOTHING`) : Prisma.empty;
  let inserted = 0;
  for (let index = 0; index < rows.length; index += rowsPerStatement) {
    const values = rows.slice(index, index + rowsPerStatement).map((row) => Prisma.sql`(${Prisma.join(row)})`);
    inserted += await db.$executeRaw`${head}${Prisma.join(values)}${tail}`;
  }
  return inserted;
}
