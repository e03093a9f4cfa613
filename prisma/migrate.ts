import { readFileSync, readdirSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import pg from "pg";
import type { DatabaseProvider, DatabaseTarget } from "../server/db/database-target";
import { sqliteFilePath } from "../server/db/database-target";

/**
 * Migrations without Prisma's native schema engine (it cannot be downloaded offline or in an
 * air-gapped install): the same engine compiled to wasm, driven through our driver adapters.
 */

const PRISMA_DIR = path.dirname(new URL(import.meta.url).pathname);
export const SCHEMA_PATH = path.join(PRISMA_DIR, "schema.prisma");
export const POSTGRES_SCHEMA_PATH = path.join(PRISMA_DIR, "postgres/schema.prisma");

export function migrationsDir(provider: DatabaseProvider): string {
  return path.join(PRISMA_DIR, "migrations", provider);
}

type SchemaEngineModule = typeof import("@prisma/schema-engine-wasm");
type SchemaEngine = Awaited<ReturnType<SchemaEngineModule["SchemaEngine"]["new"]>>;

let engineModule: Promise<SchemaEngineModule> | undefined;

/** Node 20 cannot import a .wasm file: instantiate it by hand and hand it to the wasm-bindgen glue. */
function loadSchemaEngineModule(): Promise<SchemaEngineModule> {
  engineModule ??= (async () => {
    const require = createRequire(import.meta.url);
    const gluePath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const glue = (await import(gluePath)) as SchemaEngineModule & {
      __wbg_set_wasm(exports: WebAssembly.Exports): void;
    };
    const bytes = readFileSync(path.join(path.dirname(gluePath), "schema_engine_bg.wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": glue as unknown as WebAssembly.ModuleImports });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue;
  })();
  return engineModule;
}

/** better-sqlite3 rejects several statements in one prepared statement; the engine sends whole scripts. */
function withScriptRouting(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.executeRaw = async (query) => {
    if (query.args.length === 0 && /;\s*\S/.test(query.sql)) {
      await adapter.executeScript(query.sql);
      return 0;
    }
    return executeRaw(query);
  };
  return adapter;
}

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

/** adapter-pg 7.10 rejects the catalog type "char" (OID 18) that the engine's introspection reads: report it as text. */
function readCharColumnsAsText(adapter: SqlDriverAdapter): void {
  type PerformIO = (query: unknown) => Promise<{ fields: { dataTypeID: number }[] }>;
  const target = adapter as unknown as { performIO: PerformIO };
  const performIO = target.performIO.bind(adapter);
  target.performIO = async (query) => {
    const result = await performIO(query);
    for (const field of result.fields) if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
    return result;
  };
}

function parsePostgresUrl(url: string): { base: pg.ClientConfig; database: string } {
  const parsed = new URL(url);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, "")) || "postgres";
  return {
    database,
    base: {
      host: parsed.hostname,
      port: parsed.port ? Number(parsed.port) : 5432,
      user: decodeURIComponent(parsed.username) || undefined,
      password: decodeURIComponent(parsed.password) || undefined,
    },
  };
}

/**
 * adapter-pg's own shadow database handling connects to the main database when given a
 * connection string and drops the shadow before closing its pool: we create and drop it ourselves.
 */
class PostgresMigrationAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = "postgres" as const;
  readonly adapterName = "srcwatch-migrate-pg";
  private shadowDatabases: string[] = [];
  private adapters: SqlDriverAdapter[] = [];

  constructor(private readonly url: string) {}

  async connect(): Promise<SqlDriverAdapter> {
    const adapter = await new PrismaPg({ connectionString: this.url }).connect();
    return this.track(adapter);
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    const { base } = parsePostgresUrl(this.url);
    const name = `srcwatch_shadow_${process.pid}_${Date.now()}_${this.shadowDatabases.length}`;
    const admin = new pg.Client({ ...base, database: "postgres" });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${name}"`);
    } finally {
      await admin.end();
    }
    this.shadowDatabases.push(name);
    const adapter = await new PrismaPg({ ...base, database: name }).connect();
    return this.track(adapter);
  }

  private track(adapter: SqlDriverAdapter): SqlDriverAdapter {
    readCharColumnsAsText(adapter);
    this.adapters.push(adapter);
    return adapter;
  }

  async dispose(): Promise<void> {
    for (const adapter of this.adapters.splice(0)) await adapter.dispose().catch(() => undefined);
    if (this.shadowDatabases.length === 0) return;
    const { base } = parsePostgresUrl(this.url);
    const admin = new pg.Client({ ...base, database: "postgres" });
    await admin.connect();
    try {
      for (const name of this.shadowDatabases.splice(0)) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  }
}

class SqliteMigrationAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = "sqlite" as const;
  readonly adapterName = "srcwatch-migrate-sqlite";
  private adapters: SqlDriverAdapter[] = [];
  constructor(private readonly url: string) {}
  async connect(): Promise<SqlDriverAdapter> {
    return this.track(await new PrismaBetterSqlite3({ url: this.url }).connect());
  }
  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    return this.track(await new PrismaBetterSqlite3({ url: ":memory:" }).connect());
  }
  private track(adapter: SqlDriverAdapter): SqlDriverAdapter {
    this.adapters.push(withScriptRouting(adapter));
    return adapter;
  }
  async dispose(): Promise<void> {
    for (const adapter of this.adapters.splice(0)) await adapter.dispose().catch(() => undefined);
  }
}

function schemaPathFor(provider: DatabaseProvider): string {
  return provider === "sqlite" ? SCHEMA_PATH : POSTGRES_SCHEMA_PATH;
}

async function withSchemaEngine<T>(target: DatabaseTarget, run: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const bindings = await loadSchemaEngineModule();
  if (target.provider === "sqlite") mkdirSync(path.dirname(sqliteFilePath(target)), { recursive: true });
  const factory =
    target.provider === "sqlite" ? new SqliteMigrationAdapterFactory(target.url) : new PostgresMigrationAdapterFactory(target.url);
  const schemaPath = schemaPathFor(target.provider);
  const logs: string[] = [];
  const engine = await bindings.SchemaEngine.new(
    { datamodels: [[schemaPath, readFileSync(schemaPath, "utf8")]] },
    (message: string) => logs.push(message),
    bindMigrationAwareSqlAdapterFactory(factory),
  );
  try {
    return await run(engine);
  } catch (error) {
    throw new Error(`schema engine: ${describeEngineError(error)}`, { cause: error });
  } finally {
    engine.free();
    await factory.dispose();
  }
}

function describeEngineError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "object" && error !== null) {
    const record = error as Record<string, unknown>;
    if (typeof record.message === "string") return record.message;
    return JSON.stringify(error);
  }
  return String(error);
}

