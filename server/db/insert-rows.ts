import "server-only";

import { Prisma } from "../../prisma/generated/sqlite/client";
import type { Db, DbTransaction } from "./client";

/** Rows per statement: one JSON text of a few megabytes at most, whatever the row count. */
const ROWS_PER_STATEMENT = 5_000;

type Value = string | number | boolean | Date | null;

/** The provider of a client or transaction: Prisma keeps it on both (the generated clients share their models). */
function providerOf(db: Db | DbTransaction): "sqlite" | "postgresql" {
  const provider = (db as unknown as { _activeProvider?: string })._activeProvider;
  if (provider === "sqlite" || provider === "postgresql") return provider;
  throw new Error(`insertRows: unknown database provider ${String(provider)}`);
}

/** A value as the column stores it, in JSON: instants as Prisma writes them (SQLite: ISO text with +00:00). */
function toJsonValue(value: Value, provider: "sqlite" | "postgresql"): string | number | boolean | null {
  if (value instanceof Date) return provider === "sqlite" ? value.toISOString().replace("Z", "+00:00") : value.toISOString();
  if (typeof value === "boolean" && provider === "sqlite") return value ? 1 : 0;
  return value;
}

/**
 * Multi-row INSERT through the Prisma connection, for bulk paths. The rows travel as one JSON parameter per statement,
 * unpacked by the database (SQLite's `json_each`, PostgreSQL's `json_populate_recordset` over the table's own row type):
 * binding every value as its own parameter cost Prisma's argument mapping per value, which was most of a first
 * evaluation's write. Table and column names come from code, never from input; values are data, never SQL.
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
  const provider = providerOf(db);
  const columnList = columns.map((column) => `"${column}"`).join(", ");
  // Rows whose unique column already holds the value are skipped (SQLite and PostgreSQL spell it alike; SQLite needs
  // the WHERE to tell an upsert's ON from a join's).
  const onConflict = options.onConflictDoNothing ? ` ON CONFLICT ("${options.onConflictDoNothing}") DO NOTHING` : "";
  const head =
    provider === "sqlite"
      ? `INSERT INTO "${table}" (${columnList}) SELECT ${columns.map((_, index) => `json_extract(value, '$[${index}]')`).join(", ")} FROM json_each(`
      : `INSERT INTO "${table}" (${columnList}) SELECT ${columnList} FROM json_populate_recordset(NULL::"${table}", `;
  const tail = provider === "sqlite" ? `) WHERE true${onConflict}` : `::json)${onConflict}`;
  let inserted = 0;
  for (let index = 0; index < rows.length; index += ROWS_PER_STATEMENT) {
    const batch = rows.slice(index, index + ROWS_PER_STATEMENT);
    const json =
      provider === "sqlite"
        ? JSON.stringify(batch.map((row) => row.map((value) => toJsonValue(value, provider))))
        : JSON.stringify(batch.map((row) => Object.fromEntries(columns.map((column, at) => [column, toJsonValue(row[at], provider)]))));
    inserted += await db.$executeRaw`${Prisma.raw(head)}${json}${Prisma.raw(tail)}`;
  }
  return inserted;
}
