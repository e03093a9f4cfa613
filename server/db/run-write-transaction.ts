import "server-only";

import { setTimeout as sleep } from "node:timers/promises";
import type { Db, DbTransaction } from "./client";

/**
 * SQLite lets one connection write at a time: a transaction that read first and then wants to write while
 * another process (the worker, a second web process) holds the write lock fails at once with SQLITE_BUSY
 * instead of waiting. PostgreSQL answers a write conflict or a deadlock the same way (P2034, 40001, 40P01).
 * Neither means the request was wrong; the whole transaction has been rolled back and can simply run again.
 */
export function isTransientWriteConflict(error: unknown): boolean {
  if (!error || typeof error !== "object") return false;
  const { code, message, meta } = error as {
    code?: string;
    message?: string;
    meta?: { driverAdapterError?: { cause?: { originalCode?: string; code?: string } } };
  };
  if (code === "P2034") return true;
  const cause = meta?.driverAdapterError?.cause;
  const original = cause?.originalCode ?? cause?.code ?? "";
  if (/^SQLITE_BUSY|^SQLITE_LOCKED|^40001$|^40P01$/.test(original)) return true;
  return typeof message === "string" && /SQLITE_BUSY|database is locked/.test(message);
}

/** Runs `work` in one transaction, again (up to `attempts` times, with jittered backoff) when it lost a write race. */
export async function runWriteTransaction<T>(
  db: Db,
  work: (tx: DbTransaction) => Promise<T>,
  options: { attempts?: number } = {},
): Promise<T> {
  const attempts = options.attempts ?? 6;
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction(work, { maxWait: 10_000, timeout: 30_000 });
    } catch (error) {
      if (attempt >= attempts || !isTransientWriteConflict(error)) throw error;
      await sleep(Math.round(25 * 2 ** attempt * (0.5 + Math.random())));
    }
  }
}
