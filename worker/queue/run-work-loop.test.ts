import { Writable } from "node:stream";
import PgBoss from "pg-boss";
import pg from "pg";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseProvider, type TestDatabase } from "../../test/support/test-database";
import { runWorkLoop, type WorkLoopBoss } from "./run-work-loop";

const QUEUE = "work-loop-test";
const SCHEMA = "pgboss_loop_test";
const APPLICATION = "srcwatch-loop-test-boss";

/** A connection error as PostgreSQL sends it when an administrator terminates the backend. */
function terminatedError() {
  return Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" });
}

/** The real pg-boss, whose first `failing` calls of one method reject as if the connection had been cut. */
function cutFirstCalls(boss: PgBoss, method: "complete" | "fail", failing: number): WorkLoopBoss & { attempts(): number } {
  let attempts = 0;
  const cut = <T extends (...args: never[]) => Promise<unknown>>(call: T) =>
    (async (...args: Parameters<T>) => {
      attempts++;
      if (attempts <= failing) throw terminatedError();
      return call(...args);
    }) as unknown as T;
  const complete = boss.complete.bind(boss) as PgBoss["complete"];
  const fail = boss.fail.bind(boss) as PgBoss["fail"];
  return {
    fetch: boss.fetch.bind(boss),
    complete: method === "complete" ? cut(complete) : complete,
    fail: method === "fail" ? cut(fail) : fail,
    attempts: () => attempts,
  };
}

function captureLog() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n").filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level: "info" }, stream), messages: () => lines.map((line) => String(line.msg)) };
}

/** Runs the loop until it has handled `count` jobs (and tried to record their ends), then stops it. */
async function runJobs(boss: WorkLoopBoss, count: number, handle: (job: PgBoss.Job<unknown>) => Promise<void>, log: pino.Logger) {
  let handled = 0;
  let stopping = false;
  await runWorkLoop(
    boss,
    QUEUE,
    async (job) => {
      handled++;
      if (handled >= count) stopping = true;
      await handle(job);
    },
    { idleMs: 50, isStopping: () => stopping, log, settleRetryDelaysMs: [20, 20, 20] },
  );
  return handled;
}

describe.skipIf(testDatabaseProvider() !== "postgres")("a work loop records each job's end through a cut connection", () => {
  let database: TestDatabase;
  let boss: PgBoss;

  beforeAll(async () => {
    database = await createTestDatabase("postgres");
    boss = new PgBoss({
      connectionString: database.target.url,
      schema: SCHEMA,
      application_name: APPLICATION,
      supervise: false,
      schedule: false,
    });
    boss.on("error", () => undefined);
    await boss.start();
    await boss.createQueue(QUEUE, { name: QUEUE, policy: "standard", retryLimit: 1, retryDelay: 3600 });
  }, 60_000);

  afterAll(async () => {
    await boss?.stop({ graceful: false, wait: true });
    await database?.drop();
  }, 60_000);

  const stateOf = async (id: string) => (await boss.getJobById(QUEUE, id, { includeArchive: true }))?.state;

  it("completes a job whose first two completions were cut, and does not fail it", async () => {
    const id = (await boss.send(QUEUE, { n: 1 }))!;
    const cut = cutFirstCalls(boss, "complete", 2);
    const { log, messages } = captureLog();
    expect(await runJobs(cut, 1, async () => undefined, log)).toBe(1);
    expect(cut.attempts()).toBe(3);
    expect(await stateOf(id)).toBe("completed");
    expect(messages().filter((message) => message === "could not record the job's end; trying again")).toHaveLength(2);
    expect(messages()).toContain("recorded the job's end after retrying");
    expect(messages()).not.toContain("job failed");
  });

  it("records a failed job's failure through a cut: it waits for its retry, not for its expiry", async () => {
    const id = (await boss.send(QUEUE, { n: 2 }))!;
    const cut = cutFirstCalls(boss, "fail", 1);
    const { log } = captureLog();
    await runJobs(cut, 1, async () => Promise.reject(new Error("cannot read this job")), log);
    expect(cut.attempts()).toBe(2);
    const job = await boss.getJobById(QUEUE, id, { includeArchive: true });
    expect(job?.state).toBe("retry");
    expect(JSON.stringify(job?.output)).toContain("cannot read this job");
  });

  it("gives up after its retries: the job stays active for its expiry, and the loop takes the next", async () => {
    const first = (await boss.send(QUEUE, { n: 3 }))!;
    const second = (await boss.send(QUEUE, { n: 4 }))!;
    const cut = cutFirstCalls(boss, "complete", 4); // the first job's attempt and its three retries
    const { log, messages } = captureLog();
    expect(await runJobs(cut, 2, async () => undefined, log)).toBe(2);
    expect(await stateOf(first)).toBe("active");
    expect(await stateOf(second)).toBe("completed");
    expect(messages()).toContain("could not record the job's end; it stays active until it expires");
  });

  it("completes the job when every backend of the queue is terminated as it ends", async () => {
    const id = (await boss.send(QUEUE, { n: 5 }))!;
    const admin = new pg.Client({ connectionString: database.target.url });
    await admin.connect();
    const { log } = captureLog();
    try {
      await runJobs(
        boss,
        1,
        async () => {
          const { rows } = await admin.query<{ terminated: boolean }>(
            `SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity
           WHERE datname = current_database() AND application_name = $1`,
            [APPLICATION],
          );
          expect(rows.some((row) => row.terminated)).toBe(true);
        },
        log,
      );
    } finally {
      await admin.end();
    }
    expect(await stateOf(id)).toBe("completed");
  });
});
