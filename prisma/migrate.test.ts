import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseProvider, type TestDatabase } from "../test/support/test-database";
import { applyPendingMigrations, createMigration, readMigrationList } from "./migrate";

describe(`migration runner (${testDatabaseProvider()})`, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("applies every migration to a fresh database and records them", async () => {
    const names = readMigrationList(database.target.provider).migrationDirectories.map((entry) => entry.path);
    expect(names.length).toBeGreaterThan(0);
    const rows = await database.db.$queryRawUnsafe<{ migration_name: string; finished_at: unknown }[]>(
      `SELECT "migration_name", "finished_at" FROM "_prisma_migrations" ORDER BY "migration_name"`,
    );
    expect(rows.map((row) => row.migration_name)).toEqual(names);
    expect(rows.every((row) => row.finished_at !== null)).toBe(true);
    await expect(database.db.advisory.count()).resolves.toBe(0);
  });

  it("does nothing when the database is already up to date", async () => {
    await expect(applyPendingMigrations(database.target)).resolves.toEqual([]);
  });

  it("finds the migrations in step with prisma/schema.prisma", async () => {
    const provider = database.target.provider;
    const scratchDir = mkdtempSync(path.join(os.tmpdir(), "srcwatch-scratch-"));
    try {
      const scratch =
        provider === "sqlite"
          ? { provider, url: `file:${path.join(scratchDir, "scratch.db")}` }
          : { provider, url: process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres" };
      await expect(createMigration(provider, "should_be_empty", scratch)).resolves.toBeNull();
    } finally {
      rmSync(scratchDir, { recursive: true, force: true });
    }
  });
});
