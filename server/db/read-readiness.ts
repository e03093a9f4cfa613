import "server-only";

import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import type { Db } from "./client";
import type { DatabaseProvider } from "./database-target";

/** What a load balancer asks before sending traffic: can this process answer from a database it understands? */
export interface Readiness {
  isReady: boolean;
  database: "reachable" | "unreachable";
  /** Migrations of this build not applied to the database yet (the worker or `npm run migrate` applies them). */
  pendingMigrations: string[];
  /** Migrations the database has that this build does not know: a newer build migrated it (expand-only, so still ready). */
  unknownMigrations: string[];
  /** Why it is not ready, for a person reading the probe. */
  problem: string | null;
}

/** The folder `prisma/migrate.ts` applies from; web and worker both run from the application's directory. */
export function listLocalMigrations(provider: DatabaseProvider, appDir = process.cwd()): string[] | null {
  const directory = path.join(appDir, "prisma", "migrations", provider);
  if (!existsSync(directory)) return null;
  return readdirSync(directory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

const APPLIED_SQL = `SELECT "migration_name" FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL`;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * One indexed read of the migrations table, bounded in time: a database that hangs makes the process not ready
 * rather than a probe that never answers.
 */
export async function readReadiness(
  db: Db,
  input: { provider: DatabaseProvider; localMigrations: string[] | null; timeoutMs?: number },
): Promise<Readiness> {
  let applied: Set<string>;
  try {
    const rows = await withTimeout(db.$queryRawUnsafe<{ migration_name: string }[]>(APPLIED_SQL), input.timeoutMs ?? 2000);
    applied = new Set(rows.map((row) => row.migration_name));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // A reachable database without the migrations table has never been migrated.
    if (/_prisma_migrations/.test(message) && /(no such table|does not exist)/i.test(message)) {
      const pending = input.localMigrations ?? [];
      return {
        isReady: false,
        database: "reachable",
        pendingMigrations: pending,
        unknownMigrations: [],
        problem: "the database has never been migrated",
      };
    }
    return {
      isReady: false,
      database: "unreachable",
      pendingMigrations: [],
      unknownMigrations: [],
      problem: `database: ${message.slice(0, 200)}`,
    };
  }
  if (input.localMigrations === null) {
    return {
      isReady: false,
      database: "reachable",
      pendingMigrations: [],
      unknownMigrations: [],
      problem: `prisma/migrations/${input.provider} is missing beside the application`,
    };
  }
  const local = new Set(input.localMigrations);
  const pendingMigrations = input.localMigrations.filter((name) => !applied.has(name));
  const unknownMigrations = [...applied].filter((name) => !local.has(name)).sort();
  const problem = pendingMigrations.length ? `${pendingMigrations.length} migration(s) not applied yet` : null;
  return { isReady: problem === null, database: "reachable", pendingMigrations, unknownMigrations, problem };
}
