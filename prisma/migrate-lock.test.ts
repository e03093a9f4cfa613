import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import type { DatabaseTarget } from "../server/db/database-target";
import { testDatabaseProvider } from "../test/support/test-database";
import { applyPendingMigrations, readMigrationList, withMigrationLock } from "./migrate";

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const BASE_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const provider = testDatabaseProvider();
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A database nobody has migrated yet. */
async function createEmptyDatabase(): Promise<DatabaseTarget> {
  if (provider === "sqlite") {
    const dir = mkdtempSync(path.join(os.tmpdir(), "srcwatch-lock-"));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    return { provider, url: `file:${path.join(dir, "srcwatch.db")}` };
  }
  const name = `srcwatch_lock_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: BASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  cleanups.push(async () => {
    const cleanup = new pg.Client({ connectionString: BASE_URL });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await cleanup.end();
  });
  const url = new URL(BASE_URL);
  url.pathname = `/${name}`;
  return { provider, url: url.toString() };
}

interface Deploy {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** `npm run migrate` as a process of its own, as the worker and `npm start` run it. */
function startDeploy(target: DatabaseTarget): Deploy {
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "prisma/cli.ts", "deploy"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: target.url },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  cleanups.push(async () => {
    if (child.exitCode === null) child.kill("SIGKILL");
    await exited;
  });
  return { child, output: () => output, exited };
}

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function readAppliedNames(target: DatabaseTarget): Promise<string[]> {
  const sql = `SELECT "migration_name" FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL ORDER BY "migration_name"`;
  if (target.provider === "postgres") {
    const client = new pg.Client({ connectionString: target.url });
    await client.connect();
    try {
      return (await client.query<{ migration_name: string }>(sql)).rows.map((row) => row.migration_name);
    } finally {
      await client.end();
    }
  }
  const { default: Database } = await import("better-sqlite3");
  const sqlite = new Database(target.url.slice("file:".length), { readonly: true });
  try {
    return (sqlite.prepare(sql).all() as { migration_name: string }[]).map((row) => row.migration_name);
  } finally {
    sqlite.close();
  }
}

const localNames = () => readMigrationList(provider).migrationDirectories.map((entry) => entry.path);

describe(`migrations when several processes start together (${provider})`, () => {
  it("lets one process migrate while the others wait, then finds nothing left for them", async () => {
    const target = await createEmptyDatabase();
    let deploys: Deploy[] = [];
    // Hold the lock as a migrating process would, so the three starts certainly overlap it.
    await withMigrationLock(target, {}, async () => {
      deploys = [startDeploy(target), startDeploy(target), startDeploy(target)];
      await waitFor(() => deploys.every((deploy) => deploy.output().includes("waiting for it")), 60_000, "every process to wait");
      expect(deploys.every((deploy) => deploy.child.exitCode === null)).toBe(true);
    });
    const codes = await Promise.all(deploys.map((deploy) => deploy.exited));
    expect(codes).toEqual([0, 0, 0]);
    const migrated = deploys.filter((deploy) => deploy.output().includes("applied: "));
    const upToDate = deploys.filter((deploy) => deploy.output().includes("database is up to date"));
    expect(migrated).toHaveLength(1);
    expect(upToDate).toHaveLength(2);
    expect(await readAppliedNames(target)).toEqual(localNames());
  }, 120_000);

  it("takes the lock over from a migrator that was killed", async () => {
    const target = await createEmptyDatabase();
    const holder = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "--conditions=react-server",
        "--eval",
        `const { withMigrationLock } = await import("./prisma/migrate.ts");
         // Held from a global: a promise nothing references would let the lock's connection be collected and closed.
         globalThis.forever = new Promise(() => setInterval(() => {}, 1000));
         await withMigrationLock(${JSON.stringify(target)}, {}, async () => { console.log("holding"); await globalThis.forever; });`,
      ],
      { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] },
    );
    const exited = new Promise((resolve) => holder.on("exit", resolve));
    cleanups.push(async () => {
      if (holder.exitCode === null && holder.signalCode === null) holder.kill("SIGKILL");
      await exited;
    });
    let held = false;
    holder.stdout?.on("data", (chunk: Buffer) => (held ||= chunk.toString().includes("holding")));
    await waitFor(() => held, 60_000, "the holder to take the lock");

    let waited = false;
    const applying = applyPendingMigrations(target, { onWait: () => (waited = true), lockWaitMs: 60_000 });
    await waitFor(() => waited, 10_000, "this process to wait for the holder");
    holder.kill("SIGKILL");
    await expect(applying).resolves.toEqual(localNames());
    expect(await readAppliedNames(target)).toEqual(localNames());
  }, 120_000);

  it("fails with a clear message when the lock is not released in time", async () => {
    const target = await createEmptyDatabase();
    await withMigrationLock(target, {}, async () => {
      await expect(applyPendingMigrations(target, { lockWaitMs: 300 })).rejects.toThrow(
        "another process kept the migration lock for more than 0 s",
      );
    });
  }, 60_000);
});
