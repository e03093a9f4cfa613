import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SrcwatchConfig } from "../core/config";
import type { HttpStats } from "../core/http-stats";
import { finishPollRun } from "../server/poll-runs/finish-poll-run";
import type { HttpClient } from "../sources/http/types";
import { createTestDatabase, type TestDatabase } from "../test/support/test-database";
import { runPoll, type PollAttempt, type PollContext } from "./run-poll";
import type { WorkerDeps } from "./worker-deps";

const config = SrcwatchConfig.parse({
  upstreams: [
    {
      id: "osv",
      kind: "osv",
      name: "Red Hat OSV",
      baseUrl: "https://security.access.redhat.com/data/osv/",
      indexUrl: "https://security.access.redhat.com/data/osv/modified_id.csv",
      startDate: "2023-01-01",
      majors: [8, 9],
      pollTimeoutSeconds: 1,
    },
  ],
  mirrors: [],
});
const upstream = config.upstreams[0];
const now = new Date("2023-06-01T12:00:00Z");

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

function createDeps(stats: HttpStats): WorkerDeps {
  return {
    db: database.db,
    config,
    now: () => now,
    logger: pino({ level: "silent" }),
    createHttpClient: () => ({ stats }) as unknown as HttpClient,
    mailer: null,
  };
}

/** Runs one poll whose work is `attempt`, recording the PollRun as the real handlers do; returns what was recorded. */
async function poll(
  attempt: (context: PollContext) => Promise<PollAttempt<string>>,
  stats = { requests: 3, notModified: 1, bytes: 120, retries: 0 },
) {
  const steps: string[] = [];
  let recorded: { result: string | null; pollRunId: number } | null = null;
  const outcome = await runPoll(
    createDeps(stats),
    { kind: "upstream", config: upstream },
    {
      attempt: async (context) => {
        const state = await database.db.sourceState.findUnique({ where: { sourceId: upstream.id } });
        steps.push(state?.progressStep ?? "none");
        return attempt(context);
      },
      record: async ({ pollRunId, report, result }) => {
        recorded = { result, pollRunId };
        await database.db.$transaction((tx) =>
          finishPollRun(tx, { pollRunId, sourceId: upstream.id, sourceKind: "upstream", now, report }),
        );
      },
    },
  );
  const run = await database.db.pollRun.findUniqueOrThrow({ where: { id: recorded!.pollRunId } });
  return { ...outcome, recorded: recorded!, run, steps };
}

describe("runPoll: one lifecycle for every kind of source", () => {
  it("starts a PollRun, says 'starting' rather than a step of another feed kind, and records the result with its report", async () => {
    const { report, recorded, run, steps } = await poll(async ({ onProgress }) => {
      onProgress({ step: "fetching the OSV index", done: 1, total: 1 });
      return { ok: true, result: "three advisories", outcome: "success", items: 3, failure: null };
    });
    expect(steps).toEqual(["starting"]);
    expect(report).toMatchObject({ outcome: "success", items: 3, errorKind: null, stats: { requests: 3, notModified: 1, bytes: 120 } });
    expect(recorded.result).toBe("three advisories");
    expect(run).toMatchObject({ sourceId: "osv", sourceKind: "upstream", outcome: "success", items: 3, requests: 3, finishedAt: now });
    const state = await database.db.sourceState.findUniqueOrThrow({ where: { sourceId: "osv" } });
    expect(state.progressStep).toBe("idle");
  });

  it("reports a partial poll with its first failure", async () => {
    const { report } = await poll(async () => ({
      ok: true,
      result: "some",
      outcome: "partial",
      items: 1,
      failure: { kind: "http", message: "2 advisory file(s) could not be used" },
    }));
    expect(report).toMatchObject({ outcome: "partial", items: 1, errorKind: "http", errorMessage: "2 advisory file(s) could not be used" });
  });

  it("fails the poll with the source's error and the URL it concerns, and records no result", async () => {
    const { report, recorded, run } = await poll(async () => ({
      ok: false,
      error: { kind: "http", message: "HTTP 503", url: "https://security.access.redhat.com/data/osv/modified_id.csv", status: 503 },
    }));
    expect(report).toMatchObject({ outcome: "failed", errorKind: "http" });
    expect(run.errorMessage).toBe("HTTP 503 (https://security.access.redhat.com/data/osv/modified_id.csv)");
    expect(recorded.result).toBeNull();
  });

  it("fails a crashed poll with a message that quotes nothing of what it choked on", async () => {
    const { report, run } = await poll(async () => {
      throw new Error("Unexpected token < in JSON at position 0: <html>secret</html>");
    });
    expect(report.outcome).toBe("failed");
    expect(run.errorKind).toBe("internal");
    expect(run.errorMessage).not.toContain("secret");
  });

  it("aborts a poll at its deadline, drops its late result and its late progress", async () => {
    let late: (() => void) | undefined;
    const { report, recorded, run } = await poll(
      ({ signal, onProgress }) =>
        new Promise((resolve) => {
          late = () => {
            onProgress({ step: "too late", done: 1, total: 2 });
            resolve({ ok: true, result: "late", outcome: "success", items: 9, failure: null });
          };
          signal.addEventListener("abort", () => setTimeout(() => late?.(), 10));
        }),
    );
    expect(report).toMatchObject({ outcome: "failed", errorKind: "timeout" });
    expect(run.errorMessage).toMatch(/did not finish within 1 s/);
    expect(recorded.result).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const state = await database.db.sourceState.findUniqueOrThrow({ where: { sourceId: "osv" } });
    expect(state.progressStep).toBe("idle");
  });
});
