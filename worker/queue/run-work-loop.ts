import { setTimeout as sleep } from "node:timers/promises";
import type PgBoss from "pg-boss";
import type { Logger } from "pino";

/**
 * Waits between the attempts to record a job's end: a connection cut mid-call (a restarted or failed-over database, an
 * administrator's terminate) has the pool connect afresh on the next attempt. About half a minute in all.
 */
export const SETTLE_RETRY_DELAYS_MS: readonly number[] = [250, 500, 1000, 2000, 4000, 8000, 16_000];

export interface WorkLoopInput {
  /** Waits this long when the queue had nothing. */
  idleMs: number;
  isStopping: () => boolean;
  log: Logger;
  settleRetryDelaysMs?: readonly number[];
}

/** What a work loop needs of pg-boss. */
export type WorkLoopBoss = Pick<PgBoss, "fetch" | "complete" | "fail">;

/**
 * One claimer of a queue: fetch a job, run it, complete or fail it, and fetch the next at once; wait `idleMs` only when
 * the queue had nothing. (pg-boss 10's `work` waits its polling interval after every job, found or not: two loops of
 * one worker then ran at most two jobs a second, whatever the jobs' length.) A failed job goes back to pg-boss with the
 * error, which retries it with its backoff until its retry limit.
 *
 * Recording the end is retried on its own: a job whose end is not recorded stays active until it expires (a poll's
 * deadline and margin, pg-boss's 15 minutes for any other), and is then run again, a finished poll included. A job that
 * ran is never failed because its completion could not be written.
 */
export async function runWorkLoop(
  boss: WorkLoopBoss,
  name: string,
  handle: (job: PgBoss.Job<unknown>) => Promise<void>,
  input: WorkLoopInput,
): Promise<void> {
  while (!input.isStopping()) {
    let job: PgBoss.Job<unknown> | undefined;
    try {
      [job] = await boss.fetch<unknown>(name, { batchSize: 1 });
    } catch (error) {
      input.log.error({ err: error }, "could not fetch a job");
    }
    if (!job) {
      await sleep(input.idleMs);
      continue;
    }
    const jobId = job.id;
    let failure: string | null = null;
    try {
      await handle(job);
    } catch (error) {
      input.log.error({ err: error, jobId }, "job failed");
      failure = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
    }
    await settleJob(failure === null ? () => boss.complete(name, jobId) : () => boss.fail(name, jobId, { message: failure }), {
      jobId,
      log: input.log,
      delaysMs: input.settleRetryDelaysMs ?? SETTLE_RETRY_DELAYS_MS,
    });
  }
}

/** Records a job's end, trying again after each delay; when every attempt failed, the job stays active and expires. */
async function settleJob(
  record: () => Promise<unknown>,
  input: { jobId: string; log: Logger; delaysMs: readonly number[] },
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await record();
      if (attempt > 0) input.log.info({ jobId: input.jobId, attempts: attempt + 1 }, "recorded the job's end after retrying");
      return;
    } catch (error) {
      if (attempt >= input.delaysMs.length) {
        input.log.error({ err: error, jobId: input.jobId }, "could not record the job's end; it stays active until it expires");
        return;
      }
      input.log.warn({ err: error, jobId: input.jobId, attempt: attempt + 1 }, "could not record the job's end; trying again");
      await sleep(input.delaysMs[attempt]);
    }
  }
}
