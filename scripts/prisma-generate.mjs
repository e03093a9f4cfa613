// Generates the Prisma clients for both providers from the one hand-edited schema.
// Prisma's CLI cannot download its schema engine offline; `generate` only needs the variable
// to point at an existing file (scripts/no-schema-engine.sh explains itself if ever run).
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const sqliteSchema = path.join(root, "prisma/schema.prisma");
if (!existsSync(sqliteSchema)) process.exit(0);

const postgresSchema = path.join(root, "prisma/postgres/schema.prisma");
const source = readFileSync(sqliteSchema, "utf8");
const postgres = source
  .replace('provider = "sqlite"', 'provider = "postgresql"')
  .replace('output   = "./generated/sqlite"', 'output   = "../generated/postgres"')
  .replace(
    /^\/\/ The one hand-edited schema[^\n]*\n\/\/[^\n]*\n/,
    "// GENERATED from prisma/schema.prisma by scripts/prisma-generate.mjs — do not edit.\n",
  );
if (postgres === source) throw new Error("could not derive the PostgreSQL schema");
mkdirSync(path.dirname(postgresSchema), { recursive: true });
if (!existsSync(postgresSchema) || readFileSync(postgresSchema, "utf8") !== postgres) writeFileSync(postgresSchema, postgres);

const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: path.join(root, "scripts/no-schema-engine.sh"),
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
  CHECKPOINT_DISABLE: "1",
};
const prismaCli = path.join(root, "node_modules/prisma/build/index.js");
for (const schema of [sqliteSchema, postgresSchema]) {
  execFileSync(process.execPath, [prismaCli, "generate", "--schema", schema], { cwd: root, env, stdio: ["ignore", "inherit", "inherit"] });
}
