import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { applyPendingMigrations } from "../../prisma/migrate";
import { createDb, type Db } from "../../server/db/client";
import type { DatabaseProvider, DatabaseTarget } from "../../server/db/database-target";

/** SRCWATCH_TEST_DATABASE=postgres runs the database suites on PostgreSQL (TEST_POSTGRES_URL, default local). */
export function testDatabaseProvider(): DatabaseProvider {
  return process.env.SRCWATCH_TEST_DATABASE === "postgres" ? "postgres" : "sqlite";
}

const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

export interface TestDatabase {
  target: DatabaseTarget;
  db: Db;
  drop(): Promise<void>;
}

async function openMigratedDatabase(target: DatabaseTarget, remove: () => Promise<void>): Promise<TestDatabase> {
  await applyPendingMigrations(target);
  const db = createDb(target);
  return {
    target,
    db,
    async drop() {
      await db.$disconnect();
      await remove();
    },
  };
}

/** A fresh, migrated database per suite, dropped afterwards. Refuses any server that is not local. */
export async function createTestDatabase(provider: DatabaseProvider = testDatabaseProvider()): Promise<TestDatabase> {
  if (provider === "sqlite") {
    const dir = mkdtempSync(path.join(os.tmpdir(), "srcwatch-test-"));
    return openMigratedDatabase({ provider, url: `file:${path.join(dir, "test.db")}` }, async () =>
      rmSync(dir, { recursive: true, force: true }),
    );
  }
  const base = new URL(process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");
  if (!LOCAL_HOSTS.has(base.hostname)) throw new Error(`refusing to run tests against a non-local database host: ${base.hostname}`);
  const name = `srcwatch_test_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  return openMigratedDatabase({ provider, url: url.toString() }, async () => {
    const cleanup = new pg.Client({ connectionString: base.toString() });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await cleanup.end();
  });
}
