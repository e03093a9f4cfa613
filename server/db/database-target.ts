import "server-only";

import path from "node:path";

export type DatabaseProvider = "sqlite" | "postgres";

export interface DatabaseTarget {
  provider: DatabaseProvider;
  /** `file:/abs/path.db` for SQLite, the connection string for PostgreSQL. */
  url: string;
}

/** No DATABASE_URL = embedded SQLite in the data directory; postgres(ql):// = PostgreSQL. */
export function resolveDatabaseTarget(databaseUrl: string | undefined, dataDir: string): DatabaseTarget {
  if (!databaseUrl) return { provider: "sqlite", url: `file:${path.join(dataDir, "srcwatch.db")}` };
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return { provider: "postgres", url: databaseUrl };
  if (databaseUrl.startsWith("file:")) {
    const file = databaseUrl.slice("file:".length);
    return { provider: "sqlite", url: `file:${path.resolve(file)}` };
  }
  throw new Error(`DATABASE_URL must start with file: or postgresql:// (got "${databaseUrl.replace(/\/\/[^@]*@/, "//…@")}")`);
}

export function sqliteFilePath(target: DatabaseTarget): string {
  return target.url.slice("file:".length);
}
