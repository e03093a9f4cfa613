import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { resolveDatabaseTarget } from "../server/db/database-target";
import { applyPendingMigrations, createMigration } from "./migrate";

/** npm run migrate            — apply pending migrations to DATABASE_URL (or the embedded SQLite file)
 *  npm run migration:create -- <name> [--postgres-scratch postgresql://…/postgres]
 *                              — write a new migration for both providers from prisma/schema.prisma */
async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  if (command === "deploy") {
    const target = resolveDatabaseTarget(process.env.DATABASE_URL, process.env.SRCWATCH_DATA_DIR ?? path.resolve("data"));
    const applied = await applyPendingMigrations(target, {
      onWait: () => console.log("another process is applying migrations: waiting for it"),
    });
    console.log(applied.length ? `applied: ${applied.join(", ")}` : "database is up to date");
    return;
  }
  if (command === "create") {
    const name = args.find((arg) => !arg.startsWith("--"));
    if (!name) throw new Error("usage: migration:create <name>");
    const scratchIndex = args.indexOf("--postgres-scratch");
    const postgresScratch = scratchIndex >= 0 ? args[scratchIndex + 1] : "postgresql://127.0.0.1:5432/postgres";
    const now = new Date();
    const tmp = mkdtempSync(path.join(os.tmpdir(), "srcwatch-migrate-"));
    try {
      const sqlite = await createMigration("sqlite", name, { provider: "sqlite", url: `file:${path.join(tmp, "scratch.db")}` }, now);
      const postgres = await createMigration("postgres", name, { provider: "postgres", url: postgresScratch }, now);
      console.log(
        sqlite || postgres ? `written: ${[sqlite, postgres].filter(Boolean).join(", ")}` : "schema and migrations agree: nothing to write",
      );
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    return;
  }
  throw new Error("usage: tsx prisma/cli.ts deploy | create <name>");
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
