import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseProvider, type TestDatabase } from "../test/support/test-database";
import { applyPendingMigrations, createMigration, migrationsDir, readMigrationList } from "./migrate";

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

  it("backfills the origin of times stored before origins were kept, by mirror kind, and the lag build of published verdicts", async () => {
    const { db } = database;
    const at = new Date("2023-06-01T00:00:00Z");
    const kinds = ["git-forge", "gitlab", "almalinux-errata", "rocky-apollo", "yum-repo", "srpm-index"];
    for (const kind of kinds) {
      await db.mirror.create({ data: { id: `m-${kind}`, name: kind, kind, config: "{}" } });
      await db.evidence.create({
        data: {
          mirrorId: `m-${kind}`,
          name: "bash",
          version: "1",
          release: "1.el8",
          major: 8,
          ref: "timed",
          url: "",
          firstSeenAt: at,
          publishedAt: at,
        },
      });
    }
    await db.evidence.create({
      data: { mirrorId: "m-gitlab", name: "bash", version: "1", release: "1.el8", major: 8, ref: "untimed", url: "", firstSeenAt: at },
    });
    const evidence = await db.evidence.findFirstOrThrow({ where: { mirrorId: "m-srpm-index" } });
    await db.advisory.create({
      data: {
        id: "RHSA-2023:0001",
        upstreamId: "redhat",
        type: "security",
        issuedAt: at,
        updatedAt: at,
        url: "https://access.redhat.com/",
        fetchedAt: at,
      },
    });
    const pkg = await db.package.create({
      data: { advisoryId: "RHSA-2023:0001", name: "bash", epoch: 0, version: "1", release: "1.el8", major: 8, stream: "main" },
    });
    await db.verdict.create({
      data: {
        packageId: pkg.id,
        mirrorId: "m-srpm-index",
        status: "published",
        lagSeconds: 0,
        evidenceId: evidence.id,
        since: at,
        evaluatedAt: at,
      },
    });
    await db.verdict.create({ data: { packageId: pkg.id, mirrorId: "m-gitlab", status: "missing", since: at, evaluatedAt: at } });

    const migration = readMigrationList(database.target.provider).migrationDirectories.find((entry) =>
      entry.path.endsWith("_add_time_origin_and_lag_evidence"),
    )!;
    const sql = readFileSync(path.join(migrationsDir(database.target.provider), migration.path, "migration.sql"), "utf8");
    const backfill = sql.slice(sql.indexOf("-- Backfill"));
    for (const statement of backfill
      .split(/;\s*(?:\n|$)/)
      .map((text) => text.trim())
      .filter((text) => /\bUPDATE\b/.test(text)))
      await db.$executeRawUnsafe(statement);

    const rows = await db.evidence.findMany({ select: { mirrorId: true, ref: true, publishedAtOrigin: true }, orderBy: { id: "asc" } });
    expect(rows.map((row) => `${row.mirrorId}/${row.ref}: ${row.publishedAtOrigin}`)).toEqual([
      "m-git-forge/timed: forge_api",
      "m-gitlab/timed: forge_api",
      "m-almalinux-errata/timed: erratum_date",
      "m-rocky-apollo/timed: erratum_date",
      "m-yum-repo/timed: erratum_date",
      "m-srpm-index/timed: index_date",
      "m-gitlab/untimed: null",
    ]);
    const verdicts = await db.verdict.findMany({
      select: { mirrorId: true, lagEvidenceId: true, isTimeSuspect: true },
      orderBy: { mirrorId: "asc" },
    });
    expect(verdicts).toEqual([
      { mirrorId: "m-gitlab", lagEvidenceId: null, isTimeSuspect: false },
      { mirrorId: "m-srpm-index", lagEvidenceId: evidence.id, isTimeSuspect: false },
    ]);
  });
});
