import pg from "pg";
import type { Logger } from "pino";

export interface EvaluationLock {
  /** Runs `run` while no other process evaluates this mirror (two evaluations would create the same verdict rows). */
  run<T>(mirrorId: string, run: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Session advisory locks on PostgreSQL, on connections of their own: released by the server if the process dies. */
export function createEvaluationLock(databaseUrl: string, logger: Logger): EvaluationLock {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4, application_name: "srcwatch-evaluation-lock" });
  pool.on("error", (error) => logger.warn({ err: error }, "evaluation lock connection error"));
  return {
    async run(mirrorId, run) {
      const key = `srcwatch-evaluate:${mirrorId}`;
      const client = await pool.connect();
      try {
        await client.query("SELECT pg_advisory_lock(hashtext($1))", [key]);
        try {
          return await run();
        } finally {
          await client.query("SELECT pg_advisory_unlock(hashtext($1))", [key]);
        }
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/** SQLite has one worker: the in-process scheduler already runs a mirror's evaluations one after another. */
export const NO_EVALUATION_LOCK: EvaluationLock = { run: (_mirrorId, run) => run(), close: async () => undefined };