export function readMigrationList(provider: DatabaseProvider) {
  const baseDir = migrationsDir(provider);
  const lockPath = path.join(baseDir, "migration_lock.toml");
  const directories = existsSync(baseDir)
    ? readdirSync(baseDir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort()
    : [];
  return {
    baseDir,
    lockfile: { path: "migration_lock.toml", content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: directories.map((name) => {
      const file = path.join(baseDir, name, "migration.sql");
      return {
        path: name,
        migrationFile: {
          path: "migration.sql",
          content: existsSync(file)
            ? { tag: "ok" as const, value: readFileSync(file, "utf8") }
            : { tag: "error" as const, value: "missing migration.sql" },
        },
      };
    }),
  };
}

const NO_FILTER = { externalTables: [], externalEnums: [] };

const APPLIED_MIGRATIONS_SQL = `SELECT "migration_name" FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL`;

/** Names of the migrations the database has applied; null when it has no migrations table (or no file) yet. */
async function listAppliedMigrations(target: DatabaseTarget): Promise<Set<string> | null> {
  if (target.provider === "sqlite") {
    const file = sqliteFilePath(target);
    if (!existsSync(file)) return null;
    const Database = createRequire(import.meta.url)("better-sqlite3") as typeof import("better-sqlite3");
    const sqlite = new Database(file, { readonly: true, timeout: 10_000 });
    try {
      const exists = sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'`).get();
      if (!exists) return null;
      return new Set((sqlite.prepare(APPLIED_MIGRATIONS_SQL).all() as { migration_name: string }[]).map((row) => row.migration_name));
    } finally {
      sqlite.close();
    }
  }
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    const exists = await client.query(`SELECT to_regclass('"_prisma_migrations"') AS "table"`);
    if (!exists.rows[0]?.table) return null;
    return new Set((await client.query<{ migration_name: string }>(APPLIED_MIGRATIONS_SQL)).rows.map((row) => row.migration_name));
  } finally {
    await client.end();
  }
}

/** Our own key (two-int form), never Prisma's 72707369: its engine takes that one inside and gives up after 10 s. */
const MIGRATION_LOCK_KEY = [0x73726377 /* "srcw" */, 1] as const;
const DEFAULT_LOCK_WAIT_MS = 15 * 60_000;

export interface MigrationLockOptions {
  /** Called once when another process holds the lock, before this one waits for it. */
  onWait?: () => void;
  /** How long to wait for the other process before failing (default 15 minutes). */
  lockWaitMs?: number;
}

/**
 * Runs `run` while this process alone may migrate the database. PostgreSQL: a session advisory lock on a connection of
 * its own; SQLite: an exclusive transaction on a lock file beside the database. Either is released by the database or
 * the kernel if the process dies, so a killed migrator never blocks the next start.
 */
export async function withMigrationLock<T>(target: DatabaseTarget, options: MigrationLockOptions, run: () => Promise<T>): Promise<T> {
  const waitMs = options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS;
  if (target.provider === "postgres") {
    const client = new pg.Client({ connectionString: target.url });
    await client.connect();
    try {
      const tried = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1, $2) AS locked", [...MIGRATION_LOCK_KEY]);
      if (!tried.rows[0]?.locked) {
        options.onWait?.();
        await client.query(`SET lock_timeout = ${Math.max(1, Math.floor(waitMs))}`);
        try {
          await client.query("SELECT pg_advisory_lock($1, $2)", [...MIGRATION_LOCK_KEY]);
        } catch (error) {
          throw new Error(`another process kept the migration lock for more than ${Math.round(waitMs / 1000)} s`, { cause: error });
        }
      }
      return await run();
    } finally {
      // Ending the session releases the lock.
      await client.end().catch(() => undefined);
    }
  }
  const lockFile = `${sqliteFilePath(target)}.migrate-lock`;
  mkdirSync(path.dirname(lockFile), { recursive: true });
  const Database = createRequire(import.meta.url)("better-sqlite3") as typeof import("better-sqlite3");
  const lock = new Database(lockFile, { timeout: 0 });
  try {
    const deadline = Date.now() + waitMs;
    for (let waited = false; ;) {
      try {
        lock.exec("BEGIN EXCLUSIVE");
        break;
      } catch (error) {
        if ((error as { code?: string }).code !== "SQLITE_BUSY") throw error;
        if (Date.now() > deadline) throw new Error(`another process kept the migration lock for more than ${Math.round(waitMs / 1000)} s`);
        if (!waited) options.onWait?.();
        waited = true;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    return await run();
  } finally {
    lock.close();
  }
}

function isEveryMigrationApplied(applied: Set<string> | null, provider: DatabaseProvider): boolean {
  return applied !== null && readMigrationList(provider).migrationDirectories.every((directory) => applied.has(directory.path));
}

/**
 * Applies every migration not yet applied; returns their names. Safe to run at every start, by several processes at
 * once: one migrates under the migration lock, the others wait for it and then find nothing to do.
 * When every migration is applied already, neither the lock nor the schema engine is taken: on a SQLite file in WAL
 * mode the engine takes an exclusive lock and fails while another process (the web app) has the file open.
 */
export async function applyPendingMigrations(target: DatabaseTarget, options: MigrationLockOptions = {}): Promise<string[]> {
  if (isEveryMigrationApplied(await listAppliedMigrations(target), target.provider)) return [];
  return withMigrationLock(target, options, async () => {
    // Whoever held the lock before may have applied them all.
    if (isEveryMigrationApplied(await listAppliedMigrations(target), target.provider)) return [];
    return withSchemaEngine(target, async (engine) => {
      const output = await engine.applyMigrations({ migrationsList: readMigrationList(target.provider), filters: NO_FILTER });
      return output.appliedMigrationNames;
    });
  });
}

/**
 * Writes a new migration for `provider` that brings the migrations folder up to the schema.
 * Needs a scratch database (`scratch`): SQLite uses an in-memory shadow; PostgreSQL a temporary database.
 * Returns null when the schema and the migrations already agree.
 */
export async function createMigration(
  provider: DatabaseProvider,
  name: string,
  scratch: DatabaseTarget,
  now = new Date(),
): Promise<string | null> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error("migration name: lower-case letters, digits and underscores");
  const list = readMigrationList(provider);
  const schemaPath = schemaPathFor(provider);
  const script = await withSchemaEngine(scratch, async (engine) => {
    const result = await engine.diff({
      from: list.migrationDirectories.length === 0 ? { tag: "empty" } : { tag: "migrations", ...list },
      to: { tag: "schemaDatamodel", files: [{ path: schemaPath, content: readFileSync(schemaPath, "utf8") }] },
      script: true,
      exitCode: null,
      filters: NO_FILTER,
    } as Parameters<SchemaEngine["diff"]>[0]);
    return (result as { stdout?: string }).stdout ?? "";
  });
  if (!script.trim() || /^-- This is an empty migration/.test(script.trim())) return null;
  const stamp = now.toISOString().replace(/[-:T]/g, "").slice(0, 14);
  const directory = path.join(list.baseDir, `${stamp}_${name}`);
  mkdirSync(directory, { recursive: true });
  writeFileSync(path.join(directory, "migration.sql"), script);
  const lockPath = path.join(list.baseDir, "migration_lock.toml");
  if (!existsSync(lockPath)) {
    writeFileSync(
      lockPath,
      `# Written by prisma/migrate.ts. Do not edit.\nprovider = "${provider === "sqlite" ? "sqlite" : "postgresql"}"\n`,
    );
  }
  return directory;
}
