import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GET as getHealthz } from "../../app/healthz/route";
import { GET as getReadyz } from "../../app/readyz/route";
import { readMigrationList } from "../../prisma/migrate";
import { createTestDatabase, testDatabaseProvider, type TestDatabase } from "../../test/support/test-database";
import { createDb, setDbForTests } from "./client";
import { resetEnvForTests } from "../env";
import { listLocalMigrations, readReadiness } from "./read-readiness";

let database: TestDatabase;
const savedUrl = process.env.DATABASE_URL;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});
afterEach(() => {
  setDbForTests(undefined);
  if (savedUrl === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = savedUrl;
  resetEnvForTests();
});

describe("listLocalMigrations", () => {
  it("names the same migrations the migration runner applies", () => {
    const provider = database.target.provider;
    expect(listLocalMigrations(provider)).toEqual(readMigrationList(provider).migrationDirectories.map((entry) => entry.path));
    expect(listLocalMigrations(provider)?.length).toBeGreaterThan(5);
  });

  it("says null when the folder is not beside the application", () => {
    expect(listLocalMigrations("sqlite", os.tmpdir())).toBeNull();
  });
});

describe("readReadiness", () => {
  const provider = testDatabaseProvider();

  it("is ready when every migration of this build is applied", async () => {
    const readiness = await readReadiness(database.db, { provider, localMigrations: listLocalMigrations(provider) });
    expect(readiness).toEqual({ isReady: true, database: "reachable", pendingMigrations: [], unknownMigrations: [], problem: null });
  });

  it("names a migration of this build the database lacks, and one it has that this build does not know", async () => {
    const local = listLocalMigrations(provider) ?? [];
    const readiness = await readReadiness(database.db, { provider, localMigrations: [...local, "29990101000000_from_the_future"] });
    expect(readiness.isReady).toBe(false);
    expect(readiness.pendingMigrations).toEqual(["29990101000000_from_the_future"]);
    expect(readiness.problem).toBe("1 migration(s) not applied yet");

    // A newer build migrated the database (expand-only migrations): this older process still answers.
    const older = await readReadiness(database.db, { provider, localMigrations: local.slice(0, -1) });
    expect(older).toMatchObject({ isReady: true, unknownMigrations: [local[local.length - 1]] });
  });

  it("says a database that was never migrated is not ready", async () => {
    if (provider !== "sqlite") return; // the PostgreSQL case is the same query on an empty database; SQLite is cheaper to make
    const dir = mkdtempSync(path.join(os.tmpdir(), "srcwatch-ready-"));
    const empty = createDb({ provider: "sqlite", url: `file:${path.join(dir, "empty.db")}` });
    try {
      const readiness = await readReadiness(empty, { provider, localMigrations: ["20260101000000_init"] });
      expect(readiness).toMatchObject({ isReady: false, database: "reachable", pendingMigrations: ["20260101000000_init"] });
      expect(readiness.problem).toBe("the database has never been migrated");
    } finally {
      await empty.$disconnect();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("says an unreachable database is unreachable, within its bound", async () => {
    const nowhere = createDb({ provider: "postgres", url: "postgresql://postgres@127.0.0.1:1/none" });
    try {
      const readiness = await readReadiness(nowhere, { provider: "postgres", localMigrations: [], timeoutMs: 3000 });
      expect(readiness).toMatchObject({ isReady: false, database: "unreachable" });
      expect(readiness.problem).toMatch(/^database: /);
    } finally {
      await nowhere.$disconnect();
    }
  });
});

describe("/healthz and /readyz", () => {
  it("answers liveness without touching the database", async () => {
    setDbForTests(createDb({ provider: "postgres", url: "postgresql://postgres@127.0.0.1:1/none" }));
    const response = getHealthz();
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("answers 200 on a migrated database and 503 when the database cannot be reached", async () => {
    process.env.DATABASE_URL = database.target.url;
    resetEnvForTests();
    setDbForTests(database.db);
    const ready = await getReadyz();
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", database: "reachable", pendingMigrations: [], unknownMigrations: [] });

    process.env.DATABASE_URL = "postgresql://postgres@127.0.0.1:1/none";
    resetEnvForTests();
    const nowhere = createDb({ provider: "postgres", url: process.env.DATABASE_URL });
    setDbForTests(nowhere);
    try {
      const down = await getReadyz();
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({ status: "not_ready", database: "unreachable" });
    } finally {
      await nowhere.$disconnect();
    }
  });
});
