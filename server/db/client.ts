import "server-only";

import { mkdirSync } from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as PostgresPrismaClient } from "../../prisma/generated/postgres/client";
import { PrismaClient as SqlitePrismaClient } from "../../prisma/generated/sqlite/client";
import { getEnv } from "../env";
import { resolveDatabaseTarget, sqliteFilePath, type DatabaseTarget } from "./database-target";

/** Both generated clients have the same models; the SQLite one's type stands for both. */
export type Db = SqlitePrismaClient;
export type DbTransaction = Parameters<Parameters<Db["$transaction"]>[0]>[0];

export function createDb(target: DatabaseTarget): Db {
  if (target.provider === "sqlite") {
    mkdirSync(path.dirname(sqliteFilePath(target)), { recursive: true });
    return new SqlitePrismaClient({ adapter: new PrismaBetterSqlite3({ url: target.url, timeout: 10_000 }) });
  }
  return new PostgresPrismaClient({ adapter: new PrismaPg({ connectionString: target.url, max: 10 }) }) as unknown as Db;
}

export function getDatabaseTarget(): DatabaseTarget {
  const env = getEnv();
  return resolveDatabaseTarget(env.DATABASE_URL, env.SRCWATCH_DATA_DIR);
}

const globalForDb = globalThis as unknown as { srcwatchDb?: Db };

/** One client per process (Next dev reloads modules; keep it on globalThis). */
export function getDb(): Db {
  globalForDb.srcwatchDb ??= createDb(getDatabaseTarget());
  return globalForDb.srcwatchDb;
}

/** Tests run the read functions against their own database. */
export function setDbForTests(db: Db | undefined): void {
  globalForDb.srcwatchDb = db;
}
