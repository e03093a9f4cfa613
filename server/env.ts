import "server-only";

import path from "node:path";
import { z } from "zod";
import { parseTrustedProxies } from "./http/set-client-address-header.mjs";

/** The only reader of process.env. Parsed once by the web app and the worker. */
export const Env = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  SRCWATCH_DATA_DIR: z.string().default(path.resolve(process.cwd(), "data")),
  /** Empty = embedded SQLite in the data directory; postgresql://… = PostgreSQL. */
  DATABASE_URL: z.string().optional(),
  SRCWATCH_CONFIG: z.string().default(path.resolve(process.cwd(), "config/srcwatch.json")),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  SRCWATCH_CLOCK_ORIGIN: z.coerce.date().optional(),
  SRCWATCH_CLOCK_REAL_ORIGIN: z.coerce.number().int().optional(),
  SRCWATCH_CLOCK_SPEED: z.coerce.number().positive().default(1),
  /** A demo's scenario clock stops here: the end of the scenario's data (scripts/demo.ts). */
  SRCWATCH_CLOCK_END: z.coerce.date().optional(),
  /**
   * How the worker takes its work: `pg-boss` (jobs in PostgreSQL: run as many workers as you like) or `in-process` (one
   * worker's own scheduler). Default: pg-boss on PostgreSQL, in-process on SQLite (where pg-boss cannot run).
   */
  SRCWATCH_JOB_QUEUE: z.enum(["pg-boss", "in-process"]).optional(),
  /** Polls one worker runs at once (default 4). */
  SRCWATCH_WORKER_POLL_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** pg-boss: seconds between its looks for a dead worker's expired jobs (default 60; the fault tests use 2). */
  SRCWATCH_QUEUE_MAINTENANCE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** Bearer token for operator actions (silences); absent = those actions are refused. */
  SRCWATCH_ADMIN_TOKEN: z.string().min(16, "SRCWATCH_ADMIN_TOKEN must be at least 16 characters").optional(),
  /** Signs subscription links; when absent one is generated once and kept in the database (Setting). */
  SRCWATCH_SECRET: z.string().min(32, "SRCWATCH_SECRET must be at least 32 characters").optional(),
  /** Proxies whose X-Forwarded-For hop is believed (addresses, CIDRs, loopback…); empty = the socket address. */
  SRCWATCH_TRUSTED_PROXIES: z
    .string()
    .default("")
    .transform((value, context) => {
      try {
        return parseTrustedProxies(value);
      } catch (error) {
        context.addIssue({ code: "custom", message: (error as Error).message.replace(/^SRCWATCH_TRUSTED_PROXIES: /, "") });
        return z.NEVER;
      }
    }),
});
export type Env = z.infer<typeof Env>;

let env: Env | undefined;
export function getEnv(): Env {
  if (env) return env;
  const parsed = Env.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
    throw new Error(`Invalid environment: ${problems}`);
  }
  env = parsed.data;
  return env;
}

/** Tests change the environment between cases. */
export function resetEnvForTests(): void {
  env = undefined;
}

/** A secret whose variable name the config file chooses (SMTP password, webhook HMAC keys). */
export function readSecretEnv(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === "" ? undefined : value;
}
